/** What people do on the forum, step by step in the browser: accounts, asking, answering, email. */
import type { ParsedMail } from "mailparser";
import type { Locator, Page, Request } from "playwright-core";
import { expect } from "vitest";
import type { TestMailbox } from "../../support/smtp";

export const PASSWORD = "violet staple gravity 42";

export interface Person {
  username: string;
  email: string;
  password: string;
}

let serial = 0;
/** A new person with a name unique per run and per database, within the 24-character limit. */
export function newPerson(prefix = "e2e"): Person {
  const username = `${prefix}_${Date.now().toString(36)}${serial++}`;
  if (username.length > 24) throw new Error(`"${username}" is longer than a username may be: use a shorter prefix.`);
  return { username, email: `${username}@example.test`, password: PASSWORD };
}

/** A word no other thread holds, for searching. */
export function distinctiveWord(): string {
  return `zq${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** The header's account navigation: the notifications and the member's menu, or "Sign in" and "Sign up". */
export const accountNav = (page: Page) => page.getByRole("navigation", { name: "Account" });

/** The signed-in member's name in the header, which opens their menu. */
export const memberMenuName = (page: Page, username: string) => accountNav(page).locator("summary").filter({ hasText: new RegExp(`^${escapeRegExp(username)}$`) });

/** The member's menu under their name (profile, account, moderation, admin, sign out), opened. */
export async function accountMenu(page: Page): Promise<Locator> {
  const menu = accountNav(page).locator("details");
  if (!(await menu.evaluate((details) => (details as HTMLDetailsElement).open))) await menu.locator("summary").click();
  return menu;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function waitForNotice(page: Page, notice: string) {
  return page.waitForURL((url) => url.searchParams.get("notice") === notice);
}

export async function signUp(page: Page, person: Person): Promise<void> {
  await page.goto("/signup");
  await page.getByLabel("Username", { exact: true }).fill(person.username);
  await page.getByLabel("Email", { exact: true }).fill(person.email);
  await page.getByLabel("Password", { exact: true }).fill(person.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await waitForNotice(page, "signed-up");
  await memberMenuName(page, person.username).waitFor();
}

export async function signIn(page: Page, person: { username: string; password: string }): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Username or email", { exact: true }).fill(person.username);
  await page.getByLabel("Password", { exact: true }).fill(person.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await waitForNotice(page, "signed-in");
  await memberMenuName(page, person.username).waitFor();
}

export interface Question {
  title: string;
  body: string;
  /** The category's name as the select shows it. */
  category: string;
  urgent?: boolean;
}

/** Asks through both steps of /ask and returns the new thread's path (/t/<id>/<slug>). */
export async function ask(page: Page, question: Question): Promise<string> {
  await page.goto("/ask");
  await page.getByLabel("Title", { exact: true }).fill(question.title);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL((url) => url.pathname === "/ask" && url.searchParams.has("title"));
  await page.getByLabel("Your question", { exact: true }).waitFor();
  expect(await page.getByLabel("Title", { exact: true }).inputValue()).toBe(question.title);
  await page.getByLabel("Category", { exact: true }).selectOption({ label: question.category });
  await page.getByLabel("Your question", { exact: true }).fill(question.body);
  if (question.urgent) await page.getByLabel("Urgent: my site or email is down", { exact: true }).check();
  await page.getByRole("button", { name: "Post your question" }).click();
  await untilFormError(page, page.waitForURL(/\/t\/\d+\/[^/?#]+$/));
  await page.getByRole("heading", { level: 1, name: question.title, exact: true }).waitFor();
  return new URL(page.url()).pathname;
}

/** Waits for `outcome`, but fails at once with the form's message if the page shows one instead. */
async function untilFormError(page: Page, outcome: Promise<unknown>): Promise<void> {
  const messages = page.locator(".field__error, .form-error");
  const refused = messages
    .first()
    .waitFor({ timeout: 20_000 })
    .then(async () => {
      throw new Error(`The form was refused: ${(await messages.allInnerTexts()).join(" / ")}`);
    });
  refused.catch(() => {}); // Settled by the race below or ignored once the outcome arrives.
  await Promise.race([outcome, refused]);
}

/** An answer on the thread page, found by its author as a screen reader names it. */
export const answerBy = (page: Page, username: string): Locator => page.getByRole("article", { name: `Answer by ${username}`, exact: true });

/** Posts an answer on the thread at `threadPath` and waits until it shows. */
export async function answer(page: Page, threadPath: string, body: string, username: string): Promise<void> {
  await page.goto(threadPath);
  await page.getByLabel("Answer", { exact: true }).fill(body);
  await page.getByRole("button", { name: "Post your answer" }).click();
  await untilFormError(page, answerBy(page, username).waitFor());
}

/** Clicks one of the accept buttons on `username`'s answer and waits until the thread shows it accepted. */
export async function accept(page: Page, username: string, button: "Accept this answer" | "Accept this answer instead"): Promise<void> {
  await answerBy(page, username).getByRole("button", { name: button, exact: true }).click();
  await acceptedAnswerSection(page, username).waitFor();
  await answerBy(page, username).getByText("Accepted answer", { exact: true }).waitFor();
}

/** The quote of the accepted answer under the question. */
export const acceptedAnswerSection = (page: Page, username: string): Locator =>
  page.getByRole("region", { name: `Accepted answer by ${username}`, exact: true });

/** A figure on a member's profile ("Accepted answers", "Answers posted", ...), as a number. */
export async function profileFigure(page: Page, username: string, label: string): Promise<number> {
  await page.goto(`/u/${username}`);
  await page.getByRole("heading", { level: 1, name: username, exact: true }).waitFor();
  const term = page.locator("dt", { hasText: new RegExp(`^${label}$`) });
  return Number(await term.locator("xpath=following-sibling::dd[1]").innerText());
}

/** The leaderboard's rows for a period, as { member: accepted answers }. */
export async function leaderboard(page: Page, period: "Last 30 days" | "Last 90 days" | "All time"): Promise<Record<string, number>> {
  await page.goto("/leaderboard");
  await page.getByRole("navigation", { name: "Period" }).getByRole("link", { name: period, exact: true }).click();
  await page.getByRole("navigation", { name: "Period" }).getByRole("link", { name: period, exact: true }).and(page.locator('[aria-current="page"]')).waitFor();
  const table = page.getByRole("table");
  if ((await table.count()) === 0) return {};
  const headers = await table.getByRole("columnheader").allInnerTexts();
  expect(headers).toEqual(["Rank", "Member", "Accepted answers"]);
  const rows: Record<string, number> = {};
  for (const row of await table.locator("tbody tr").all()) {
    const [, member, accepted] = await row.getByRole("cell").allInnerTexts();
    rows[member!.replace(/\s+(Moderator|Admin)$/, "").trim()] = Number(accepted);
  }
  return rows;
}

/** The addresses a message was sent to, lower-cased. */
export function recipientsOf(mail: ParsedMail): string[] {
  return (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((to) => to?.value.map((address) => address.address?.toLowerCase() ?? "") ?? []);
}

/** Waits until `count` emails to `to` with `subject` have arrived through the outbox worker, and returns them. */
export async function waitForEmails(mailbox: TestMailbox, to: string, subject: string, count = 1, timeoutMs = 15_000): Promise<ParsedMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = mailbox.messages.filter((mail) => mail.subject === subject && recipientsOf(mail).includes(to.toLowerCase()));
    if (found.length >= count) return found;
    if (Date.now() > deadline) {
      throw new Error(`Expected ${count} email(s) "${subject}" to ${to} within ${timeoutMs} ms; received: ${JSON.stringify(mailbox.messages.map((mail) => [recipientsOf(mail), mail.subject]))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The subjects of every email sent to `to` so far. */
export function subjectsTo(mailbox: TestMailbox, to: string): string[] {
  return mailbox.messages.filter((mail) => recipientsOf(mail).includes(to.toLowerCase())).map((mail) => mail.subject ?? "");
}

/** Form posts the page made: with JavaScript Remix sends them with fetch, without it the browser navigates. */
export function recordPosts(page: Page): Request[] {
  const posts: Request[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST") posts.push(request);
  });
  return posts;
}
