/**
 * Moderation in a real browser against the production build: members who have been around for
 * a while flag a post until it is hidden, and a moderator restores it from the review queue (or
 * agrees, and its author is told); new members cannot flag, nobody flags twice, an over-long
 * explanation changes nothing; moderators hide and restore posts, and lock, unlock, hide and
 * restore threads from the thread page.
 *
 * Accounts signed up in a test are new (younger than a day, fewer than 3 posts) and may not
 * flag, so the flaggers and the moderator are written into the database before the server starts.
 */
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { chromiumOrSkip } from "./support/browser";
import { accountMenu, answer, answerBy, ask, distinctiveWord, newPerson, signIn, signUp, waitForEmails, waitForNotice, type Person } from "./support/forum";
import { createMembers } from "./support/members";
import { descriptionOf, useBrowserSuite, type WatchedPage } from "./support/suite";

const chromiumPath = chromiumOrSkip();
const database = process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite";

/** Established members (two days old, three posts) and a moderator, made before the server starts. */
const flaggers = [newPerson("flag"), newPerson("flag"), newPerson("flag")] as const;
const moderator = newPerson("mod");

/**
 * New members, made before the start as well: the server takes only 10 sign-ups an hour from one
 * address, fewer than this file needs. New members post once per 30 s, so each question and each
 * answer has an author of its own. (Two new members still sign up in the browser, below.)
 */
const newMembers = Array.from({ length: 12 }, () => newPerson("new"));
let newMembersTaken = 0;
function newMember(): Person {
  const member = newMembers[newMembersTaken++];
  if (!member) throw new Error("No new member left: make newMembers longer.");
  return member;
}

const REASONS = {
  spam: "Spam: advertising or links unrelated to the question",
  offTopic: "Off topic: not about this question",
  abusive: "Abusive: rude, hateful or harassing",
  other: "Something else (say what below)",
} as const;
const EXPLANATION = "Explanation for the moderators (optional unless “Something else”)";
const ADVERT = "Cheap unlimited hosting at bestdeals dot example, 90% off today only! Use code SAVE90.";
const NEW_MEMBERS_CANNOT_FLAG = "New members cannot flag posts yet. Once your account is a day old and you have written 3 posts, you can.";

const question = (page: Page) => page.getByRole("article", { name: "Question", exact: true });
const flagLink = (post: Locator) => post.getByRole("link", { name: "Flag", exact: true });
const notice = (page: Page, text: string) => page.getByRole("status").filter({ hasText: text });

/** Opens the thread and waits until its question shows, so that what is missing is really missing. */
async function openThread(page: Page, threadPath: string): Promise<void> {
  await page.goto(threadPath);
  await question(page).waitFor();
}

/** The post's id, read from the address of its Flag link as an established member sees it. */
async function postIdFromFlagLink(post: Locator): Promise<number> {
  const href = await flagLink(post).getAttribute("href");
  const id = href?.match(/^\/posts\/(\d+)\/flag$/)?.[1];
  if (!id) throw new Error(`Unexpected Flag link: ${href}`);
  return Number(id);
}

/** On /posts/<id>/flag: chooses a reason, writes the optional explanation and sends the flag (the outcome is the caller's to check). */
async function fillAndSendFlag(page: Page, reason: keyof typeof REASONS, note?: string): Promise<void> {
  await page.getByRole("heading", { level: 1, name: "Flag a post", exact: true }).waitFor();
  await page.getByRole("radio", { name: REASONS[reason], exact: true }).check();
  if (note !== undefined) await page.getByLabel(EXPLANATION, { exact: true }).fill(note);
  await page.getByRole("button", { name: "Send flag", exact: true }).click();
}

/** Flags `username`'s answer from the thread page's Flag link and waits for the thanks back on the thread. */
async function flagAnswer(page: Page, threadPath: string, username: string, reason: keyof typeof REASONS, note?: string): Promise<void> {
  await openThread(page, threadPath);
  await flagLink(answerBy(page, username)).click();
  await page.waitForURL(/\/posts\/\d+\/flag$/);
  await fillAndSendFlag(page, reason, note);
  await waitForNotice(page, "post-flagged");
  expect(new URL(page.url()).pathname).toBe(threadPath);
  await notice(page, "Thank you: moderators will review the post.").waitFor();
}

/** A post in the review queue, as its heading names it. */
const queued = (page: Page, author: string, title: string) => page.getByRole("article", { name: `Post by ${author} in ${title}`, exact: true });

/** The moderators' review queue, /mod/flags. */
async function openReviewQueue(page: Page): Promise<void> {
  await page.goto("/mod/flags");
  await page.getByRole("heading", { level: 1, name: "Review queue", exact: true }).waitFor();
}

/** The moderator home's "Posts waiting for review" figure. */
async function postsWaitingForReview(page: Page): Promise<number> {
  await page.goto("/mod");
  await page.getByRole("heading", { level: 1, name: "Moderator home", exact: true }).waitFor();
  const term = page.locator("dt", { hasText: /^Posts waiting for review$/ });
  return Number(await term.locator("xpath=following-sibling::dd[1]").innerText());
}

/** A new member (of those made before the start) signs in and asks a question. */
async function newThread(watched: WatchedPage, topic: string): Promise<{ asker: Person; threadPath: string; title: string }> {
  const asker = newMember();
  await signIn(watched.page, asker);
  const title = `${topic} ${distinctiveWord().slice(-6)}`;
  const threadPath = await ask(watched.page, {
    title,
    category: "cPanel & hosting panel",
    body: `${topic}: what should I check first in the hosting panel? Nothing in the error log explains it.`,
  });
  return { asker, threadPath, title };
}

describe.skipIf(!chromiumPath)(`moderation in the browser (${database})`, () => {
  const suite = useBrowserSuite(chromiumPath!, {
    beforeStart: (env) => createMembers(env, [...flaggers.map((flagger) => ({ ...flagger, established: true })), { ...moderator, role: "moderator" }, ...newMembers]),
  });

  it("three members flag an answer, it is hidden, and a moderator restores it from the review queue", async () => {
    const spammer = newPerson("spam");
    const pages = {
      asker: await suite.openPage(),
      spammer: await suite.openPage(),
      flagger0: await suite.openPage(),
      flagger1: await suite.openPage(),
      // One flag goes through a plain form post.
      flagger2: await suite.openPage({ javaScriptEnabled: false }),
      moderator: await suite.openPage(),
      visitor: await suite.openPage(),
    };
    const { threadPath, title } = await newThread(pages.asker, "Cron job runs twice every night");
    // A spammer signs up and answers at once.
    await signUp(pages.spammer.page, spammer);
    await answer(pages.spammer.page, threadPath, ADVERT, spammer.username);

    // The first two flags leave the answer where it is.
    await signIn(pages.flagger0.page, flaggers[0]);
    await flagAnswer(pages.flagger0.page, threadPath, spammer.username, "spam");
    await signIn(pages.flagger1.page, flaggers[1]);
    await flagAnswer(pages.flagger1.page, threadPath, spammer.username, "spam", "An advert, not an answer.");
    await openThread(pages.visitor.page, threadPath);
    expect(await answerBy(pages.visitor.page, spammer.username).innerText()).toContain(ADVERT);
    expect(await answerBy(pages.visitor.page, spammer.username).getByText("Hidden after flags, awaiting review").count()).toBe(0);

    // The third hides it.
    await signIn(pages.flagger2.page, flaggers[2]);
    await flagAnswer(pages.flagger2.page, threadPath, spammer.username, "offTopic", "Nothing to do with cron.");

    // Visitors, the asker and the flaggers no longer see it.
    for (const page of [pages.visitor.page, pages.asker.page, pages.flagger0.page, pages.flagger2.page]) {
      await openThread(page, threadPath);
      expect(await answerBy(page, spammer.username).count(), page.url()).toBe(0);
      expect(await page.locator("body").innerText()).not.toContain("SAVE90");
    }
    // Its author does, marked as waiting for review.
    await openThread(pages.spammer.page, threadPath);
    await answerBy(pages.spammer.page, spammer.username).getByText("Hidden after flags, awaiting review", { exact: true }).waitFor();

    // The moderator finds it from the header: one post waiting, with its three flags.
    const mod = pages.moderator.page;
    await signIn(mod, moderator);
    await (await accountMenu(mod)).getByRole("link", { name: "Moderation", exact: true }).click();
    await mod.waitForURL((url) => url.pathname === "/mod");
    expect(await postsWaitingForReview(mod)).toBe(1);
    const recent = await mod.getByRole("listitem").filter({ hasText: ` in ${title}` }).allInnerTexts();
    expect(recent.map((line) => line.split(" · ")[0]).sort()).toEqual(
      [`${flaggers[0].username} flagged a post as spam in ${title}`, `${flaggers[1].username} flagged a post as spam in ${title}`, `${flaggers[2].username} flagged a post as off topic in ${title}`].sort(),
    );
    // Moderators see the hidden answer on the thread.
    await openThread(mod, threadPath);
    await answerBy(mod, spammer.username).getByText("Hidden after flags, awaiting review", { exact: true }).waitFor();

    await mod.goto("/mod");
    await mod.getByRole("navigation", { name: "Moderation" }).getByRole("link", { name: "Review queue", exact: true }).click();
    await mod.getByRole("heading", { level: 1, name: "Review queue", exact: true }).waitFor();
    const item = queued(mod, spammer.username, title);
    expect(await item.innerText()).toContain(ADVERT);
    await item.getByText("Hidden until reviewed.").waitFor();
    const flagLines = await item.getByRole("listitem").allInnerTexts();
    expect(flagLines).toHaveLength(3);
    expect(flagLines[0]).toMatch(new RegExp(`^Spam from ${flaggers[0].username}, `));
    expect(flagLines[1]).toMatch(new RegExp(`^Spam from ${flaggers[1].username}, .*: “An advert, not an answer\\.”$`));
    expect(flagLines[2]).toMatch(new RegExp(`^Off topic from ${flaggers[2].username}, .*: “Nothing to do with cron\\.”$`));

    // Disagree: the answer is back for everyone, and the queue is empty.
    await item.getByRole("button", { name: "Disagree: restore", exact: true }).click();
    await waitForNotice(mod, "flags-disagree");
    expect(new URL(mod.url()).pathname).toBe("/mod/flags");
    await notice(mod, "Disagreed: the post is visible again.").waitFor();
    expect(await queued(mod, spammer.username, title).count()).toBe(0);
    await mod.getByText("Nothing to review.", { exact: true }).waitFor();
    expect(await postsWaitingForReview(mod)).toBe(0);

    for (const page of [pages.visitor.page, pages.asker.page, pages.flagger0.page, pages.spammer.page]) {
      await openThread(page, threadPath);
      expect(await answerBy(page, spammer.username).innerText(), page.url()).toContain(ADVERT);
      expect(await answerBy(page, spammer.username).locator(".badge--hidden").count(), page.url()).toBe(0);
    }

    for (const [who, watched] of Object.entries(pages)) expect(watched.problems, who).toEqual([]);
  });

  it("a moderator agrees with the flags: the answer stays hidden and its author is told", async () => {
    const spammer = newMember();
    const [askerPage, spammerPage, flaggerPage, modPage, visitorPage] = await Promise.all([suite.openPage(), suite.openPage(), suite.openPage(), suite.openPage(), suite.openPage()]);
    const { threadPath, title } = await newThread(askerPage, "Mail quota full but mailbox is empty");
    await signIn(spammerPage.page, spammer);
    await answer(spammerPage.page, threadPath, ADVERT, spammer.username);
    for (const flagger of flaggers) {
      await signIn(flaggerPage.page, flagger);
      await flagAnswer(flaggerPage.page, threadPath, spammer.username, "spam");
      await flaggerPage.page.context().clearCookies();
    }

    const mod = modPage.page;
    await signIn(mod, moderator);
    await openReviewQueue(mod);
    await queued(mod, spammer.username, title).getByRole("button", { name: "Agree: keep hidden", exact: true }).click();
    await waitForNotice(mod, "flags-agree");
    await notice(mod, "Agreed: the post stays hidden and its author was told.").waitFor();
    expect(await queued(mod, spammer.username, title).count()).toBe(0);

    // Still hidden from everyone else.
    await openThread(visitorPage.page, threadPath);
    expect(await answerBy(visitorPage.page, spammer.username).count()).toBe(0);

    // The author is told, on the site and by email, and still sees the post, marked hidden.
    await spammerPage.page.goto("/notifications");
    await spammerPage.page.getByRole("button", { name: `Unread: ${moderator.username} hid your post in “${title}”`, exact: true }).waitFor();
    const [mail] = await waitForEmails(suite.server.mailbox, spammer.email, `A moderator hid your post in: ${title}`);
    expect(mail!.text).toContain(`a moderator hid your post in “${title}”`);
    await openThread(spammerPage.page, threadPath);
    await answerBy(spammerPage.page, spammer.username).locator(".badge--hidden").waitFor();

    for (const watched of [askerPage, spammerPage, flaggerPage, modPage, visitorPage]) expect(watched.problems).toEqual([]);
  });

  /**
   * A new member's question, for the flagging tests: open on an established member's page, with
   * the moderator signed in on another.
   */
  async function questionToFlag(topic: string, flagger: Person) {
    const askerPage = await suite.openPage();
    const flaggerPage = await suite.openPage();
    const modPage = await suite.openPage();
    const { asker, threadPath, title } = await newThread(askerPage, topic);
    await signIn(flaggerPage.page, flagger);
    await openThread(flaggerPage.page, threadPath);
    const postId = await postIdFromFlagLink(question(flaggerPage.page));
    await signIn(modPage.page, moderator);
    // The question, as the review queue heads it once flagged.
    const queuedQuestion = () => queued(modPage.page, asker.username, title);
    return { askerPage, flaggerPage, modPage, threadPath, postId, queuedQuestion, pages: [askerPage, flaggerPage, modPage] };
  }

  it("a new member sees no Flag link, and flagging by address is refused", async () => {
    const { flaggerPage, modPage, threadPath, postId, queuedQuestion, pages } = await questionToFlag("PHP version switch does nothing", flaggers[0]);
    // An established member can flag others' posts, not their own.
    const helpful = "Switch the version per domain in MultiPHP Manager, then clear any `.htaccess` handler line.";
    await answer(flaggerPage.page, threadPath, helpful, flaggers[0].username);
    await flagLink(question(flaggerPage.page)).waitFor();
    expect(await flagLink(answerBy(flaggerPage.page, flaggers[0].username)).count()).toBe(0);

    // A new member has no Flag link, on the question or the answer ...
    const newcomerPage = await suite.openPage();
    const { page } = newcomerPage;
    await signUp(page, newPerson("new"));
    await openThread(page, threadPath);
    expect(await page.getByRole("link", { name: "Flag", exact: true }).count()).toBe(0);

    // ... and the flag page, opened by its address, refuses the flag.
    await page.goto(`/posts/${postId}/flag`);
    await newcomerPage.expectFailedLoad(403, () => fillAndSendFlag(page, "spam"));
    await page.getByRole("alert").filter({ hasText: NEW_MEMBERS_CANNOT_FLAG }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/posts/${postId}/flag`);

    // Nothing reached the moderators.
    await openReviewQueue(modPage.page);
    expect(await queuedQuestion().count()).toBe(0);

    for (const watched of [...pages, newcomerPage]) expect(watched.problems).toEqual([]);
  });

  it("a member flags a post once: the second flag is refused", async () => {
    const { flaggerPage, modPage, threadPath, postId, queuedQuestion, pages } = await questionToFlag("Backups stopped after quota warning", flaggers[1]);
    const { page } = flaggerPage;
    await flagLink(question(page)).click();
    await fillAndSendFlag(page, "abusive", "Insults the support staff.");
    await waitForNotice(page, "post-flagged");

    // The Flag link is still offered; following it again is refused.
    await openThread(page, threadPath);
    await flagLink(question(page)).click();
    await page.waitForURL((url) => url.pathname === `/posts/${postId}/flag`);
    await flaggerPage.expectFailedLoad(409, () => fillAndSendFlag(page, "spam"));
    await page.getByRole("alert").filter({ hasText: "You have already flagged this post." }).waitFor();

    // The queue holds the one flag, the post still visible; "Ignore" closes it.
    const mod = modPage.page;
    await openReviewQueue(mod);
    await queuedQuestion().getByText("Still visible.").waitFor();
    const flagLines = await queuedQuestion().getByRole("listitem").allInnerTexts();
    expect(flagLines).toHaveLength(1);
    expect(flagLines[0]).toMatch(new RegExp(`^Abusive from ${flaggers[1].username}, .*: “Insults the support staff\\.”$`));
    await queuedQuestion().getByRole("button", { name: "Ignore", exact: true }).click();
    await waitForNotice(mod, "flags-ignore");
    await notice(mod, "Ignored: the flags are closed.").waitFor();
    expect(await queuedQuestion().count()).toBe(0);

    for (const watched of pages) expect(watched.problems).toEqual([]);
  });

  it("a 10,000-character explanation is refused with a clear message, and nothing changes", async () => {
    const { flaggerPage, modPage, queuedQuestion, pages } = await questionToFlag("Node app returns 503 after deploy", flaggers[2]);
    const { page } = flaggerPage;
    await flagLink(question(page)).click();
    await page.getByRole("heading", { level: 1, name: "Flag a post", exact: true }).waitFor();
    const explanation = page.getByLabel(EXPLANATION, { exact: true });
    const long = "This question is copied word for word from another forum. ".repeat(200).slice(0, 10_000);

    // The browser stops typing at the limit ...
    await explanation.fill(long);
    expect((await explanation.inputValue()).length).toBe(500);

    // ... and the server refuses a longer one all the same (an old browser, or a hand-made request).
    await explanation.evaluate((field) => field.removeAttribute("maxlength"));
    await explanation.fill(long);
    expect((await explanation.inputValue()).length).toBe(10_000);
    await page.getByRole("radio", { name: REASONS.other, exact: true }).check();
    await flaggerPage.expectFailedLoad(400, () => page.getByRole("button", { name: "Send flag", exact: true }).click());
    await page.getByText("Keep the explanation under 501 characters.", { exact: true }).waitFor();
    expect(await descriptionOf(explanation)).toBe("Keep the explanation under 501 characters.");
    expect(await explanation.getAttribute("aria-invalid")).toBe("true");
    expect(new URL(page.url()).pathname).toMatch(/^\/posts\/\d+\/flag$/);

    // Nothing was recorded: the queue does not hold the post ...
    const mod = modPage.page;
    await openReviewQueue(mod);
    expect(await queuedQuestion().count()).toBe(0);

    // ... and the same member can still flag it, with a shorter explanation.
    await page.reload();
    await fillAndSendFlag(page, "other", "Copied word for word from another forum.");
    await waitForNotice(page, "post-flagged");
    await openReviewQueue(mod);
    await queuedQuestion().getByText("“Copied word for word from another forum.”").waitFor();
    await queuedQuestion().getByRole("button", { name: "Ignore", exact: true }).click();
    await waitForNotice(mod, "flags-ignore");

    for (const watched of pages) expect(watched.problems).toEqual([]);
  });

  it("a moderator hides and restores an answer from the thread page", async () => {
    const askerPage = await suite.openPage();
    const answererPage = await suite.openPage();
    const modPage = await suite.openPage();
    const visitorPage = await suite.openPage();
    const { threadPath } = await newThread(askerPage, "Emails from contact form go to spam");
    const answerer = newMember();
    await signIn(answererPage.page, answerer);
    await answer(answererPage.page, threadPath, "Send the form's mail through SMTP with your own mailbox, not PHP `mail()`.", answerer.username);

    const mod = modPage.page;
    await signIn(mod, moderator);
    await openThread(mod, threadPath);
    // Questions are hidden with their whole thread, never on their own.
    expect(await question(mod).getByRole("button", { name: "Hide post" }).count()).toBe(0);
    await answerBy(mod, answerer.username).getByRole("button", { name: "Hide post", exact: true }).click();
    await waitForNotice(mod, "post-hidden");
    expect(new URL(mod.url()).pathname).toBe(threadPath);
    await notice(mod, "Hidden: only moderators and the author can see the post.").waitFor();
    await answerBy(mod, answerer.username).getByText("Hidden", { exact: true }).waitFor();
    await answerBy(mod, answerer.username).getByRole("button", { name: "Restore post", exact: true }).waitFor();

    for (const page of [visitorPage.page, askerPage.page]) {
      await openThread(page, threadPath);
      expect(await answerBy(page, answerer.username).count()).toBe(0);
    }
    await openThread(answererPage.page, threadPath);
    await answerBy(answererPage.page, answerer.username).getByText("Hidden", { exact: true }).waitFor();

    await answerBy(mod, answerer.username).getByRole("button", { name: "Restore post", exact: true }).click();
    await waitForNotice(mod, "post-restored");
    await notice(mod, "Restored: everyone can see the post again.").waitFor();
    await answerBy(mod, answerer.username).getByRole("button", { name: "Hide post", exact: true }).waitFor();
    expect(await answerBy(mod, answerer.username).locator(".badge--hidden").count()).toBe(0);

    for (const page of [visitorPage.page, askerPage.page]) {
      await openThread(page, threadPath);
      expect(await answerBy(page, answerer.username).innerText()).toContain("through SMTP with your own mailbox");
    }

    for (const watched of [askerPage, answererPage, modPage, visitorPage]) expect(watched.problems).toEqual([]);
  });

  it("a moderator locks a thread from its Moderation panel, then unlocks, hides and restores it", async () => {
    const askerPage = await suite.openPage();
    const memberPage = await suite.openPage();
    const modPage = await suite.openPage();
    const visitorPage = await suite.openPage();
    const { threadPath, title } = await newThread(askerPage, "Subdomain shows the main site");
    const member = newMember();
    await signIn(memberPage.page, member);

    const mod = modPage.page;
    await signIn(mod, moderator);
    await openThread(mod, threadPath);
    const panel = () => mod.locator("details").filter({ has: mod.locator("summary", { hasText: /^Moderation$/ }) });
    const panelButton = async (name: string) => {
      if (!(await panel().evaluate((details) => (details as HTMLDetailsElement).open))) await panel().locator("summary").click();
      return panel().getByRole("button", { name, exact: true });
    };
    // Members do not get the panel.
    await openThread(memberPage.page, threadPath);
    expect(await memberPage.page.locator("summary", { hasText: /^Moderation$/ }).count()).toBe(0);

    await (await panelButton("Lock")).click();
    await waitForNotice(mod, "thread-locked");
    await notice(mod, "Locked: the thread takes no new replies.").waitFor();
    await mod.locator(".thread__meta").getByText("Locked", { exact: true }).waitFor();
    await (await panelButton("Unlock")).waitFor();

    await openThread(memberPage.page, threadPath);
    await memberPage.page.getByText("This thread is locked: it takes no new replies.", { exact: true }).waitFor();
    expect(await memberPage.page.getByLabel("Answer", { exact: true }).count()).toBe(0);
    expect(await memberPage.page.getByRole("button", { name: "Post your answer" }).count()).toBe(0);

    await (await panelButton("Unlock")).click();
    await waitForNotice(mod, "thread-unlocked");
    await notice(mod, "Unlocked: replies are open again.").waitFor();
    await answer(memberPage.page, threadPath, "Point the subdomain's document root at its own folder in the panel.", member.username);

    // Hidden, the thread is gone for visitors; restored, it is back.
    await (await panelButton("Hide thread")).click();
    await waitForNotice(mod, "thread-hidden");
    await notice(mod, "Hidden: only moderators and the author can see the thread.").waitFor();
    await visitorPage.expectFailedLoad(404, async () => {
      const response = await visitorPage.page.goto(threadPath);
      expect(response?.status()).toBe(404);
    });
    expect(await visitorPage.page.getByRole("heading", { name: title }).count()).toBe(0);
    await (await panelButton("Restore thread")).click();
    await waitForNotice(mod, "thread-restored");
    await notice(mod, "Restored: everyone can see the thread again.").waitFor();
    await openThread(visitorPage.page, threadPath);
    await answerBy(visitorPage.page, member.username).waitFor();

    for (const watched of [askerPage, memberPage, modPage, visitorPage]) expect(watched.problems).toEqual([]);
  });
});
