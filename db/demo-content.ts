/** The demo forum's people and conversations (see seed.ts). Invented, but true to hosting support. */
import type { Role } from "./schema";

export const DEMO_PASSWORD = "demo forum password";

export const DEMO_MEMBERS: Array<{ username: string; role: Role }> = [
  { username: "anna_k", role: "moderator" },
  { username: "dnsdave", role: "moderator" },
  { username: "mehmet.y", role: "member" },
  { username: "sigga", role: "member" },
  { username: "rahul_b", role: "member" },
  { username: "ola_nowak", role: "member" },
  { username: "bakery_tom", role: "member" },
  { username: "jess_designs", role: "member" },
];

interface DemoThread {
  author: string;
  category: string;
  title: string;
  body: string;
  urgent?: boolean;
  replies: Array<{ author: string; body: string }>;
  /** Index into replies of the accepted answer. */
  accepted?: number;
  acceptedBy?: string;
}

export const DEMO_THREADS: DemoThread[] = [
  {
    author: "bakery_tom",
    category: "email",
    title: "Emails to Gmail bounce with 550 5.7.26 since Monday",
    urgent: true,
    body: "Since Monday every email we send from **orders@tomsbakery.example** to Gmail addresses comes back with:\n\n```\n550 5.7.26 This mail has been blocked because the sender is unauthenticated.\n```\n\nOutlook addresses still work. Nothing changed on our side as far as I know. Orders are going unanswered, please help!",
    replies: [
      {
        author: "dnsdave",
        body: "That bounce means Gmail could not verify SPF or DKIM for your domain. Gmail tightened its rules for bulk and small senders alike.\n\n1. In cPanel open **Email Deliverability**.\n2. It will show SPF and DKIM as *problems exist*. Click **Repair** for both.\n3. Add a DMARC record, at least `v=DMARC1; p=none; rua=mailto:postmaster@tomsbakery.example`.\n\nIf your DNS is at another provider (Cloudflare, your registrar), copy the records cPanel suggests there instead. Give it an hour and send a test to a Gmail address.",
      },
      { author: "bakery_tom", body: "Our DNS is at the registrar. I copied the SPF and DKIM records there and the test to Gmail went through. Thank you so much!" },
      { author: "jess_designs", body: "Same thing happened to a client of mine. The Repair button only works when the nameservers point to the host, good to know." },
    ],
    accepted: 0,
  },
  {
    author: "jess_designs",
    category: "ssl-security",
    title: "AutoSSL fails for www subdomain: DNS DCV error",
    body: "AutoSSL covers `clientsite.example` but not `www.clientsite.example`. The log says:\n\n> The system failed to fetch the DCV file: 404 Not Found\n\nThe site itself loads fine on both names.",
    replies: [
      {
        author: "anna_k",
        body: "Usually the `www` record points somewhere other than this server (an old IP, or a CDN). Check with `dig +short www.clientsite.example` and compare with the IP in cPanel's sidebar. If it's a CNAME to a CDN, either pause the proxy while AutoSSL runs or switch the domain to DNS-based validation.",
      },
      { author: "jess_designs", body: "It was still a CNAME to an old Cloudflare setup. Pointed it to the server, ran AutoSSL again: green padlock on both. Thanks Anna." },
    ],
    accepted: 0,
  },
  {
    author: "ola_nowak",
    category: "wordpress-apps",
    title: "Błąd krytyczny WordPressa po aktualizacji wtyczki",
    body: "Po aktualizacji wtyczki do formularzy strona pokazuje tylko: *Na tej stronie wystąpił błąd krytyczny.* Panel administracyjny też nie działa. Jak mogę to naprawić bez utraty danych?",
    replies: [
      {
        author: "anna_k",
        body: "Najprościej: w Menedżerze plików (File Manager) wejdź do `wp-content/plugins` i zmień nazwę folderu tej wtyczki, np. na `contact-form-old`. WordPress ją wyłączy i strona wróci. Potem w `wp-content/debug.log` (po włączeniu `WP_DEBUG_LOG`) zobaczysz dokładny błąd. Często pomaga zmiana wersji PHP na 8.1 w *Select PHP Version*.",
      },
      { author: "ola_nowak", body: "Zmiana nazwy folderu zadziałała, strona działa. Wtyczka wymagała PHP 8.1, zmieniłam wersję i wszystko jest w porządku. Dziękuję!" },
    ],
    accepted: 0,
  },
  {
    author: "mehmet.y",
    category: "domains-dns",
    title: "Alan adı taşındıktan sonra site açılmıyor",
    body: "Alan adımı başka bir firmadan buraya taşıdım. Transfer tamamlandı ama site hâlâ eski sunucuyu gösteriyor, bazı bilgisayarlarda hiç açılmıyor. Ne kadar beklemem gerekiyor?",
    replies: [
      {
        author: "dnsdave",
        body: "Transfer alan adının kaydını taşır, ama ad sunucuları (nameserver) eskisi gibi kalabilir. Müşteri panelinde **Nameservers** bölümünü kontrol edin: `ns1.host.example` ve `ns2.host.example` olmalı. Değiştirdikten sonra yayılma genellikle birkaç saat, en fazla 24-48 saat sürer. `dig NS alanadiniz.example` ile kontrol edebilirsiniz.",
      },
      { author: "mehmet.y", body: "Ad sunucuları eskiydi, değiştirdim. Birkaç saat sonra site açıldı. Teşekkürler!" },
    ],
    accepted: 0,
  },
  {
    author: "sigga",
    category: "email",
    title: "Tölvupóstur berst ekki í Outlook eftir flutning",
    body: "Ég flutti vefinn minn hingað í síðustu viku. Vefurinn virkar en tölvupóstur berst ekki lengur í Outlook. Hvaða stillingar á ég að nota fyrir IMAP og SMTP?",
    replies: [
      {
        author: "anna_k",
        body: "Í cPanel, farðu í **Email Accounts** → *Connect Devices*. Þar sérðu réttar stillingar: IMAP á porti 993 með SSL og SMTP á porti 465 með SSL. Notandanafnið er fullt netfang. Athugaðu líka að MX-færslan vísi á þennan netþjón.",
      },
      { author: "sigga", body: "MX-færslan vísaði enn á gamla þjóninn. Lagaði hana og nú berst pósturinn. Takk fyrir!" },
    ],
    accepted: 0,
  },
  {
    author: "rahul_b",
    category: "cpanel",
    title: "ব্যাকআপ থেকে ডাটাবেস কীভাবে পুনরুদ্ধার করব?",
    body: "আমি ভুল করে একটি টেবিল মুছে ফেলেছি। cPanel-এ গতকালের ব্যাকআপ আছে। শুধু ডাটাবেসটি কীভাবে পুনরুদ্ধার করব, পুরো সাইট নয়?",
    replies: [
      {
        author: "dnsdave",
        body: "cPanel-এ **JetBackup** বা **Backup** খুলুন, তারপর *Databases* বেছে নিন। গতকালের তারিখের ব্যাকআপ থেকে শুধু ওই ডাটাবেসটি *Restore* করুন। এতে ফাইলগুলো বদলাবে না। পুনরুদ্ধারের আগে বর্তমান ডাটাবেসের একটি এক্সপোর্ট phpMyAdmin দিয়ে নিয়ে রাখুন।",
      },
      { author: "rahul_b", body: "ধন্যবাদ! শুধু ডাটাবেস পুনরুদ্ধার করেছি, টেবিলটি ফিরে এসেছে।" },
    ],
    accepted: 0,
  },
  {
    author: "bakery_tom",
    category: "billing-account",
    title: "Upgrade from Starter to Business plan: is there downtime?",
    body: "We're outgrowing the Starter plan (the inode limit warning keeps coming). If I upgrade to Business from the client area, will the site go offline while it moves?",
    replies: [
      { author: "anna_k", body: "No downtime: upgrades between shared plans change the limits on the same server. It applies within a few minutes of the invoice being paid. Only moves to a VPS need a migration." },
    ],
    accepted: 0,
  },
  {
    author: "jess_designs",
    category: "cpanel",
    title: "Cron job runs but PHP script says 'command not found'",
    body: "My cron line is `php /home/jess/public_html/cron.php` and the email I get says `php: command not found`. The script runs fine in the browser.",
    replies: [
      { author: "mehmet.y", body: "Maybe the path to php is different? Try `which php` in the terminal." },
      {
        author: "dnsdave",
        body: "Cron runs with a minimal PATH. Use the full path of the PHP version your site uses, e.g. `/opt/cpanel/ea-php81/root/usr/bin/php /home/jess/public_html/cron.php`. The versions installed are listed in *MultiPHP Manager*.",
      },
      { author: "jess_designs", body: "Full path fixed it, thank you both." },
    ],
    accepted: 1,
  },
  {
    author: "ola_nowak",
    category: "domains-dns",
    title: "How long does DNS propagation take for a new A record?",
    body: "I changed the A record for `shop.olanowak.example` an hour ago and I still see the old site. Is something wrong?",
    replies: [
      { author: "dnsdave", body: "Resolvers keep the old answer until its TTL runs out. Check the TTL of the old record: if it was 14400 (4 hours), expect up to 4 hours. Lower the TTL to 300 a day before your next change." },
      { author: "ola_nowak", body: "The TTL was 4 hours, and now it works. I'll remember the trick with the TTL." },
    ],
    accepted: 0,
  },
  {
    author: "rahul_b",
    category: "wordpress-apps",
    title: "WordPress admin very slow, front end is fine",
    body: "The public site loads in a second but `/wp-admin` takes 10-15 seconds per page. What should I look at first?",
    replies: [
      { author: "rahul_b", body: "Found it myself: a backup plugin was running a scan on every admin page load. Disabled it and admin is fast again." },
      { author: "anna_k", body: "Good find. The Query Monitor plugin helps with this kind of thing: it shows which plugin makes the slow queries." },
    ],
    // The asker answered themselves: a self-accept, recorded but never counted.
    accepted: 0,
  },
  {
    author: "sigga",
    category: "ssl-security",
    title: "Site redirects to https twice and the browser says too many redirects",
    body: "After adding a redirect to HTTPS in `.htaccess`, the browser shows ERR_TOO_MANY_REDIRECTS. I also use Cloudflare.",
    replies: [
      { author: "dnsdave", body: "Cloudflare's SSL mode is probably *Flexible*: it talks to your server over http, your server redirects to https, and round it goes. Set SSL/TLS to **Full (strict)** in Cloudflare." },
    ],
  },
  {
    author: "mehmet.y",
    category: "cpanel",
    title: "Disk usage says 9.8 GB but my files are only 2 GB",
    body: "cPanel shows my account almost full at 9.8 GB, but public_html is about 2 GB. Where is the rest?",
    replies: [],
  },
  {
    author: "bakery_tom",
    category: "email",
    title: "Can I have a catch-all address for the whole domain?",
    body: "Customers sometimes write to info@, hello@, orders@... Can all of these land in one mailbox?",
    replies: [],
  },
  {
    author: "anna_k",
    category: "announcements",
    title: "Welcome to the HostHelp community forum",
    body: "This is the place to ask and answer questions about your hosting. A few tips:\n\n- Search first: many questions are solved already.\n- Say what you tried and paste the exact error.\n- When an answer fixes it, **accept** it so the next person finds it.\n\nMark a question *urgent* when your site or email is down: moderators look at those first.",
    replies: [],
  },
];
