import { describe, expect, it } from "vitest";
import { threadPath } from "~/lib/paths";
import { askSchema } from "~/models/forum-input.server";
import { formatDuration, slugify } from "~/models/forum-rules";
import { can, canSee, type Actor } from "~/models/permissions";
import { highlighted, plainText, postSnippet, queryTerms, snippet } from "~/models/search.server";
import { Random } from "../bench/random";

const member: Actor = { id: 1, role: "member" };
const other: Actor = { id: 2, role: "member" };
const moderator: Actor = { id: 3, role: "moderator" };
const open = { authorId: 1, lockedAt: null, hiddenAt: null };
const locked = { authorId: 1, lockedAt: new Date(), hiddenAt: null };

describe("slugs", () => {
  it("keep words in any script", () => {
    expect(slugify("Emails to Gmail bounce with 550 5.7.26!")).toBe("emails-to-gmail-bounce-with-550-5-7-26");
    expect(slugify("Błąd krytyczny WordPressa")).toBe("błąd-krytyczny-wordpressa");
    expect(slugify("ব্যাকআপ থেকে ডাটাবেস")).toBe("ব্যাকআপ-থেকে-ডাটাবেস");
    expect(slugify("???")).toBe("thread");
    expect(slugify("a".repeat(100)).length).toBe(60);
  });
});

describe("asking", () => {
  it("bounds the title and requires a body and category", () => {
    expect(askSchema.safeParse({ title: "Site down", body: "It shows a 500 error since noon.", category: "cpanel" }).success).toBe(true);
    const fields = new Set(askSchema.safeParse({ title: "short", body: "", category: "" }).error!.issues.map((i) => i.path[0]));
    expect(fields).toEqual(new Set(["title", "body", "category"]));
    expect(askSchema.safeParse({ title: "x".repeat(151), body: "long enough body", category: "email" }).success).toBe(false);
  });
});

describe("forum permissions", () => {
  it("lets the asker accept while open, moderators always, others never", () => {
    expect(can(member, "answer:accept", { thread: open })).toBe(true);
    expect(can(member, "answer:accept", { thread: locked })).toBe(false);
    expect(can(other, "answer:accept", { thread: open })).toBe(false);
    expect(can(moderator, "answer:accept", { thread: locked })).toBe(true);
    expect(can(null, "answer:accept", { thread: open })).toBe(false);
  });

  it("keeps locked threads closed to replies except for staff", () => {
    expect(can(other, "thread:reply", { thread: open })).toBe(true);
    expect(can(other, "thread:reply", { thread: locked })).toBe(false);
    expect(can(moderator, "thread:reply", { thread: locked })).toBe(true);
    expect(can(null, "thread:reply", { thread: open })).toBe(false);
  });

  it("keeps staff-only categories to staff", () => {
    expect(can(member, "thread:create", { category: { staffOnly: true } })).toBe(false);
    expect(can(moderator, "thread:create", { category: { staffOnly: true } })).toBe(true);
    expect(can(member, "thread:create", { category: { staffOnly: false } })).toBe(true);
  });

  it("lets authors edit their own posts, staff any, and delete only the last one, if visible, unflagged, never accepted, in an open thread", () => {
    const post = { authorId: 1, hiddenAt: null };
    expect(can(member, "post:edit", { post, thread: open })).toBe(true);
    expect(can(other, "post:edit", { post, thread: open })).toBe(false);
    expect(can(moderator, "post:edit", { post, thread: locked })).toBe(true);
    const deletable = { post, thread: open, isLastPost: true, wasAccepted: false, flagged: false };
    expect(can(member, "post:delete", deletable)).toBe(true);
    expect(can(member, "post:delete", { ...deletable, isLastPost: false })).toBe(false);
    expect(can(member, "post:delete", { ...deletable, wasAccepted: true })).toBe(false);
    expect(can(member, "post:delete", { ...deletable, post: { ...post, hiddenAt: new Date() } })).toBe(false);
    expect(can(member, "post:delete", { ...deletable, thread: locked })).toBe(false);
    expect(can(member, "post:delete", { ...deletable, thread: { ...open, hiddenAt: new Date() } })).toBe(false);
    expect(can(member, "post:delete", { ...deletable, flagged: true })).toBe(false);
    expect(can(moderator, "post:delete", deletable)).toBe(false);
    const ownReply = { authorId: moderator.id, hiddenAt: null };
    expect(can(moderator, "post:delete", { ...deletable, post: ownReply, thread: locked })).toBe(true);
  });

  it("shows hidden things only to staff and their author", () => {
    const hidden = { authorId: 1, hiddenAt: new Date() };
    expect([null, member, other, moderator].map((actor) => canSee(actor, hidden))).toEqual([false, true, false, true]);
  });
});

describe("search snippets", () => {
  it("highlight the matching words in any script and case", () => {
    const parts = snippet("Po aktualizacji wtyczki strona pokazuje błąd krytyczny. ŁÓDŹ", queryTerms("WTYCZKI łódź"));
    expect(parts.filter((p) => p.match).map((p) => p.text)).toEqual(["wtyczki", "ŁÓDŹ"]);
    const bengali = snippet("আমি ভুল করে একটি টেবিল মুছে ফেলেছি", queryTerms("টেবিল"));
    expect(bengali.filter((p) => p.match).map((p) => p.text)).toEqual(["টেবিল"]);
    expect(snippet("İstanbul sunucusu çalışmıyor", queryTerms("istanbul")).some((p) => p.match && p.text === "İstanbul")).toBe(true);
  });

  it("mark whole words only, in the order they appear", () => {
    const parts = snippet("DNSSEC breaks dns? Check the DNS-record: dnssecoff is another word.", queryTerms("dnssec dns"));
    expect(parts.filter((p) => p.match).map((p) => p.text)).toEqual(["DNSSEC", "dns", "DNS"]);
    expect(snippet("Ünlü sunucu: ünlü değil", queryTerms("ünlü")).filter((p) => p.match).map((p) => p.text)).toEqual(["Ünlü", "ünlü"]);
  });

  it("look for no empty word, though a word of the query folds to nothing", () => {
    // U+0307 alone is a word to the query's pattern (a combining mark) and folds to "".
    const terms = queryTerms("nginx \u0307");
    expect([...terms]).toEqual(["nginx"]);
    expect(highlighted("nginx is down", terms)).toEqual([
      { text: "nginx", match: true },
      { text: " is down", match: false },
    ]);
    expect(snippet("Ünlü nginx", terms).filter((p) => p.match).map((p) => p.text)).toEqual(["nginx"]);
  });

  it("take a letter outside the BMP for a letter beside a word", () => {
    // "𠀀" is two UTF-16 units: "𠀀abc" is one word, which "abc" is not.
    expect(highlighted("𠀀abc abc", queryTerms("abc")).filter((p) => p.match)).toEqual([{ text: "abc", match: true }]);
    expect(highlighted("𠀀abc abc", queryTerms("abc"))[0]).toEqual({ text: "𠀀abc ", match: false });
  });

  it("show the neighbourhood of the first match in a long text, from and to whole words", () => {
    const text = `${"filler words here ".repeat(40)}the DKIM record is missing ${"and then some more ".repeat(40)}`;
    const parts = snippet(text, queryTerms("dkim"));
    expect(parts[0]!.text).toBe("… ");
    expect(parts.map((p) => p.text).join("").length).toBeLessThan(260);
    expect(parts.some((p) => p.match && p.text === "DKIM")).toBe(true);
    expect(parts[1]!.text).toMatch(/^filler /);
    expect(parts.at(-2)!.text.split(" ").at(-1)).toBeOneOf(["and", "then", "some", "more"]);
    expect(parts.at(-1)!.text).toBe(" …");
    // A long word (a URL) at the end is cut, rather than the text before it dropped.
    const url = `https://example.com/${"x".repeat(300)}`;
    expect(snippet(`The DKIM guide: ${url}`, queryTerms("dkim")).map((p) => p.text).join("")).toBe(`The DKIM guide: ${url.slice(0, 224)} …`);
  });

  it("read markdown as plain text", () => {
    expect(plainText("**Bold** [link](https://x.example) `code`\n\n```\nblock\n```")).toBe("Bold link code");
    // Marks leave no gap before punctuation.
    expect(plainText("AutoSSL covers `www.example.com`. _Really_, ~~twice~~! ***Both***, **not**ing")).toBe("AutoSSL covers www.example.com. Really, twice! Both, noting");
    // Headings, quotes, lists and tables lose their marks, and lines that only draw go.
    expect(plainText("## Check the logs\n> quoted > 2\n* one\n- two\n1. three\n\n| a | b |\n| :-- | --: |\n\n---\nSetext\n======")).toBe(
      "Check the logs quoted > 2 one two 1. three a b Setext",
    );
    // What the same characters write besides emphasis stays.
    const notEmphasis = ["error_log", "DB__HOST", ".menu__item", "_dmarc and default._domainkey", "*.example.com", "5 * 3", "rm ./cache/*", "~/.bashrc", "a~~b", "#1 priority"];
    expect(notEmphasis.map(plainText)).toEqual(notEmphasis);
    // Each run of whitespace and cell borders is one space, whatever it holds.
    expect(plainText("one  two\tthree\u00a0four \n five|six | seven\r\n\u2003eight")).toBe("one two three four five six seven eight");
  });

  it("of a long post are the ones its whole text gives, though only a stretch around the match is cleaned", () => {
    // Long posts of the markup plainText handles, a line at a time: prose, some of it in one very
    // long line, code blocks holding the words too, links whose address does, and other marks.
    const random = new Random(20261202);
    const words = ["dkim", "mx", "Łódź", "ünlü", "İstanbul", "www.example.com", "error_log"];
    const filler = ["the", "panel", "quota", "a", "is", "record", "mail", "sunucu", "poczta"];
    const prose = (count: number) => Array.from({ length: count }, () => random.pick(random.chance(0.005) ? words : filler)).join(" ");
    const lines = [
      () => prose(random.between(3, 30)),
      () => prose(random.between(200, 600)),
      () => `\`\`\`\n${Array.from({ length: random.between(1, 80) }, () => prose(6)).join("\n")}\n\`\`\``,
      () => `See [the ${prose(2)} guide](https://${random.pick(words)}.example/${prose(3).replace(/ /g, "/")}) for ${prose(4)}.`,
      () => `![${prose(2)}](https://img.example/${random.pick(words)}.png)`,
      () => `## ${prose(4)}`,
      () => `> **${prose(3)}** and _${prose(2)}_, \`${random.pick(words)}\``,
      () => `- ${prose(5)}\n- ~~${prose(2)}~~`,
      () => `| ${prose(2)} | ${prose(2)} |\n| --- | --- |\n| ${prose(1)} | ${prose(1)} |`,
      () => "",
    ];
    let stretched = 0;
    for (let post = 0; post < 300; post++) {
      const parts: string[] = [];
      const size = random.between(4_000, 30_000);
      for (let length = 0; length < size; length += parts.at(-1)!.length + 1) parts.push(random.pick(lines)());
      const markdown = parts.join("\n");
      const terms = queryTerms(`${random.pick(words)} ${random.chance(0.5) ? random.pick(words) : ""}`);
      const whole = snippet(plainText(markdown), terms);
      expect(postSnippet(markdown, terms), `post ${post}`).toEqual(whole);
      if (whole[0]?.text === "… ") stretched++;
    }
    // Most of the posts' snippets start well inside them: the cutting was put to the test.
    expect(stretched).toBeGreaterThan(150);
  });

  it("of a long post skip a match that only its code block or link address holds", () => {
    const terms = queryTerms("dkim");
    const filler = `${"Nothing to see in this line of the post. ".repeat(3)}\n`.repeat(60);
    const codeFirst = `\`\`\`\ndkim = on\n\`\`\`\n${filler}The DKIM key is missing.\n${filler}`;
    expect(postSnippet(codeFirst, terms).filter((p) => p.match).map((p) => p.text)).toEqual(["DKIM"]);
    const addressFirst = `[the guide](https://dkim.example/) ${filler}The DKIM key is missing.\n${filler}`;
    expect(postSnippet(addressFirst, terms)).toEqual(snippet(plainText(addressFirst), terms));
    expect(postSnippet(addressFirst, terms).filter((p) => p.match).map((p) => p.text)).toEqual(["DKIM"]);
  });

  it("read markup without a partner, in long runs, as text, and emphasis only up to a sentence or two", () => {
    // Marks with no partner, each looked through only so far (a post of them once took 0.3-0.8 s).
    for (const unpaired of ["*a ".repeat(3000), "_a ".repeat(3000), "[a](".repeat(2000), "![a](".repeat(2000), "|-".repeat(3000) + "x"]) {
      expect(plainText(unpaired)).toBe(unpaired.replace(/\|/g, " ").replace(/ +/g, " ").trim());
    }
    const words = (count: number) => Array.from({ length: count }, (_, i) => `word${i}`).join(" ");
    expect(plainText(`**${words(10)}**`)).toBe(words(10));
    expect(plainText(`**${words(30)}**`)).toBe(`**${words(30)}**`);
    expect(plainText(`[the guide](https://example.com/${"a".repeat(400)})`)).toBe("the guide");
  });

  it("mark the query's words in a whole title", () => {
    expect(highlighted("DNS not resolving after changing nameservers", queryTerms("dns nameservers"))).toEqual([
      { text: "DNS", match: true },
      { text: " not resolving after changing ", match: false },
      { text: "nameservers", match: true },
    ]);
    expect(highlighted("Łódź mail", queryTerms("ŁÓDŹ"))).toEqual([
      { text: "Łódź", match: true },
      { text: " mail", match: false },
    ]);
    expect(highlighted("Nothing here", queryTerms("dns"))).toEqual([{ text: "Nothing here", match: false }]);
    // Neither the "or" that joins two words nor a word left out is marked.
    expect(highlighted("DNS or MX without Cloudflare", queryTerms("dns or mx -cloudflare")).filter((part) => part.match)).toEqual([
      { text: "DNS", match: true },
      { text: "MX", match: true },
    ]);
  });
});

describe("paths and durations", () => {
  it("point at the page a post is on", () => {
    expect(threadPath({ id: 7, slug: "dns" })).toBe("/t/7/dns");
    expect(threadPath({ id: 7, slug: "dns" }, 20)).toBe("/t/7/dns#post-20");
    expect(threadPath({ id: 7, slug: "dns" }, 21)).toBe("/t/7/dns?page=2#post-21");
  });

  it("speak briefly", () => {
    expect([30, 300, 3600, 5400, 86_400, 90_000].map(formatDuration)).toEqual(["under a minute", "5 min", "1 h", "1 h 30 min", "1 d", "1 d 1 h"]);
  });
});
