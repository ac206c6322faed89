/**
 * The forum's main path in a real browser against the production build: a customer asks, two
 * members answer, the customer accepts one, a moderator (appointed in the admin pages) changes it
 * to the other; profiles, the leaderboard, search, notifications and emails follow each change.
 * And the same ask → answer → accept with JavaScript switched off, under a title in Polish.
 */
import { describe, expect, it } from "vitest";
import { useBrowserSuiteWithAdmin } from "./support/admin-server";
import { chromiumOrSkip } from "./support/browser";
import {
  accept,
  acceptedAnswerSection,
  accountMenu,
  accountNav,
  answer,
  answerBy,
  ask,
  distinctiveWord,
  leaderboard,
  newPerson,
  profileFigure,
  recordPosts,
  signIn,
  signUp,
  subjectsTo,
  waitForEmails,
} from "./support/forum";
import type { WatchedPage } from "./support/suite";

const chromiumPath = chromiumOrSkip();
const database = process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite";

/** The header link to the notifications, named as a screen reader reads it: "Notifications, 2 unread". */
function notificationsLink(watched: WatchedPage, unread: number) {
  const name = unread > 0 ? `Notifications, ${unread} unread` : "Notifications";
  return accountNav(watched.page).getByRole("link", { name, exact: true });
}

describe.skipIf(!chromiumPath)(`the forum in the browser (${database})`, () => {
  const suite = useBrowserSuiteWithAdmin(chromiumPath!);

  it("asks, answers, accepts, and a moderator changes the accepted answer; counts, search, notifications and email follow", async () => {
    const { mailbox } = suite.server;
    const [customer, ann, ben, mod] = [newPerson("cust"), newPerson("ann"), newPerson("ben"), newPerson("mod")];
    const pages = {
      customer: await suite.openPage(),
      ann: await suite.openPage(),
      ben: await suite.openPage(),
      mod: await suite.openPage(),
      admin: await suite.openPage(),
      visitor: await suite.openPage(),
    };
    await signUp(pages.customer.page, customer);
    await signUp(pages.ann.page, ann);
    await signUp(pages.ben.page, ben);
    await signUp(pages.mod.page, mod);

    // The customer asks an urgent question about email.
    const word = distinctiveWord();
    const title = `Mail to Gmail bounces with 550 5.7.26 since Monday ${word.slice(-4)}`;
    const threadPath = await ask(pages.customer.page, {
      title,
      category: "Email",
      urgent: true,
      body: `Since Monday every message from info@bakery.example to Gmail comes back with 550 5.7.26 (unauthenticated sender). The ${word} relay was never changed. What did I miss?`,
    });
    {
      const { page } = pages.customer;
      await page.locator(".thread__meta").getByText("Urgent", { exact: true }).waitFor();
      await page.locator(".breadcrumbs").getByRole("link", { name: "Email", exact: true }).waitFor();
      expect(await page.getByRole("heading", { name: "No answers yet" }).count()).toBe(1);
    }

    // Two members answer.
    await answer(pages.ann.page, threadPath, "Add an SPF record: `v=spf1 include:_spf.host.example ~all`, then wait for DNS.", ann.username);
    await answer(pages.ben.page, threadPath, "Gmail wants DKIM as well: turn on **DKIM signing** in the panel's Email Deliverability page and publish the key.", ben.username);

    // The customer hears of both (in the header), and accepts Ann's.
    {
      const { page } = pages.customer;
      await page.goto(threadPath);
      await notificationsLink(pages.customer, 2).waitFor();
      expect(await page.getByRole("heading", { name: "2 answers" }).count()).toBe(1);
      expect(await page.getByText("Solved", { exact: true }).count()).toBe(0);
      const posts = recordPosts(page);
      await accept(page, ann.username, "Accept this answer");
      await page.locator(".thread__meta").getByText("Solved", { exact: true }).waitFor();
      // The posts' buttons are plain forms in server-made markup; with JavaScript they go
      // through the router as a Remix form does, not as a page load.
      expect(posts.map((post) => `${post.resourceType()} ${new URL(post.url()).pathname}`)).toEqual([`fetch ${threadPath}.data`]);
      // The pressed button's focus passes to the button in its place, for keyboard users.
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Withdraw acceptance");
      const quoted = acceptedAnswerSection(page, ann.username);
      expect(await quoted.innerText()).toContain("v=spf1 include:_spf.host.example ~all");
      await quoted.getByRole("link", { name: "Jump to the answer in the thread" }).waitFor();
      // Ann's answer can be withdrawn, Ben's can replace it.
      await answerBy(page, ann.username).getByRole("button", { name: "Withdraw acceptance" }).waitFor();
      await answerBy(page, ben.username).getByRole("button", { name: "Accept this answer instead" }).waitFor();
      expect(await answerBy(page, ben.username).getByText("Accepted answer", { exact: true }).count()).toBe(0);
    }
    // Answerers cannot accept on someone else's question.
    await pages.ann.page.goto(threadPath);
    await acceptedAnswerSection(pages.ann.page, ann.username).waitFor();
    expect(await pages.ann.page.getByRole("button", { name: /Accept this answer|Withdraw acceptance/ }).count()).toBe(0);

    // Ann's figures and the leaderboard count it.
    const visitor = pages.visitor.page;
    expect(await profileFigure(visitor, ann.username, "Accepted answers")).toBe(1);
    expect(await profileFigure(visitor, ann.username, "Accepted, last 90 days")).toBe(1);
    expect(await profileFigure(visitor, ann.username, "Answers posted")).toBe(1);
    await visitor.getByRole("link", { name: title, exact: true }).waitFor(); // under "Recent accepted answers"
    expect(await profileFigure(visitor, ben.username, "Accepted answers")).toBe(0);
    expect(await profileFigure(visitor, customer.username, "Questions asked")).toBe(1);
    expect(await leaderboard(visitor, "Last 30 days")).toEqual({ [ann.username]: 1 });
    expect(await leaderboard(visitor, "All time")).toEqual({ [ann.username]: 1 });

    // The admin appoints a moderator.
    {
      const { page } = pages.admin;
      await signIn(page, suite.admin);
      await (await accountMenu(page)).getByRole("link", { name: "Admin", exact: true }).waitFor();
      await page.goto(`/admin/members?q=${encodeURIComponent(mod.username)}`);
      const role = page.getByLabel(`Role for ${mod.username}`, { exact: true });
      await role.selectOption("moderator");
      await page.locator("form").filter({ has: role }).getByRole("button", { name: "Save role" }).click();
      await page.getByRole("status").filter({ hasText: `${mod.username} is now a moderator.` }).waitFor();
    }

    // The moderator prefers Ben's answer.
    {
      const { page } = pages.mod;
      await page.goto(threadPath);
      await accept(page, ben.username, "Accept this answer instead");
      expect(await answerBy(page, ann.username).getByText("Accepted answer", { exact: true }).count()).toBe(0);
      await answerBy(page, ann.username).getByRole("button", { name: "Accept this answer instead" }).waitFor();
      expect(await acceptedAnswerSection(page, ann.username).count()).toBe(0);
      expect(await acceptedAnswerSection(page, ben.username).innerText()).toContain("DKIM signing");
    }

    // The counts move from Ann to Ben.
    expect(await profileFigure(visitor, ann.username, "Accepted answers")).toBe(0);
    expect(await profileFigure(visitor, ann.username, "Accepted, last 90 days")).toBe(0);
    expect(await visitor.getByRole("link", { name: title, exact: true }).count()).toBe(0);
    expect(await profileFigure(visitor, ben.username, "Accepted answers")).toBe(1);
    expect(await leaderboard(visitor, "Last 30 days")).toEqual({ [ben.username]: 1 });
    expect(await leaderboard(visitor, "Last 90 days")).toEqual({ [ben.username]: 1 });

    // Search finds the thread by a word of its question, solved, with the word marked.
    {
      await visitor.goto("/");
      await visitor.getByRole("searchbox", { name: "Search the forum" }).fill(word);
      await visitor.getByRole("searchbox", { name: "Search the forum" }).press("Enter");
      await visitor.waitForURL((url) => url.pathname === "/search" && url.searchParams.get("q") === word);
      const results = visitor.locator("ol.search-results > li");
      await results.first().waitFor();
      expect(await results.count()).toBe(1);
      const result = results.first();
      await result.getByRole("heading", { level: 2 }).getByRole("link", { name: title, exact: true }).waitFor();
      await result.getByText("Solved", { exact: true }).waitFor();
      expect(await result.locator("mark").allInnerTexts()).toEqual([word]);
      // The filters: it is solved, so "Unanswered only" leaves it out.
      const form = visitor.getByRole("search").filter({ has: visitor.getByLabel("Show", { exact: true }) });
      await form.getByLabel("Show", { exact: true }).selectOption({ label: "Unanswered only" });
      await form.getByRole("button", { name: "Search" }).click();
      await visitor.waitForURL((url) => url.searchParams.get("status") === "unanswered");
      await visitor.getByText(`Nothing matches “${word}”`).waitFor();
      await form.getByLabel("Show", { exact: true }).selectOption({ label: "Solved only" });
      await form.getByLabel("Category", { exact: true }).selectOption({ label: "Email" });
      await form.getByRole("button", { name: "Search" }).click();
      await visitor.waitForURL((url) => url.searchParams.get("status") === "solved");
      await results.first().getByRole("link", { name: title, exact: true }).waitFor();
      // The results are server-made markup; their links go through the router, not a page load.
      const loads: string[] = [];
      visitor.on("request", (request) => {
        if (request.resourceType() === "document" || new URL(request.url()).pathname.endsWith(".data")) loads.push(`${request.resourceType()} ${new URL(request.url()).pathname}`);
      });
      await results.first().getByRole("link", { name: title, exact: true }).click();
      await visitor.getByRole("heading", { level: 1, name: title }).waitFor();
      expect(loads).toEqual([`fetch ${threadPath}.data`]);
    }

    // Someone asking the same thing is shown the solved thread while typing the title.
    {
      const { page } = pages.ann;
      await page.goto("/ask");
      await page.getByLabel("Title", { exact: true }).fill(`Gmail bounce 550 5.7.26 ${word}`);
      const similar = page.getByRole("region", { name: "Solved questions like yours" });
      await similar.getByRole("link", { name: title, exact: true }).waitFor();
    }

    // The customer's notifications: both answers, unread until opened.
    {
      const { page } = pages.customer;
      await notificationsLink(pages.customer, 2).click();
      await page.waitForURL((url) => url.pathname === "/notifications");
      const fromAnn = page.getByRole("button", { name: `Unread: ${ann.username} answered your question “${title}”`, exact: true });
      await fromAnn.waitFor();
      await page.getByRole("button", { name: `Unread: ${ben.username} answered your question “${title}”`, exact: true }).waitFor();
      await fromAnn.click();
      await page.waitForURL((url) => url.pathname === threadPath);
      await answerBy(page, ann.username).waitFor();
      await notificationsLink(pages.customer, 1).waitFor();
      await page.goto("/notifications");
      await page.getByRole("button", { name: `${ann.username} answered your question “${title}”`, exact: true }).waitFor();
      await page.getByRole("button", { name: "Mark all as read" }).click();
      await page.getByRole("button", { name: `${ben.username} answered your question “${title}”`, exact: true }).waitFor();
      await notificationsLink(pages.customer, 0).waitFor();
      expect(await page.getByRole("button", { name: "Mark all as read" }).count()).toBe(0);
    }
    // Ann's: her answer accepted by the customer, and Ben's reply in the thread she now watches.
    {
      const { page } = pages.ann;
      await page.goto("/notifications");
      await page.getByRole("button", { name: `Unread: ${customer.username} accepted your answer in “${title}”`, exact: true }).waitFor();
      await page.getByRole("button", { name: `Unread: ${ben.username} replied in “${title}”`, exact: true }).waitFor();
    }
    // Ben's: accepted by the moderator.
    await pages.ben.page.goto("/notifications");
    await pages.ben.page.getByRole("button", { name: `Unread: ${mod.username} accepted your answer in “${title}”`, exact: true }).waitFor();

    // And by email, each pointing at the thread on this server.
    const newAnswers = await waitForEmails(mailbox, customer.email, `New answer: ${title}`, 2);
    for (const mail of newAnswers) expect(mail.text).toContain(`${suite.server.url}${threadPath}`);
    const [annAccepted] = await waitForEmails(mailbox, ann.email, `Your answer was accepted: ${title}`);
    expect(annAccepted!.text).toContain(`${customer.username} accepted your answer`);
    const [benAccepted] = await waitForEmails(mailbox, ben.email, `Your answer was accepted: ${title}`);
    expect(benAccepted!.text).toContain(`${mod.username} accepted your answer`);
    await waitForEmails(mailbox, ann.email, `New reply: ${title}`);
    // Nothing twice, nothing to the wrong person (the moderator only acted).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(subjectsTo(mailbox, customer.email).sort()).toEqual([`New answer: ${title}`, `New answer: ${title}`]);
    expect(subjectsTo(mailbox, ann.email).sort()).toEqual([`New reply: ${title}`, `Your answer was accepted: ${title}`]);
    expect(subjectsTo(mailbox, ben.email)).toEqual([`Your answer was accepted: ${title}`]);
    expect(subjectsTo(mailbox, mod.email)).toEqual([]);

    for (const [who, watched] of Object.entries(pages)) expect(watched.problems, who).toEqual([]);
  });

  it("works without JavaScript: ask, answer and accept with plain form posts", async () => {
    const asker = newPerson("nojs_ask");
    const helper = newPerson("nojs_help");
    const askerPage = await suite.openPage({ javaScriptEnabled: false });
    const helperPage = await suite.openPage({ javaScriptEnabled: false });
    const visitorPage = await suite.openPage({ javaScriptEnabled: false });
    await signUp(askerPage.page, asker);
    await signUp(helperPage.page, helper);
    const askerPosts = recordPosts(askerPage.page);
    const helperPosts = recordPosts(helperPage.page);

    const word = distinctiveWord();
    // A title in Polish: its address carries a percent-encoded slug through each redirect.
    const title = `Biały ekran w panelu WordPressa po aktualizacji ${word.slice(-4)}`;
    const threadPath = await ask(askerPage.page, {
      title,
      category: "WordPress & apps",
      body: `After updating plugins, /wp-admin is blank. The ${word} site front end still works.`,
    });
    expect(threadPath).toMatch(/^\/t\/\d+\/bia%C5%82y-ekran-w-panelu-wordpressa-po-aktualizacji-/);
    await answer(helperPage.page, threadPath, "Rename `wp-content/plugins` over FTP to switch every plugin off, then turn them on one by one.", helper.username);

    const { page } = askerPage;
    await page.goto(threadPath);
    await accept(page, helper.username, "Accept this answer");
    await page.locator(".thread__meta").getByText("Solved", { exact: true }).waitFor();

    // Each form was a real browser navigation, not a script's fetch: JavaScript played no part.
    const describe = (posts: typeof askerPosts) => posts.map((post) => `${post.resourceType()} ${new URL(post.url()).pathname}`);
    expect(describe(askerPosts)).toEqual(["document /ask", `document ${threadPath}`]);
    expect(describe(helperPosts)).toEqual([`document ${threadPath}`]);

    expect(await profileFigure(visitorPage.page, helper.username, "Accepted answers")).toBe(1);

    // Step 2 of asking suggests the solved thread, computed on the server.
    await helperPage.page.goto("/ask");
    await helperPage.page.getByLabel("Title", { exact: true }).fill(`White screen in WordPress admin ${word}`);
    await helperPage.page.getByRole("button", { name: "Continue" }).click();
    await helperPage.page.getByRole("region", { name: "Solved questions like yours" }).getByRole("link", { name: title, exact: true }).waitFor();

    for (const watched of [askerPage, helperPage, visitorPage]) expect(watched.problems).toEqual([]);
  });

  // The page's hydration data leaves post bodies out, since its markup carries them (server-markup.tsx).
  it("shows every post's body after hydration, after client navigation, and when React renders the page anew", async () => {
    const asker = newPerson("body_ask");
    const helper = newPerson("body_help");
    const askerPage = await suite.openPage();
    const helperPage = await suite.openPage();
    await signUp(askerPage.page, asker);
    await signUp(helperPage.page, helper);
    const word = distinctiveWord();
    const question = `Roundcube shows an empty inbox for ${word} since the move`;
    const threadPath = await ask(askerPage.page, { title: `Webmail inbox empty after the server move ${word.slice(-4)}`, category: "Email", body: question });
    const reply = "Log in to **cPanel**, open *Email Disk Usage* and run *Repair mailbox*.";
    await answer(helperPage.page, threadPath, reply, helper.username);
    await askerPage.page.goto(threadPath);
    await accept(askerPage.page, helper.username, "Accept this answer");

    const visitor = await suite.openPage();
    const { page } = visitor;
    const bodiesShown = async () => {
      await page.getByRole("article", { name: "Question" }).locator(".post__body").getByText(question).waitFor();
      expect(await answerBy(page, helper.username).locator(".post__body").innerHTML()).toContain("<strong>cPanel</strong>");
      expect(await acceptedAnswerSection(page, helper.username).locator(".post__body").innerText()).toContain("Repair mailbox");
    };

    await page.goto(threadPath);
    await bodiesShown();
    // To the category and back through the page's links: client navigations, whose data carries the bodies.
    const dataRequests: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.endsWith(".data")) dataRequests.push(new URL(request.url()).pathname);
    });
    await page.locator(".breadcrumbs").getByRole("link", { name: "Email", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Email" }).waitFor();
    await page.getByRole("link", { name: `Webmail inbox empty after the server move ${word.slice(-4)}`, exact: true }).click();
    await bodiesShown();
    await page.goBack();
    await page.getByRole("heading", { level: 1, name: "Email" }).waitFor();
    await page.goForward();
    await bodiesShown();
    expect(dataRequests).toEqual(["/c/email.data", `${threadPath}.data`, "/c/email.data", `${threadPath}.data`]);
    expect(visitor.problems).toEqual([]);

    // A browser extension that adds to the page before React hydrates it makes React throw the
    // markup away and render the whole page itself: the bodies must come through that too.
    const injected = await suite.openPage();
    await injected.page.route(`**${threadPath}`, async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace("<main", '<div id="extension-banner">Extension</div><main');
      await route.fulfill({ response, body: html });
    });
    await injected.page.goto(threadPath);
    await injected.page.locator("#extension-banner").waitFor({ state: "detached" });
    const rendered = injected.page.getByRole("article", { name: "Question" }).locator(".post__body");
    expect(await rendered.innerText()).toContain(question);
    expect(await answerBy(injected.page, helper.username).locator(".post__body").innerHTML()).toContain("<strong>cPanel</strong>");
    expect(await acceptedAnswerSection(injected.page, helper.username).locator(".post__body").innerText()).toContain("Repair mailbox");
    expect(injected.problems.length).toBeGreaterThan(0);
    expect(injected.problems.every((problem) => /Minified React error #(418|423)/.test(problem))).toBe(true);
  });
});
