/**
 * Word lists and sentence templates for the benchmark forum: hosting questions and answers in
 * English mostly, and in Polish, Turkish, Icelandic and Bengali (the forum searches with the
 * `simple` text-search configuration because members write in many languages). Posts are
 * composed from these pieces with a seeded generator, and rendered to the HTML the app's
 * markdown renderer would produce for them (see `renderBody`).
 */
import type { Random } from "./random";

export const CATEGORY_SLUGS = [
  "domains-dns",
  "email",
  "cpanel",
  "wordpress-apps",
  "ssl-security",
  "billing-account",
  "announcements",
] as const;
export type CategorySlug = (typeof CATEGORY_SLUGS)[number];

/** Share of threads per category; announcements are few and written by staff. */
export const CATEGORY_WEIGHTS: Record<CategorySlug, number> = {
  "domains-dns": 18,
  email: 22,
  cpanel: 18,
  "wordpress-apps": 20,
  "ssl-security": 12,
  "billing-account": 9,
  announcements: 1,
};

export const LANGUAGES = ["en", "pl", "tr", "is", "bn"] as const;
export type Language = (typeof LANGUAGES)[number];
/** Share of threads per language (percent). */
export const LANGUAGE_WEIGHTS: Record<Language, number> = { en: 76, pl: 7, tr: 7, is: 4, bn: 6 };

interface LanguagePack {
  topics: Record<CategorySlug, readonly string[]>;
  titles: readonly string[];
  question: readonly string[];
  reply: readonly string[];
  thanks: readonly string[];
}

// Slots: {t} and {t2} topics of the thread's category, {T} a capitalised topic, {e} an error,
// {n} a small number, {code} an inline code span, {url} a knowledge-base link.
const EN: LanguagePack = {
  topics: {
    "domains-dns": ["DNS", "MX record", "A record", "CNAME", "nameservers", "DNS propagation", "domain transfer", "WHOIS", "subdomain", "TXT record", "domain renewal", "EPP code", "DNS zone", "addon domain"],
    email: ["email", "mailbox", "SPF record", "DKIM", "DMARC", "SMTP", "IMAP", "webmail", "Roundcube", "forwarder", "autoresponder", "spam filter", "Outlook", "Gmail", "Thunderbird", "bounce message", "mail quota"],
    cpanel: ["cPanel", "File Manager", "MySQL database", "phpMyAdmin", "PHP version", "cron job", "backup", "disk quota", "inode limit", "FTP account", "SSH access", "error log", ".htaccess", "resource limits", "Softaculous", "Git deployment"],
    "wordpress-apps": ["WordPress", "plugin", "theme", "wp-admin", "WooCommerce", "wp-config.php", "white screen", "memory limit", "permalinks", "Elementor", "Joomla", "Laravel", "Node.js app", "caching plugin", "site speed", "staging site"],
    "ssl-security": ["SSL certificate", "AutoSSL", "Let's Encrypt", "HTTPS redirect", "mixed content", "malware", "hacked site", "firewall", "ModSecurity", "brute force login", "two-factor login", "CSR", "certificate chain", "HSTS"],
    "billing-account": ["invoice", "payment", "renewal", "plan upgrade", "refund", "credit card", "PayPal", "client area", "account cancellation", "VAT", "hosting plan", "promo code", "overdue invoice"],
    announcements: ["maintenance", "server migration", "PHP 8.3", "network upgrade", "new data centre", "price change", "backup policy"],
  },
  titles: [
    "{T} not working since yesterday",
    "How do I set up {t} for my domain?",
    "Getting {e} after changing {t}",
    "{T} stopped working after migration",
    "Can't find {t} in the control panel",
    "Is {t} included in my plan?",
    "{T} shows {e} on my site",
    "Site down, {t} problem",
    "Best way to configure {t} and {t2}?",
    "{T} changes not showing up",
    "Question about {t} limits",
    "Help with {t} on a shared hosting account",
    "{T} keeps failing every night",
    "Moving {t} from another host",
    "{T} works but {t2} does not",
  ],
  question: [
    "Since yesterday my {t} is not working and I have no idea why.",
    "I changed the {t} settings in the control panel but nothing happened.",
    "The site now shows {e} for every visitor.",
    "I already cleared the browser cache and waited {n} hours.",
    "My hosting plan is the basic one, if that matters.",
    "Support told me to ask here first.",
    "I followed the guide at {url} step by step.",
    "Everything worked fine until the {t} update last week.",
    "Is there a way to check {t2} from cPanel?",
    "Any help would be appreciated, this is a client site.",
    "Here is what I see in the log: {code}",
    "I also tried a different browser and my phone, same result.",
    "The domain was registered somewhere else and only the hosting is here.",
    "Could this be related to the {t2} change I made on Monday?",
    "I am not very technical, so please explain it simply.",
  ],
  reply: [
    "Check the {t} entries in the zone editor first.",
    "You need to wait for DNS propagation, it can take up to {n} hours.",
    "This is usually caused by a wrong {t} setting.",
    "Open the error log in your home folder, it will tell you what fails.",
    "Try switching the PHP version to 8.2 and test again.",
    "I had the same problem with {t}, removing the old {t2} fixed it.",
    "Make sure the {t} points to the right server.",
    "Disable all plugins, then enable them one by one.",
    "Did you run AutoSSL again after changing the nameservers?",
    "The {e} error means the server refused the request.",
    "Run {code} to see what the resolvers return.",
    "You can raise the memory limit in wp-config.php.",
    "There is a short guide at {url} that covers exactly this.",
    "Look at the raw headers of a bounced message, the reason is in there.",
    "Your {t} is fine, the problem is the {t2}.",
    "Restore last night's backup if you cannot find the change.",
  ],
  thanks: ["Thanks, that solved it!", "That was it, thank you.", "Same here, following this thread.", "Worked for me too.", "Still not working for me."],
};

const PL: LanguagePack = {
  topics: {
    "domains-dns": ["rekord MX", "serwery DNS", "transfer domeny", "propagacja DNS", "rekord A", "domena", "subdomena"],
    email: ["poczta", "skrzynka pocztowa", "rekord SPF", "DKIM", "serwer SMTP", "przekierowanie poczty", "filtr antyspamowy"],
    cpanel: ["cPanel", "kopia zapasowa", "baza danych MySQL", "wersja PHP", "zadanie cron", "menedżer plików", "limit dysku"],
    "wordpress-apps": ["WordPress", "wtyczka", "motyw", "aktualizacja WordPressa", "biały ekran", "panel administracyjny", "WooCommerce"],
    "ssl-security": ["certyfikat SSL", "Let's Encrypt", "przekierowanie HTTPS", "złośliwe oprogramowanie", "zapora", "włamanie na stronę"],
    "billing-account": ["faktura", "płatność", "odnowienie", "zmiana pakietu", "konto klienta", "zwrot pieniędzy"],
    announcements: ["prace serwisowe", "aktualizacja serwerów", "nowa wersja PHP"],
  },
  titles: [
    "{T} nie działa od wczoraj",
    "Jak skonfigurować: {t}?",
    "Błąd {e} – {t}",
    "{T} – co robię źle?",
    "Pomocy: {t} po migracji",
    "Nie mogę ustawić: {t}",
    "Pytanie o limit: {t}",
  ],
  question: [
    "Od wczoraj {t} nie działa i nie wiem dlaczego.",
    "Sprawdziłem ustawienia w panelu, ale nadal widzę błąd {e}.",
    "Czy ktoś miał podobny problem?",
    "Strona pokazuje błąd {e} po zmianie ustawień.",
    "Zrobiłem wszystko według instrukcji, ale bez skutku.",
    "W logach widzę tylko {code}",
    "Mam najtańszy pakiet hostingowy, jeśli to ma znaczenie.",
    "Klient dzwoni co godzinę, proszę o szybką pomoc.",
  ],
  reply: [
    "Spróbuj wyczyścić pamięć podręczną i sprawdź ponownie.",
    "U mnie pomogło ustawienie {t} od nowa.",
    "Propagacja może potrwać do {n} godzin.",
    "Sprawdź logi błędów w katalogu domowym.",
    "Problem leży w ustawieniach: {t2}.",
    "Wyłącz wszystkie wtyczki i włączaj je po kolei.",
    "Instrukcja jest tutaj: {url} i opisuje dokładnie ten przypadek.",
  ],
  thanks: ["Dziękuję, teraz wszystko działa!", "To było to, dzięki.", "Mam ten sam problem."],
};

const TR: LanguagePack = {
  topics: {
    "domains-dns": ["alan adı", "DNS kaydı", "MX kaydı", "alan adı transferi", "ad sunucusu", "alt alan adı"],
    email: ["e-posta", "posta kutusu", "SPF kaydı", "DKIM", "SMTP sunucusu", "spam filtresi"],
    cpanel: ["cPanel", "yedekleme", "MySQL veritabanı", "PHP sürümü", "cron görevi", "dosya yöneticisi", "disk kotası"],
    "wordpress-apps": ["WordPress", "eklenti", "tema", "yönetim paneli", "WordPress güncellemesi", "beyaz ekran"],
    "ssl-security": ["SSL sertifikası", "Let's Encrypt", "HTTPS yönlendirmesi", "kötü amaçlı yazılım", "güvenlik duvarı"],
    "billing-account": ["fatura", "ödeme", "yenileme", "paket yükseltme", "müşteri hesabı", "iade"],
    announcements: ["bakım çalışması", "sunucu güncellemesi", "yeni PHP sürümü"],
  },
  titles: [
    "{T} çalışmıyor",
    "{T} nasıl ayarlanır?",
    "{e} hatası alıyorum: {t}",
    "Yardım: {t} sorunu",
    "{T} değişikliğinden sonra site açılmıyor",
    "{T} hakkında soru",
  ],
  question: [
    "Dünden beri {t} çalışmıyor ve nedenini bulamadım.",
    "Paneldeki ayarları kontrol ettim ama hâlâ {e} hatası görüyorum.",
    "Benzer bir sorun yaşayan oldu mu?",
    "Şifremi değiştirdim ama sorun devam ediyor.",
    "Hata kaydında şunu görüyorum: {code}",
    "Müşterimin sitesi, acil yardım lazım.",
    "Tarayıcı önbelleğini temizledim ve {n} saat bekledim.",
  ],
  reply: [
    "Önbelleği temizleyip tekrar deneyin.",
    "Hata kayıtlarını kontrol etmenizi öneririm.",
    "DNS değişikliklerinin yayılması {n} saate kadar sürebilir.",
    "{T} ayarlarını sıfırlamak benim için işe yaradı.",
    "Sorun büyük ihtimalle {t2} ayarında.",
    "Şu rehber tam olarak bunu anlatıyor: {url} bir bakın.",
  ],
  thanks: ["Teşekkürler, şimdi her şey çalışıyor!", "Sorun çözüldü, sağ olun.", "Bende de aynı sorun var."],
};

const IS: LanguagePack = {
  topics: {
    "domains-dns": ["lén", "DNS-færsla", "MX-færsla", "nafnaþjónn", "lénaflutningur", "undirlén"],
    email: ["tölvupóstur", "pósthólf", "SPF-færsla", "DKIM", "póstþjónn", "ruslpóstsía"],
    cpanel: ["cPanel", "afrit", "gagnagrunnur", "PHP-útgáfa", "cron-verk", "skráarstjóri"],
    "wordpress-apps": ["WordPress", "viðbót", "þema", "stjórnborð", "uppfærsla", "hvítur skjár"],
    "ssl-security": ["SSL-skírteini", "Let's Encrypt", "HTTPS-framsending", "spilliforrit", "eldveggur"],
    "billing-account": ["reikningur", "greiðsla", "endurnýjun", "áskrift", "notandaaðgangur"],
    announcements: ["viðhald", "uppfærsla netþjóna"],
  },
  titles: ["{T} virkar ekki", "Hvernig stilli ég {t}?", "Villa {e}: {t}", "Vandamál með {t}", "Hjálp: {t} hætti að virka"],
  question: [
    "Síðan í gær virkar {t} ekki og ég veit ekki af hverju.",
    "Ég athugaði stillingarnar en fæ enn villu {e}.",
    "Hefur einhver lent í þessu áður?",
    "Ég breytti lykilorðinu en vandamálið er enn til staðar.",
    "Í villuskránni stendur: {code}",
    "Vefurinn er niðri og viðskiptavinir bíða.",
  ],
  reply: [
    "Prófaðu að hreinsa skyndiminnið og reyndu aftur.",
    "Athugaðu villuskrána á vefþjóninum.",
    "Það getur tekið allt að {n} klukkustundir fyrir breytingarnar að taka gildi.",
    "Vandinn liggur líklega í {t2}.",
    "Leiðbeiningar eru hér: {url} og þær lýsa nákvæmlega þessu.",
  ],
  thanks: ["Takk, nú virkar allt!", "Þetta leysti málið, takk.", "Sama vandamál hjá mér."],
};

const BN: LanguagePack = {
  topics: {
    "domains-dns": ["ডোমেইন", "ডিএনএস রেকর্ড", "এমএক্স রেকর্ড", "নেমসার্ভার", "ডোমেইন ট্রান্সফার"],
    email: ["ইমেইল", "মেইলবক্স", "এসপিএফ রেকর্ড", "DKIM", "এসএমটিপি সার্ভার"],
    cpanel: ["cPanel", "ব্যাকআপ", "ডাটাবেস", "পিএইচপি সংস্করণ", "ক্রন জব"],
    "wordpress-apps": ["WordPress", "প্লাগইন", "থিম", "অ্যাডমিন প্যানেল", "ওয়েবসাইট আপডেট"],
    "ssl-security": ["এসএসএল সার্টিফিকেট", "Let's Encrypt", "HTTPS রিডাইরেক্ট", "ম্যালওয়্যার", "ফায়ারওয়াল"],
    "billing-account": ["ইনভয়েস", "পেমেন্ট", "নবায়ন", "প্যাকেজ আপগ্রেড", "অ্যাকাউন্ট"],
    announcements: ["রক্ষণাবেক্ষণ", "সার্ভার আপডেট"],
  },
  titles: ["{t} কাজ করছে না", "{t} কীভাবে সেটআপ করব?", "{e} ত্রুটি: {t}", "{t} নিয়ে সমস্যা", "সাহায্য দরকার: {t}"],
  question: [
    "গতকাল থেকে {t} কাজ করছে না, কারণ বুঝতে পারছি না।",
    "প্যানেলের সেটিংস দেখেছি, কিন্তু এখনও {e} ত্রুটি দেখাচ্ছে।",
    "কারও কি এমন সমস্যা হয়েছে?",
    "পাসওয়ার্ড বদলেছি, কিন্তু সমস্যা রয়ে গেছে।",
    "লগে এটা দেখাচ্ছে: {code}",
    "ওয়েবসাইট বন্ধ হয়ে আছে, দ্রুত সাহায্য প্রয়োজন।",
  ],
  reply: [
    "ক্যাশ পরিষ্কার করে আবার চেষ্টা করুন।",
    "সার্ভারের এরর লগ দেখে নিন।",
    "ডিএনএস পরিবর্তন কার্যকর হতে {n} ঘণ্টা পর্যন্ত লাগতে পারে।",
    "সমস্যাটা সম্ভবত {t2} সেটিংসে।",
    "এই গাইডটি দেখুন: {url} এখানে সব ধাপ আছে।",
  ],
  thanks: ["ধন্যবাদ, এখন সবকিছু ঠিকমতো কাজ করছে!", "সমাধান হয়েছে, ধন্যবাদ।", "আমারও একই সমস্যা।"],
};

const PACKS: Record<Language, LanguagePack> = { en: EN, pl: PL, tr: TR, is: IS, bn: BN };

const ERRORS = ["500", "503", "404", "403", "502", "504", "ERR_TOO_MANY_REDIRECTS", "NET::ERR_CERT_COMMON_NAME_INVALID", "550 5.7.1", "421", "SERVFAIL", "NXDOMAIN", "HTTP 429"];
const CODE = [
  "dig +short example.com MX",
  "dig +short TXT example.com",
  "php -v",
  "wp plugin deactivate --all",
  "PHP Fatal error: Allowed memory size exhausted",
  "SQLSTATE[HY000] [1045] Access denied",
  "certbot renew --dry-run",
  "tail -n 50 error_log",
  "550 5.7.1 Message rejected due to SPF policy",
  "RewriteRule ^(.*)$ https://%{HTTP_HOST}/$1 [R=301,L]",
  "crontab -l",
  "openssl s_client -connect example.com:443",
];
const KB_PAGES = ["dns-propagation", "set-up-spf-dkim", "change-php-version", "restore-backup", "autossl", "wordpress-memory-limit", "transfer-domain", "email-client-settings", "cron-jobs", "pay-invoice"];

/** Titles the harness looks threads up by are written by the generator itself; these are for the rest. */
export function composeTitle(random: Random, language: Language, category: CategorySlug): string {
  const pack = PACKS[language];
  return fill(random, random.pick(pack.titles), pack, category).slice(0, 150);
}

export function composeQuestion(random: Random, language: Language, category: CategorySlug): string {
  const pack = PACKS[language];
  return paragraphs(random, pack, category, pack.question, random.between(1, 3), 2, 4);
}

export function composeReply(random: Random, language: Language, category: CategorySlug, followUp: boolean): string {
  const pack = PACKS[language];
  if (followUp || random.chance(0.12)) {
    // Short follow-ups ("thanks, that solved it") are a good share of real replies.
    const thanks = random.pick(pack.thanks);
    return random.chance(0.5) ? thanks : `${thanks}\n\n${paragraphs(random, pack, category, pack.question, 1, 1, 2)}`;
  }
  return paragraphs(random, pack, category, pack.reply, random.between(1, 2), 1, 3);
}

function paragraphs(random: Random, pack: LanguagePack, category: CategorySlug, sentences: readonly string[], count: number, min: number, max: number): string {
  const out: string[] = [];
  for (let p = 0; p < count; p++) {
    const n = random.between(min, max);
    let paragraph = "";
    for (let s = 0; s < n; s++) {
      const sentence = fill(random, random.pick(sentences), pack, category);
      // Now and then a line break inside a paragraph (the renderer turns it into <br />).
      paragraph += s === 0 ? sentence : (random.chance(0.1) ? "\n" : " ") + sentence;
    }
    out.push(paragraph);
  }
  return out.join("\n\n");
}

function fill(random: Random, template: string, pack: LanguagePack, category: CategorySlug): string {
  const topics = pack.topics[category];
  return template.replace(/\{(t2|t|T|e|n|code|url)\}/g, (_, slot: string) => {
    switch (slot) {
      case "t":
      case "t2":
        return random.pick(topics);
      case "T": {
        const topic = random.pick(topics);
        return topic.charAt(0).toUpperCase() + topic.slice(1);
      }
      case "e":
        return random.pick(ERRORS);
      case "n":
        return String(random.between(2, 48));
      case "code":
        return "`" + random.pick(CODE) + "`";
      default:
        return `https://help.example-host.com/kb/${random.pick(KB_PAGES)}`;
    }
  });
}

/**
 * The HTML the app's markdown renderer (marked with GFM and line breaks, then sanitize-html)
 * produces for the markdown subset above: paragraphs, line breaks, inline code and bare links.
 * Rendering a million posts through marked would take minutes; the generator checks a sample
 * against the real renderer instead.
 */
export function renderBody(source: string): string {
  let html = "";
  for (const paragraph of source.split("\n\n")) {
    html += `<p>${paragraph.split("\n").map(renderInline).join("<br />")}</p>\n`;
  }
  return html;
}

function renderInline(line: string): string {
  // Code spans first (their content is literal), links in the text between them.
  return line
    .split(/(`[^`]*`)/)
    .map((part) =>
      part.startsWith("`") && part.endsWith("`") && part.length > 1
        ? `<code>${escapeHtml(part.slice(1, -1))}</code>`
        : escapeHtml(part).replace(/https:\/\/[^\s<]+/g, (url) => `<a href="${url}" rel="nofollow ugc noopener">${url}</a>`),
    )
    .join("");
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Username stems from the same languages as the posts (usernames themselves stay ASCII). */
export const USERNAME_STEMS = [
  "alex", "sam", "jordan", "taylor", "chris", "morgan", "jamie", "casey", "riley", "pat", "dana", "robin",
  "kasia", "tomek", "marta", "piotr", "agnieszka", "bartek", "ayse", "mehmet", "elif", "emre", "zeynep", "burak",
  "gudrun", "sigga", "jon", "bjarki", "helga", "einar", "rahim", "tania", "arif", "nusrat", "sakib", "mitu",
];
export const USERNAME_SUFFIXES = ["", "", "_dev", "_web", ".host", "_ops", "-site", "_shop", ".it", "_wp"];
