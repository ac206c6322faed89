/**
 * Cross-site scripting in a real browser against the production build: script payloads posted as a
 * thread title, a question, an answer, a username and a search query must come back as text or
 * as harmless HTML on every page that shows them. A payload that runs sets `window.__xss` or
 * opens a dialog; both are watched, and so is the DOM for what the sanitizer must never let through.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { chromiumOrSkip } from "./support/browser";
import { accept, acceptedAnswerSection, answer, answerBy, ask, distinctiveWord, newPerson, PASSWORD, signUp } from "./support/forum";
import { descriptionOf, useBrowserSuite, type WatchedPage } from "./support/suite";

const chromiumPath = chromiumOrSkip();
const database = process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite";

const RUN = "window.__xss=1;alert(1)";

/**
 * Each would run `RUN` (or hide the page, or post elsewhere) if it reached the page as HTML.
 * These leave no link behind once sanitized...
 */
const PAYLOADS = [
  `<img src=x onerror="${RUN}">`,
  `<script>${RUN}</script>`,
  `"><svg onload="${RUN}">`,
  `<iframe src="javascript:${RUN}"></iframe>`,
  `<style>body{display:none}</style>`,
  `![x](x" onerror="${RUN})`,
  `![img](javascript:${RUN})`,
  `![data](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)`,
  `<form action=https://evil.example><button>go</button></form>`,
  `<details open ontoggle="${RUN}">x</details>`,
  `<object data="javascript:${RUN}"></object><embed src="javascript:${RUN}">`,
  `<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=javascript:${RUN}">`,
  `<input autofocus onfocus="${RUN}">`,
  `<noscript><p title="</noscript><img src=x onerror=${RUN}>">`,
  `</textarea><script>${RUN}</script>`,
  // Addresses without a scheme that are not this forum's: another host, or relative to the page.
  `[protocol-relative](//evil.example/steal)`,
  `<a href="/\\evil.example/steal">backslash</a>`,
  `[relative](../admin/members)`,
];

/**
 * ...and these each leave an <a>, of which a new member may post two per post. So they are
 * spread over the question and two answers, two to a post.
 */
const LINK_PAYLOADS: Array<[string, string]> = [
  [`[click](javascript:${RUN})`, `<a href="javascript:${RUN}">x</a>`],
  [`<a href="JaVaScRiPt&#58;${RUN}">entity colon</a>`, `[entity](&#106;avascript:${RUN})`],
  [`<javascript:${RUN}>`, `[link](https://example.com "title\\" onmouseover=\\"${RUN}")`],
];

/** Last in a post: the sanitizer drops everything after its unclosed <style>. */
const SWALLOWING_PAYLOAD = `<math><mtext><table><mglyph><style><img src=x onerror="${RUN}">`;

const TITLE = `<script>${RUN}</script><img src=x onerror="${RUN}"> "><svg onload=alert(1)>`;
const CODE_SPAN = "`<script>window.__xss=1</script>`";

/** What the sanitizer must never let into a post, and what must never be on a page at all. */
function findInjections(): string[] {
  const found: string[] = [];
  const where = (el: Element) => `<${el.tagName.toLowerCase()}> in ${el.closest("[id]")?.id ?? el.parentElement?.tagName.toLowerCase()}`;
  const URL_ATTRIBUTES = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc", "srcset", "ping", "cite", "content"]);
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) found.push(`${name}= on ${where(el)}`);
      // Browsers ignore control characters and spaces in a URL's scheme ("java\tscript:").
      const value = [...attr.value].filter((c) => c.charCodeAt(0) > 0x20).join("").toLowerCase();
      if (URL_ATTRIBUTES.has(name) && /^(javascript|vbscript|data):/.test(value)) found.push(`${name}="${attr.value}" on ${where(el)}`);
    }
    // Remix's own scripts sit directly in <head> or <body>; any other is injected.
    if (el.tagName === "SCRIPT" && el.parentElement !== document.head && el.parentElement !== document.body) found.push(where(el));
  }
  for (const el of document.querySelectorAll("iframe, frame, frameset, object, embed, portal, base, meta[http-equiv]")) found.push(where(el));
  for (const body of document.querySelectorAll(".post__body")) {
    for (const el of body.querySelectorAll("script, style, link, meta, form, input, button, textarea, select, svg, math, iframe, details, noscript, template, video, audio, source, [style]")) {
      found.push(where(el));
    }
    // Links keep http(s) and mailto addresses, or this forum's paths ("/t/12", "#post-3") but never
    // "//host" or "/\host"; images come from https addresses only.
    for (const link of body.querySelectorAll("a[href]")) {
      const url = [...link.getAttribute("href")!].filter((c) => c.charCodeAt(0) > 0x20).join("");
      if (!/^(https?:|mailto:|#|\/(?![/\\]))/i.test(url)) found.push(`a with "${url}"`);
    }
    for (const image of body.querySelectorAll("img[src]")) {
      const url = [...image.getAttribute("src")!].filter((c) => c.charCodeAt(0) > 0x20).join("");
      if (!/^https:/i.test(url)) found.push(`img with "${url}"`);
    }
  }
  return found;
}

interface Guarded extends WatchedPage {
  /** Dialogs that opened (each one a payload that ran). */
  dialogs: string[];
}

function guard(watched: WatchedPage): Guarded {
  const dialogs: string[] = [];
  watched.page.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()} on ${watched.page.url()}`);
    void dialog.dismiss().catch(() => {});
  });
  return { ...watched, dialogs };
}

/** The page is loaded, no payload ran, and nothing dangerous is in its DOM. */
async function expectSafe(guarded: Guarded, where: string): Promise<void> {
  const { page } = guarded;
  await page.waitForLoadState("load");
  // Handlers such as onerror fire once a broken image has failed; give them a moment.
  await page.waitForTimeout(150);
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), `window.__xss on ${where}`).toBeUndefined();
  expect(await page.evaluate(findInjections), `injected on ${where}`).toEqual([]);
  expect(guarded.dialogs, `dialogs on ${where}`).toEqual([]);
}

const threadLink = (page: Page) => page.getByRole("link", { name: TITLE, exact: true });

describe.skipIf(!chromiumPath)(`script payloads in the browser (${database})`, () => {
  const suite = useBrowserSuite(chromiumPath!);

  it("shows payloads in titles, posts and search as text or harmless HTML, on every page that shows them", async () => {
    const asker = newPerson("xss_ask");
    const helper = newPerson("xss_help");
    const other = newPerson("xss_other");
    const askerPage = guard(await suite.openPage());
    const helperPage = guard(await suite.openPage());
    const otherPage = guard(await suite.openPage());
    const visitorPage = guard(await suite.openPage());
    await signUp(askerPage.page, asker);
    await signUp(helperPage.page, helper);
    await signUp(otherPage.page, other);

    const word = distinctiveWord();
    // As paragraphs in the question, as list items in the answers.
    const question = [`My ${word} site shows odd code after the update. Here is what I pasted:`, ...PAYLOADS, ...LINK_PAYLOADS[0]!, SWALLOWING_PAYLOAD].join("\n\n");
    const replyWith = (links: string[]) =>
      [`Never paste code like this. For example ${CODE_SPAN} runs in a page. Yours:`, "", ...[...PAYLOADS, ...links, SWALLOWING_PAYLOAD].map((payload) => `- ${payload}`)].join("\n");

    // The title goes through step 1's GET and step 2's form: the helper checks it comes back as typed.
    const threadPath = await ask(askerPage.page, { title: TITLE, category: "Email", body: question });
    await expectSafe(askerPage, "the new thread");

    // Waiting for an answer: the unanswered queue lists it.
    const visitor = visitorPage.page;
    await visitor.goto("/unanswered");
    await threadLink(visitor).waitFor();
    await expectSafe(visitorPage, "/unanswered");

    await answer(helperPage.page, threadPath, replyWith(LINK_PAYLOADS[1]!), helper.username);
    await expectSafe(helperPage, "the thread after answering");
    await answer(otherPage.page, threadPath, replyWith(LINK_PAYLOADS[2]!), other.username);
    await expectSafe(otherPage, "the thread after the second answer");
    await askerPage.page.goto(threadPath);
    await accept(askerPage.page, helper.username, "Accept this answer");
    await expectSafe(askerPage, "the thread after accepting");

    // The thread, as anyone sees it: the title is text, the posts are sanitized HTML.
    await visitor.goto(threadPath);
    await visitor.getByRole("heading", { level: 1, name: TITLE, exact: true }).waitFor();
    expect(await visitor.locator("h1").innerText()).toBe(TITLE);
    expect(await visitor.title()).toBe(`${TITLE} · Email · HostHelp`);
    const questionBody = visitor.getByRole("article", { name: "Question", exact: true }).locator(".post__body");
    expect(await questionBody.innerText()).toContain(`My ${word} site shows odd code`);
    // Code is shown as code, not run.
    expect(await answerBy(visitor, helper.username).locator(".post__body code").first().innerText()).toBe("<script>window.__xss=1</script>");
    expect(await acceptedAnswerSection(visitor, helper.username).locator("code").first().innerText()).toBe("<script>window.__xss=1</script>");
    // The page is still visible (the <style> payload did not hide it) and has no foreign form.
    expect(await visitor.locator("body").isVisible()).toBe(true);
    expect(await visitor.locator('form[action*="evil.example"]').count()).toBe(0);
    await expectSafe(visitorPage, "the thread");

    // Lists that show the title.
    for (const path of ["/", "/c/email", `/u/${helper.username}`]) {
      await visitor.goto(path);
      await threadLink(visitor).waitFor();
      await expectSafe(visitorPage, path);
    }

    // Search: found by its words, with the question's text (tags and all) as a plain-text snippet.
    await visitor.goto(`/search?q=${encodeURIComponent(word)}`);
    const result = visitor.locator("ol.search-results > li");
    await result.getByRole("link", { name: TITLE, exact: true }).waitFor();
    expect(await result.locator("mark").allInnerTexts()).toEqual([word]);
    // (The snippet is plain text: markdown marks such as ">" and "_" are dropped, "<" stays.)
    const snippet = await result.locator(".search-results__snippet").innerText();
    expect(snippet).toContain("<img src=x onerror=");
    expect(snippet).toContain("<script");
    expect(await result.locator(".search-results__snippet *:not(mark, span)").count()).toBe(0);
    await expectSafe(visitorPage, "search results");

    // The asker's notification names the thread as text.
    await askerPage.page.goto("/notifications");
    await askerPage.page.getByRole("button", { name: `Unread: ${helper.username} answered your question “${TITLE}”`, exact: true }).waitFor();
    await expectSafe(askerPage, "/notifications");

    // Editing puts the source back in the form, as typed (the </textarea> payload stays inside).
    await askerPage.page.goto(threadPath);
    await askerPage.page.getByRole("article", { name: "Question", exact: true }).getByRole("link", { name: "Edit", exact: true }).click();
    await askerPage.page.getByRole("heading", { level: 1, name: "Edit your question" }).waitFor();
    expect(await askerPage.page.getByLabel("Title", { exact: true }).inputValue()).toBe(TITLE);
    expect(await askerPage.page.getByLabel("Text", { exact: true }).inputValue()).toBe(question);
    await expectSafe(askerPage, "the edit page");
    const postId = new URL(askerPage.page.url()).pathname.split("/")[2];
    await visitor.goto(`/posts/${postId}/revisions`);
    expect(await visitor.locator(".revision__source").innerText()).toBe(question);
    expect(await visitor.locator(".revision__title").innerText()).toBe(`Title: ${TITLE}`);
    await expectSafe(visitorPage, "the revision history");

    // Someone typing the same title is offered the solved thread, its title as text.
    await helperPage.page.goto("/ask");
    await helperPage.page.getByLabel("Title", { exact: true }).fill(TITLE);
    await helperPage.page.getByRole("region", { name: "Solved questions like yours" }).getByRole("link", { name: TITLE, exact: true }).waitFor();
    await expectSafe(helperPage, "/ask with suggestions");

    for (const [who, guarded] of [["asker", askerPage], ["helper", helperPage], ["other", otherPage], ["visitor", visitorPage]] as const) {
      expect(guarded.problems, who).toEqual([]);
    }
  });

  it("echoes a search query as text: in the field, the page title and the no-results message", async () => {
    const guarded = guard(await suite.openPage());
    const { page } = guarded;
    const queries = [
      `<img src=x onerror="${RUN}">`,
      `"><svg onload=alert(1)> </title><script>${RUN}</script>`,
      `[click](javascript:${RUN}) <iframe src="javascript:alert(1)">`,
      // Matches nothing, so the query is also echoed in the "Nothing matches" message.
      `<img src=x onerror=alert(1)> ${distinctiveWord()}`,
    ];
    for (const query of queries) {
      // Typed in the header's search box, as a person would.
      await page.goto("/");
      await page.getByRole("searchbox", { name: "Search the forum" }).fill(query);
      await page.getByRole("searchbox", { name: "Search the forum" }).press("Enter");
      await page.waitForURL((url) => url.pathname === "/search" && url.searchParams.get("q") === query);
      await page.getByRole("heading", { level: 1, name: "Search" }).waitFor();
      expect(await page.getByLabel("Search for", { exact: true }).inputValue()).toBe(query);
      expect(await page.getByRole("searchbox", { name: "Search the forum" }).inputValue()).toBe(query);
      expect(await page.title()).toBe(`“${query}” · Search · HostHelp`);
      // Whether or not a thread from the first test matches these words, the page is safe;
      // with no match, the message repeats the query as text and offers to ask it.
      if ((await page.locator("ol.search-results").count()) === 0) {
        await page.getByText(`Nothing matches “${query}”`).waitFor();
        const askLink = page.getByRole("link", { name: "ask it as a new question" });
        expect(await askLink.getAttribute("href")).toBe(`/ask?title=${encodeURIComponent(query)}`);
      } else {
        for (const mark of await page.locator("ol.search-results mark").allInnerTexts()) expect(mark).toMatch(/^[\p{L}\p{N}]+$/u);
      }
      await expectSafe(guarded, `/search?q=${query}`);
    }
    expect(guarded.problems).toEqual([]);
  });

  it("refuses usernames that are markup, and shows the message and the typed name as text", async () => {
    const guarded = guard(await suite.openPage());
    const { page } = guarded;
    const username = page.getByLabel("Username", { exact: true });
    // At most 24 characters, the field's limit, so the name is refused for what it is, not its length.
    for (const name of [`"><svg/onload=alert(1)>`, "<img src=x onerror=a()>", "'-alert(1)-'"]) {
      await page.goto("/signup");
      await username.fill(name);
      await page.getByLabel("Email", { exact: true }).fill(newPerson("xss_u").email);
      await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
      await guarded.expectFailedLoad(400, async () => {
        await page.getByRole("button", { name: "Create account" }).click();
        await page.getByText('Use letters, digits, "_", "." and "-" only, starting and ending with a letter or digit.', { exact: true }).waitFor();
      });
      expect(await descriptionOf(username)).toContain('Use letters, digits, "_", "." and "-" only');
      expect(await username.getAttribute("aria-invalid")).toBe("true");
      expect(await username.inputValue()).toBe(name);
      expect(await page.locator("main svg, main img").count()).toBe(0);
      await expectSafe(guarded, `sign-up refusing ${name}`);
    }
    expect(guarded.problems).toEqual([]);
  });

  it("refuses a markup username without JavaScript: the server's page escapes it", async () => {
    const { page } = await suite.openPage({ javaScriptEnabled: false });
    const name = "<svg onload=alert(1)>";
    await page.goto("/signup");
    await page.getByLabel("Username", { exact: true }).fill(name);
    await page.getByLabel("Email", { exact: true }).fill(newPerson("xss_n").email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    const response = page.waitForResponse((r) => r.request().method() === "POST");
    await page.getByRole("button", { name: "Create account" }).click();
    const html = await (await response).text();
    expect((await response).status()).toBe(400);
    expect(html).not.toContain(name);
    expect(html).toContain(name.replaceAll("<", "&lt;").replaceAll(">", "&gt;"));
    await page.getByText('Use letters, digits, "_", "." and "-" only, starting and ending with a letter or digit.', { exact: true }).waitFor();
    expect(await page.getByLabel("Username", { exact: true }).inputValue()).toBe(name);
  });
});
