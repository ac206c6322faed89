/**
 * Every kind of page, checked with axe-core against WCAG 2.2 A and AA and axe's best practices in
 * a real browser: as a visitor, a member and an admin, on a desktop and a phone, and forms showing
 * their error messages. axe finds what a reader of the markup misses (contrast, names of controls,
 * landmarks, list structure); keyboard use and the wording of messages are tested in the other
 * files.
 */
import axe from "axe-core";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useBrowserSuiteWithAdmin } from "./support/admin-server";
import { chromiumOrSkip } from "./support/browser";
import { accept, answer, ask, distinctiveWord, newPerson, signIn } from "./support/forum";
import { createMembers } from "./support/members";

const chromiumPath = chromiumOrSkip();
const database = process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite";

const asker = newPerson("a11y_ask");
const helper = newPerson("a11y_help");

interface Violation {
  rule: string;
  impact: string | null | undefined;
  help: string;
  where: string[];
}

/** axe's findings on the page as it is now, with up to five places per rule. */
async function violations(page: Page): Promise<Violation[]> {
  // Evaluated through the browser's debugging protocol, which the page's Content-Security-Policy does not cover.
  await page.evaluate(axe.source);
  const results = await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } }));
  return results.violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact,
    help: violation.help,
    where: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
  }));
}

/** Opens each path and collects the violations by path, so that one failure lists every page's. */
async function check(page: Page, paths: string[]): Promise<Record<string, Violation[]>> {
  const found: Record<string, Violation[]> = {};
  for (const path of paths) {
    const response = await page.goto(path);
    expect([path, response?.status()]).toEqual([path, 200]);
    const pageViolations = await violations(page);
    if (pageViolations.length > 0) found[path] = pageViolations;
  }
  return found;
}

describe.skipIf(!chromiumPath)(`accessibility (${database})`, () => {
  const suite = useBrowserSuiteWithAdmin(chromiumPath!, { beforeStart: (env) => createMembers(env, [asker, helper]) });

  it("finds no violation on any kind of page, nor on forms showing their errors", async () => {
    const askerPage = await suite.openPage();
    const helperPage = await suite.openPage();
    await signIn(askerPage.page, asker);
    await signIn(helperPage.page, helper);
    const word = distinctiveWord();
    const title = `Email stops at the quota every Monday ${word.slice(-4)}`;
    const threadPath = await ask(askerPage.page, {
      title,
      category: "Email",
      urgent: true,
      body: `Every Monday the mailbox for ${word} hits its quota:\n\n- Webmail says *full*\n- Outlook shows \`552 5.2.2\`\n\nSee [the status page](https://status.example.com).`,
    });
    await answer(helperPage.page, threadPath, "Turn on **auto-expunge** for the Trash folder:\n\n```\ndoveadm expunge -u you@example.com mailbox Trash all\n```", helper.username);
    await askerPage.page.goto(threadPath);
    await accept(askerPage.page, helper.username, "Accept this answer");
    const editPath = await askerPage.page.getByRole("article", { name: "Question" }).getByRole("link", { name: "Edit", exact: true }).getAttribute("href");
    const postId = /^\/posts\/(\d+)\/edit$/.exec(editPath ?? "")?.[1];
    expect(postId).toBeDefined();

    const visitorPages = ["/", "/c/email", threadPath, `/search?q=${encodeURIComponent(word)}`, "/search?q=quota&status=solved", "/unanswered", "/leaderboard", `/u/${helper.username}`, "/about", "/login", "/signup", "/reset-password"];
    const memberPages = [
      threadPath,
      "/ask",
      `/ask?title=${encodeURIComponent("Mailbox full every Monday morning")}`,
      "/notifications",
      "/account",
      "/account/rewards",
      `/posts/${postId}/edit`,
      `/posts/${postId}/revisions`,
    ];
    const adminPages = ["/mod", "/mod/flags", "/mod/log", threadPath, "/admin", "/admin/members", `/admin/members/${helper.username}`, "/admin/rewards", "/admin/rewards/packages", "/admin/rewards/grant", "/admin/settings", "/admin/deliveries"];

    const visitor = await suite.openPage();
    const phone = await suite.openPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const admin = await suite.openPage();
    await signIn(admin.page, suite.admin);
    const found = {
      visitor: await check(visitor.page, visitorPages),
      "visitor on a phone": await check(phone.page, visitorPages.slice(0, 4)),
      member: await check(askerPage.page, memberPages),
      admin: await check(admin.page, adminPages),
      "forms with errors": await formsWithErrors(visitor.page, askerPage.page),
    };
    expect(found).toEqual({ visitor: {}, "visitor on a phone": {}, member: {}, admin: {}, "forms with errors": {} });
  });
});

/** Sign-in, sign-up and asking, each sent with mistakes so that its messages show by the fields. */
async function formsWithErrors(visitor: Page, member: Page): Promise<Record<string, Violation[]>> {
  const found: Record<string, Violation[]> = {};
  const record = async (name: string, page: Page) => {
    const pageViolations = await violations(page);
    if (pageViolations.length > 0) found[name] = pageViolations;
  };

  await visitor.goto("/login");
  await visitor.getByLabel("Username or email", { exact: true }).fill("nobody_here");
  await visitor.getByLabel("Password", { exact: true }).fill("not the password");
  await visitor.getByRole("button", { name: "Sign in", exact: true }).click();
  await visitor.locator(".form-error, .field__error").first().waitFor();
  await record("/login, refused", visitor);

  await visitor.goto("/signup");
  await visitor.getByLabel("Username", { exact: true }).fill("x");
  await visitor.getByLabel("Email", { exact: true }).fill("not-an-address@");
  await visitor.getByRole("button", { name: "Create account" }).click();
  await visitor.locator(".field__error").first().waitFor();
  await record("/signup, refused", visitor);

  await member.goto(`/ask?title=${encodeURIComponent("Mailbox full every Monday morning")}`);
  await member.getByLabel("Your question", { exact: true }).fill(" ");
  await member.getByRole("button", { name: "Post your question" }).click();
  await member.locator(".field__error").first().waitFor();
  await record("/ask, refused", member);
  return found;
}
