/**
 * The reward program in a real browser against the production build, with a real signed-webhook
 * receiver on 127.0.0.1 (tests/support/hook-receiver.ts, which checks signatures with the
 * project's exported helper): an admin opens the eligibility report and sees a trusted moderator
 * qualify, creates a reward package, sets the moderator's billing client id and grants the
 * package; the receiver gets the signed reward.granted event, the admin's deliveries page shows it
 * delivered, and the moderator sees the grant, its delivery and the balance, and is notified.
 * Then the admin revokes the grant: the receiver gets reward.revoked and the balance is 0.00 again.
 *
 * The admin is made with the command line and the moderator's ten accepted answers with the app's
 * models, both before the server starts (support/create-trusted-moderator.ts): answering and
 * accepting ten times in the browser would take most of a minute and test nothing new here.
 */
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RewardEvent } from "~/jobs/provisioning/events";
import { startHookReceiver, type HookReceiver, type ReceivedRequest } from "../support/hook-receiver";
import { createAdmin, type Admin } from "./support/admin-server";
import { chromiumOrSkip } from "./support/browser";
import { newPerson, signIn, waitForEmails, waitForNotice } from "./support/forum";
import { createTrustedModerator, eventually, receivedSoFar, waitForHookRequest } from "./support/rewards";
import { useBrowserSuite, type WatchedPage } from "./support/suite";

const chromiumPath = chromiumOrSkip();
const database = process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite";

const moderator = newPerson("mod");
/** The program's default threshold (DESIGN.md): 10 accepted answers by others in 90 days. */
const ACCEPTED = 10;
const askers = Array.from({ length: ACCEPTED }, () => newPerson("ask"));

const PACKAGE = { name: "Twelve fifty hosting credit", creditAmount: "12.50", currency: "EUR", code: "CREDIT-1250-E2E" };
const CREDIT = "12.50 EUR";
const BILLING_CLIENT_ID = "4242";
const GRANT_REASON = "Ten accepted answers on mail and DNS questions this quarter";
const REVOKE_REASON = "Granted to the wrong account; the host pays it another way";

const notice = (page: Page, text: string) => page.getByRole("status").filter({ hasText: text });
const cellTexts = (row: Locator) => row.getByRole("cell").allInnerTexts();

/** Reloads `path` until the text of `locate(page)` is `wanted` (the in-process worker delivers within a second or so). */
async function reloadUntil(page: Page, path: string, locate: (page: Page) => Locator, wanted: string, timeoutMs = 20_000): Promise<void> {
  let seen = "nothing yet";
  await eventually(
    `"${wanted}" on ${path}`,
    async () => {
      await page.goto(path);
      const found = locate(page);
      seen = (await found.count()) === 1 ? `"${(await found.innerText()).trim()}"` : `no ${found.toString()}, in: ${(await page.locator("main").innerText()).slice(0, 2_000)}`;
      return seen === `"${wanted}"` ? seen : undefined;
    },
    timeoutMs,
    () => `it last showed ${seen}`,
  );
}

/** Checks what every signed webhook request must carry, and returns its parsed body. */
function checkSignedRequest(request: ReceivedRequest, type: RewardEvent["type"]): RewardEvent {
  expect(request.signature, "HostHelp-Signature checked with hosthelp/signature").toMatchObject({ ok: true });
  expect(request.outcome).toBe(200);
  expect(request.headers["content-type"]).toMatch(/^application\/json/);
  const body = JSON.parse(request.rawBody) as RewardEvent;
  expect(body.type).toBe(type);
  expect(request.eventType).toBe(type);
  expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(request.headers["hosthelp-delivery"]).toBe(body.id);
  return body;
}

describe.skipIf(!chromiumPath)(`the reward program in the browser (${database})`, () => {
  // Started before the server (hooks run in order), which is given its address and secret.
  let receiver: HookReceiver | undefined;
  const hook = () => {
    if (!receiver) throw new Error("The hook receiver is not running");
    return receiver;
  };
  beforeAll(async () => {
    receiver = await startHookReceiver();
  });
  // Runs after the suite's own afterAll (they unwind in reverse), i.e. once the server is stopped.
  afterAll(async () => {
    await receiver?.close();
  });

  const made: { admin?: Admin } = {};
  const admin = () => {
    if (!made.admin) throw new Error("The admin was not created");
    return made.admin;
  };
  const suite = useBrowserSuite(chromiumPath!, {
    env: () => ({ PROVISIONING_WEBHOOK_URL: hook().url, PROVISIONING_WEBHOOK_SECRET: hook().secret }),
    async beforeStart(env) {
      made.admin = await createAdmin(env, `e2e_admin_${Date.now().toString(36)}`);
      await createTrustedModerator(env, { moderator, askers });
    },
  });

  /** Set by the first test, revoked by the second. */
  let granted: { grantId: number; deliveryId: string } | undefined;

  it("an admin grants a package to a trusted moderator: the receiver gets the signed event, it shows delivered, and the moderator sees the grant and balance", async () => {
    const adminPage = await suite.openPage();
    const modPage = await suite.openPage();
    const { page } = adminPage;
    await signIn(page, admin());

    // The eligibility report: the moderator qualifies with their ten accepted answers.
    await page.goto("/admin/rewards");
    await page.getByRole("heading", { level: 1, name: "Rewards", exact: true }).waitFor();
    const report = page.getByRole("table", { name: "Eligibility report", exact: true });
    expect(await report.getByRole("columnheader").allInnerTexts()).toEqual(expect.arrayContaining(["Moderator", "Accepted answers, last 90 days", "Qualifies"]));
    const reportRow = report.getByRole("row").filter({ has: page.getByRole("link", { name: moderator.username, exact: true }) });
    const [, acceptedCell, grantsCell, billingCell, qualifiesCell] = await cellTexts(reportRow);
    expect({ acceptedCell, grantsCell, billingCell, qualifiesCell }).toEqual({ acceptedCell: String(ACCEPTED), grantsCell: "0", billingCell: "not set", qualifiesCell: "Qualifies" });

    // A reward package.
    await page.getByRole("link", { name: "Reward packages", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Reward packages", exact: true }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill(PACKAGE.name);
    await page.getByLabel("Credit amount", { exact: true }).fill(PACKAGE.creditAmount);
    await page.getByLabel("Currency", { exact: true }).fill(PACKAGE.currency);
    await page.getByLabel("Billing product or plan code", { exact: true }).fill(PACKAGE.code);
    await page.getByRole("button", { name: "Create package", exact: true }).click();
    await waitForNotice(page, "package-saved");
    await notice(page, "The package is saved.").waitFor();
    expect(await cellTexts(page.getByRole("row").filter({ hasText: PACKAGE.name }))).toEqual(expect.arrayContaining([CREDIT, PACKAGE.code, "0"]));

    // The moderator's billing client id, on their admin page.
    await page.goto(`/admin/members/${moderator.username}`);
    await page.getByRole("heading", { level: 1, name: moderator.username, exact: true }).waitFor();
    await page.getByLabel("Billing client id", { exact: true }).fill(BILLING_CLIENT_ID);
    await page.getByRole("button", { name: "Save billing client id", exact: true }).click();
    await waitForNotice(page, "billing-id-saved");
    await notice(page, "The billing client id is saved.").waitFor();
    expect(await page.getByLabel("Billing client id", { exact: true }).inputValue()).toBe(BILLING_CLIENT_ID);

    // The grant, from the report's row.
    await page.goto("/admin/rewards");
    await page.getByRole("link", { name: `Grant a reward to ${moderator.username}`, exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Grant a reward", exact: true }).waitFor();
    expect(await page.getByLabel("Moderator", { exact: true }).locator("option:checked").innerText()).toBe(`${moderator.username}: ${ACCEPTED} accepted in 90 days, qualifies`);
    await page.getByLabel("Package", { exact: true }).selectOption({ label: `${PACKAGE.name} (${PACKAGE.creditAmount} ${PACKAGE.currency}, ${PACKAGE.code})` });
    await page.getByLabel("Reason", { exact: true }).fill(GRANT_REASON);
    await page.getByRole("button", { name: "Grant reward", exact: true }).click();
    await waitForNotice(page, "reward-granted");
    const grantId = Number(new URL(page.url()).pathname.match(/^\/admin\/rewards\/grants\/(\d+)$/)?.[1]);
    expect(grantId, page.url()).toBeGreaterThan(0);
    await page.getByRole("heading", { level: 1, name: `Grant #${grantId}: ${PACKAGE.name} to ${moderator.username}`, exact: true }).waitFor();

    // The receiver gets the signed event, with the contract's body.
    const request = await waitForHookRequest(hook(), "reward.granted", (body) => (body as unknown as RewardEvent).grant?.id === grantId);
    const event = checkSignedRequest(request, "reward.granted");
    expect(event.grant).toEqual({
      id: grantId,
      package: { code: PACKAGE.code, name: PACKAGE.name, credit_amount: PACKAGE.creditAmount, currency: PACKAGE.currency },
      reason: GRANT_REASON,
      granted_by: admin().username,
    });
    expect(event.member).toMatchObject({ username: moderator.username, email: moderator.email, billing_client_id: BILLING_CLIENT_ID });
    expect(hook().applied.get(event.id)?.type).toBe("reward.granted");
    granted = { grantId, deliveryId: event.id };

    // The admin's deliveries page shows it delivered, at the first attempt.
    const deliveryRow = (on: Page) => on.getByRole("row").filter({ hasText: `Delivery ${event.id}` });
    await reloadUntil(page, "/admin/deliveries", (on) => deliveryRow(on).getByRole("cell").nth(2), "Delivered");
    expect(await page.getByRole("note").innerText()).toContain(`delivered by the webhook`);
    const [, eventCell, statusCell, attemptsCell, lastErrorCell] = await cellTexts(deliveryRow(page));
    expect({ eventCell, statusCell, attemptsCell, lastErrorCell }).toEqual({
      eventCell: `reward.granted: grant #${grantId} to ${moderator.username}\nDelivery ${event.id}`,
      statusCell: "Delivered",
      attemptsCell: "1",
      lastErrorCell: "—",
    });
    expect(hook().requestsFor(event.id).map((received) => received.outcome), receivedSoFar(hook())).toEqual([200]);

    // The moderator sees the grant, its delivery and the balance, and was notified (and emailed).
    await signIn(modPage.page, moderator);
    await modPage.page.goto("/notifications");
    await modPage.page.getByRole("button", { name: `${admin().username} granted you a reward: see your rewards` }).click();
    await modPage.page.waitForURL((url) => url.pathname === "/account/rewards");
    await checkRewardsPage(modPage, { balance: CREDIT, billing: "Grant: delivered", revoked: false });
    await waitForEmails(suite.server.mailbox, moderator.email, `You have been rewarded: ${PACKAGE.name} (${CREDIT})`);

    for (const watched of [adminPage, modPage]) expect(watched.problems).toEqual([]);
  });

  it("the admin revokes the grant from its page: the receiver gets reward.revoked and the moderator's balance is 0.00 again", async () => {
    if (!granted) throw new Error("This test revokes the grant made by the test above, which did not get that far.");
    const { grantId, deliveryId } = granted;
    const adminPage = await suite.openPage();
    const modPage = await suite.openPage();
    const { page } = adminPage;
    await signIn(page, admin());

    await page.goto(`/admin/rewards/grants/${grantId}`);
    await page.getByRole("heading", { level: 1, name: `Grant #${grantId}: ${PACKAGE.name} to ${moderator.username}`, exact: true }).waitFor();
    await page.getByLabel("Reason for revoking", { exact: true }).fill(REVOKE_REASON);
    await page.getByRole("button", { name: "Revoke grant", exact: true }).click();
    await waitForNotice(page, "reward-revoked");
    await notice(page, "Revoked. A compensating ledger entry was written").waitFor();
    expect(await page.getByRole("button", { name: "Revoke grant" }).count()).toBe(0);

    const request = await waitForHookRequest(hook(), "reward.revoked", (body) => (body as unknown as RewardEvent).grant?.id === grantId);
    const event = checkSignedRequest(request, "reward.revoked");
    expect(event.id).not.toBe(deliveryId);
    expect(event.grant).toMatchObject({ id: grantId, package: { code: PACKAGE.code, credit_amount: PACKAGE.creditAmount, currency: PACKAGE.currency } });
    expect(event.member).toMatchObject({ username: moderator.username, billing_client_id: BILLING_CLIENT_ID });
    expect(event.revocation).toEqual({ reason: REVOKE_REASON, revoked_by: admin().username });

    // The grant page shows the revocation delivered.
    const revoked = (on: Page) => on.locator("dt", { hasText: /^Revoked$/ }).locator("xpath=following-sibling::dd[1]").locator(".badge");
    await reloadUntil(page, `/admin/rewards/grants/${grantId}`, revoked, "delivered");
    expect(await page.locator("dt", { hasText: /^Revoked$/ }).locator("xpath=following-sibling::dd[1]").innerText()).toContain(REVOKE_REASON);
    expect(hook().requestsFor(event.id).map((received) => received.outcome), receivedSoFar(hook())).toEqual([200]);

    await signIn(modPage.page, moderator);
    await modPage.page.goto("/account/rewards");
    await checkRewardsPage(modPage, { balance: `0.00 ${PACKAGE.currency}`, billing: "Grant: delivered\nRevocation: delivered", revoked: true });

    for (const watched of [adminPage, modPage]) expect(watched.problems).toEqual([]);
  });
});

/** The moderator's /account/rewards: the balance, their standing, and the one grant's row. */
async function checkRewardsPage({ page }: WatchedPage, expected: { balance: string; billing: string; revoked: boolean }): Promise<void> {
  await page.getByRole("heading", { level: 1, name: "Your rewards", exact: true }).waitFor();
  expect(await page.locator("p", { hasText: "Your balance:" }).innerText()).toContain(`Your balance: ${expected.balance}`);
  await page.getByText(`You have ${ACCEPTED} accepted answers in the last 90 days; you qualify for rewards.`, { exact: true }).waitFor();
  const rows = page.getByRole("table", { name: "Your grants, newest first", exact: true }).locator("tbody tr");
  expect(await rows.count()).toBe(1);
  const [, packageCell, creditCell, reasonCell, billingCell] = await cellTexts(rows.first());
  expect({ packageCell, creditCell, billingCell }).toEqual({ packageCell: PACKAGE.name, creditCell: CREDIT, billingCell: expected.billing });
  expect(reasonCell).toContain(GRANT_REASON);
  if (expected.revoked) expect(reasonCell).toContain(`: ${REVOKE_REASON}`);
  else expect(reasonCell).not.toContain("Revoked");
}
