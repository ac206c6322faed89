/**
 * Accounts in a real browser against the production build: sign up, sign out, sign in, reset a
 * forgotten password through the emailed link, with and without JavaScript.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { TestMailbox } from "../support/smtp";
import { chromiumOrSkip } from "./support/browser";
import { accountMenu, accountNav, memberMenuName, newPerson, recordPosts, signUp, waitForEmails, waitForNotice, type Person } from "./support/forum";
import { descriptionOf, useBrowserSuite } from "./support/suite";

const chromiumPath = chromiumOrSkip();

const NEW_PASSWORD = "copper lantern meadow 17";

/** Fills in the sign-in form (already open) with a username or an email address, and sends it. */
async function signIn(page: Page, login: string, password: string) {
  await page.getByLabel("Username or email", { exact: true }).fill(login);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

async function expectSignedIn(page: Page, username: string) {
  await memberMenuName(page, username).waitFor();
  const menu = await accountMenu(page);
  await menu.getByRole("link", { name: "Your profile", exact: true }).waitFor();
  expect(await menu.getByRole("link", { name: "Your profile", exact: true }).getAttribute("href")).toBe(`/u/${username}`);
  await menu.getByRole("link", { name: "Account", exact: true }).waitFor();
  await menu.getByRole("button", { name: "Sign out" }).waitFor();
}

async function expectSignedOut(page: Page, username: string) {
  const nav = accountNav(page);
  await nav.getByRole("link", { name: "Sign in", exact: true }).waitFor();
  expect(await memberMenuName(page, username).count()).toBe(0);
  // Hidden or not: when signed in, Sign out is in the (closed) menu.
  expect(await nav.getByRole("button", { name: "Sign out", includeHidden: true }).count()).toBe(0);
}

async function signOut(page: Page, username: string) {
  await (await accountMenu(page)).getByRole("button", { name: "Sign out" }).click();
  await waitForNotice(page, "signed-out");
  await expectSignedOut(page, username);
}

async function heading(page: Page, name: string) {
  await page.getByRole("heading", { level: 1, name, exact: true }).waitFor();
}

/** Fills in the reset-password form (already open) and returns the link from the email it sends. */
async function requestResetLink(page: Page, mailbox: TestMailbox, member: Person): Promise<string> {
  await heading(page, "Reset your password");
  await page.getByLabel("Email", { exact: true }).fill(member.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await heading(page, "Check your email");
  const [mail] = await waitForEmails(mailbox, member.email, "Reset your HostHelp password");
  const link = mail!.text?.match(/\bhttps?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]+/)?.[0];
  if (!link) throw new Error(`No reset link in the email:\n${mail!.text}`);
  return link;
}

async function chooseNewPassword(page: Page, link: string, password: string) {
  await page.goto(link);
  await heading(page, "Choose a new password");
  await page.getByLabel("New password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Save password and sign in" }).click();
  await waitForNotice(page, "password-reset");
  expect(new URL(page.url()).pathname).toBe("/");
}

const database = process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite";

describe.skipIf(!chromiumPath)(`accounts in the browser (${database})`, () => {
  const suite = useBrowserSuite(chromiumPath!);

  it("signs up, out and in, and resets a forgotten password through the emailed link", async () => {
    const { page, problems, expectFailedLoad } = await suite.openPage();
    const member = newPerson();

    await signUp(page, member);
    expect(new URL(page.url()).pathname).toBe("/");
    await expectSignedIn(page, member.username);
    await page.getByRole("status").filter({ hasText: "Your account is ready" }).waitFor();

    // The menu under the member's name works from the keyboard, and closes as menus do.
    const menu = accountNav(page).locator("details");
    const isOpen = () => menu.evaluate((details) => (details as HTMLDetailsElement).open);
    await page.keyboard.press("Escape");
    expect(await isOpen()).toBe(false);
    await memberMenuName(page, member.username).focus();
    await page.keyboard.press("Enter");
    expect(await isOpen()).toBe(true);
    await page.keyboard.press("Escape");
    expect(await isOpen()).toBe(false);
    expect(await memberMenuName(page, member.username).evaluate((summary) => summary === document.activeElement)).toBe(true);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1 }).first().click();
    expect(await isOpen()).toBe(false);
    // Tabbing out of the open menu closes it, so it never covers what has focus.
    await memberMenuName(page, member.username).focus();
    await page.keyboard.press("Enter");
    expect(await isOpen()).toBe(true);
    await page.getByLabel("Search the forum").focus();
    expect(await isOpen()).toBe(false);
    // Following one of its links closes it on the next page.
    await (await accountMenu(page)).getByRole("link", { name: "Account", exact: true }).click();
    await heading(page, "Your account");
    expect(await isOpen()).toBe(false);

    await signOut(page, member.username);

    // Sign in again from the header's link.
    await accountNav(page).getByRole("link", { name: "Sign in", exact: true }).click();
    await heading(page, "Sign in");
    await signIn(page, member.username, member.password);
    await waitForNotice(page, "signed-in");
    await expectSignedIn(page, member.username);
    await signOut(page, member.username);

    // Forgotten password: ask for a link, as someone who only remembers their email.
    await page.goto("/login");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    const link = await requestResetLink(page, suite.server.mailbox, member);
    // PUBLIC_URL is the server's own address, so the link works as sent.
    expect(link.startsWith(`${suite.server.url}/reset-password/`)).toBe(true);

    await chooseNewPassword(page, link, NEW_PASSWORD);
    await expectSignedIn(page, member.username);
    await signOut(page, member.username);

    // The old password is gone...
    await page.goto("/login");
    await expectFailedLoad(400, async () => {
      await signIn(page, member.username, member.password);
      await page.getByRole("alert").filter({ hasText: "do not match an account" }).waitFor();
    });
    await expectSignedOut(page, member.username);

    // ...and the new one works, with the email address too.
    await page.goto("/login");
    await signIn(page, member.email, NEW_PASSWORD);
    await waitForNotice(page, "signed-in");
    await expectSignedIn(page, member.username);

    // The link worked once (410 Gone).
    await expectFailedLoad(410, async () => {
      await page.goto(link);
      await heading(page, "This link no longer works");
    });

    expect(problems).toEqual([]);
  });

  it("works without JavaScript: sign up, sign out and sign in with plain form posts", async () => {
    const { page, problems } = await suite.openPage({ javaScriptEnabled: false });
    const posts = recordPosts(page);
    const member = newPerson();

    await signUp(page, member);
    await expectSignedIn(page, member.username);
    await signOut(page, member.username);

    await page.goto("/login");
    await signIn(page, member.email, member.password);
    await waitForNotice(page, "signed-in");
    await expectSignedIn(page, member.username);

    // Each form was a real browser navigation, not a script's fetch: proof JavaScript played no part.
    expect(posts.map((post) => `${post.resourceType()} ${new URL(post.url()).pathname}`)).toEqual(["document /signup", "document /logout", "document /login"]);
    expect(problems).toEqual([]);
  });

  it("works without JavaScript: resets a password through the emailed link", async () => {
    const { page } = await suite.openPage({ javaScriptEnabled: false });
    const member = newPerson();
    await signUp(page, member);
    await signOut(page, member.username);
    await page.goto("/reset-password");
    const link = await requestResetLink(page, suite.server.mailbox, member);
    await page.goto(link);
    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    const answer = page.waitForResponse((response) => response.request().method() === "POST");
    await page.getByRole("button", { name: "Save password and sign in" }).click();
    // Fails here, at once, with 403 instead of the redirect.
    expect((await answer).status()).toBe(302);
    await waitForNotice(page, "password-reset");
    await expectSignedIn(page, member.username);
  });

  describe.each([
    { mode: "with JavaScript", javaScriptEnabled: true },
    { mode: "without JavaScript", javaScriptEnabled: false },
  ])("the sign-up form $mode", ({ javaScriptEnabled }) => {
    it("puts errors next to the fields and keeps what was typed, except the password", async () => {
      const { page } = await suite.openPage({ javaScriptEnabled });
      const username = page.getByLabel("Username", { exact: true });
      const email = page.getByLabel("Email", { exact: true });
      const password = page.getByLabel("Password", { exact: true });
      await page.goto("/signup");

      // Empty: every field says what it needs, tied to the field for screen readers.
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByText("Enter a password.").waitFor();
      for (const [field, message] of [
        [username, "Enter a username."],
        [email, "Enter your email address."],
        [password, "Enter a password."],
      ] as const) {
        expect(await field.getAttribute("aria-invalid")).toBe("true");
        expect(await descriptionOf(field)).toContain(message);
      }
      await heading(page, "Create your account");

      // Partly right: the valid name and the mistyped email come back, the password never does.
      const typedPassword = "shorty7";
      await username.fill("kept_name");
      await email.fill("kept-not-an-email");
      await password.fill(typedPassword);
      const response = page.waitForResponse((r) => r.request().method() === "POST");
      await page.getByRole("button", { name: "Create account" }).click();
      const body = await (await response).text();
      expect(body).toContain("kept-not-an-email");
      expect(body).not.toContain(typedPassword);

      await page.getByText("Enter an email address like name@example.com.").waitFor();
      expect(await username.getAttribute("aria-invalid")).toBeNull();
      expect(await descriptionOf(email)).toContain("Enter an email address like name@example.com.");
      expect(await descriptionOf(password)).toContain("Use at least 8 characters.");
      expect(await username.inputValue()).toBe("kept_name");
      expect(await email.inputValue()).toBe("kept-not-an-email");
      // With JavaScript the keyboard is put on the first field in error, where typing resumes.
      if (javaScriptEnabled) await expect.poll(() => email.evaluate((input) => input === document.activeElement)).toBe(true);
      // Without JavaScript the page is the server's answer, so this checks the server left it out.
      if (!javaScriptEnabled) expect(await password.inputValue()).toBe("");
    });
  });
});
