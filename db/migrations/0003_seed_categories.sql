-- The hosting topics every new forum starts with; admins can rename or add to them later.
INSERT INTO "categories" ("slug", "name", "description", "position", "staff_only") VALUES
  ('domains-dns', 'Domains & DNS', 'Registering and transferring domains, nameservers, DNS records and propagation.', 1, false),
  ('email', 'Email', 'Mailboxes, forwarders, webmail, IMAP/SMTP settings, spam and deliverability (SPF, DKIM, DMARC).', 2, false),
  ('cpanel', 'cPanel & hosting panel', 'The control panel: files, databases, backups, PHP versions, cron jobs and resource limits.', 3, false),
  ('wordpress-apps', 'WordPress & apps', 'WordPress, installers and other web applications: errors, plugins, speed and updates.', 4, false),
  ('ssl-security', 'SSL & security', 'Certificates, HTTPS redirects, hacked sites, malware and firewalls.', 5, false),
  ('billing-account', 'Billing & account', 'Invoices, plans, upgrades, renewals and your client account.', 6, false),
  ('announcements', 'Announcements', 'News and maintenance notices from the staff.', 7, true)
ON CONFLICT ("slug") DO NOTHING;
