/**
 * The reward pages through real HTTP, as a browser without JavaScript drives them: admins grant
 * and revoke through forms, double submissions make one grant, everyone else is refused, and
 * bad input gets a message by its field with nothing written.
 */
import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~db/client";
import { members, moderationLog, rewardGrants, rewardLedger, rewardPackages } from "~db/schema";
import { retireOrDeletePackage, savePackage } from "~/models/rewards.server";
import { makeMember, makeTrustedModerator, uniqueName } from "../support/factories";
import { startTestApp, Visitor, type TestApp } from "../support/app";
import { holdLock, runsOnPostgresOnly, untilWaitingForLocks } from "../support/postgres-only";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

async function signedIn(member: { username: string; password: string }) {
  const visitor = new Visitor(app);
  const response = await visitor.post("/login", { login: member.username, password: member.password });
  expect(response.status).toBe(302);
  return visitor;
}

async function makePackage() {
  const admin = await makeMember({ role: "admin" });
  const name = uniqueName("Pkg");
  const saved = await savePackage(admin, { name, creditAmount: "15.00", currency: "EUR", productCode: "FREE-MONTH" });
  if (!saved.ok) throw new Error(saved.message);
  return { id: saved.id, name };
}

/** The grant form as rendered for the admin, with its idempotency key. */
async function openGrantForm(admin: Visitor, username: string) {
  const response = await admin.get(`/admin/rewards/grant?member=${username}`);
  expect(response.status).toBe(200);
  const html = await response.text();
  const key = /name="idempotencyKey" value="([0-9a-f-]{36})"/.exec(html)?.[1];
  expect(key).toBeDefined();
  return { html, key: key! };
}

async function grantsTo(memberId: number) {
  const [row] = await db().select({ n: count() }).from(rewardGrants).where(eq(rewardGrants.memberId, memberId));
  return row!.n;
}

describe("granting through the admin pages", () => {
  it("sends the admin to make a package first while there is none to grant, and shows no Grant buttons until then", async () => {
    const admin = await signedIn(await makeMember({ role: "admin" }));
    const moderator = await makeTrustedModerator();
    await db().update(rewardPackages).set({ retiredAt: sql`now()` }).where(sql`${rewardPackages.retiredAt} is null`);
    const grantButton = `href="/admin/rewards/grant?member=${moderator.username}"`;

    const before = await (await admin.get("/admin/rewards")).text();
    expect(before).toContain("There is no reward package to grant yet.");
    expect(before).toContain(`<span class="badge badge--solved">Qualifies</span>`);
    expect(before).not.toContain(grantButton);

    await makePackage();
    const after = await (await admin.get("/admin/rewards")).text();
    expect(after).not.toContain("There is no reward package to grant yet.");
    expect(after).toContain(grantButton);
  });

  it("lists the moderator in the eligibility report and grants once however often the form is sent", async () => {
    const admin = await signedIn(await makeMember({ role: "admin" }));
    const moderator = await makeTrustedModerator();
    const pkg = await makePackage();

    const report = await admin.text(await admin.get("/admin/rewards"));
    expect(report).toContain("Eligibility report");
    // The tests run with no hook configured: the page says so before anyone grants.
    expect(report).toContain(
      "No provisioning hook is configured (set PROVISIONING_WEBHOOK_URL or WHMCS_URL): reward events wait as pending until one is. Grants are still recorded; their events go to the billing system once a hook works.",
    );
    expect(report).toMatch(new RegExp(`${moderator.username} 10 0 not set Qualifies`));

    const { html, key } = await openGrantForm(admin, moderator.username);
    expect(html).toContain(`<option value="${moderator.id}" selected="">`);
    const form = { idempotencyKey: key, memberId: String(moderator.id), packageId: String(pkg.id), reason: "Cleared the DNS queue" };
    const responses = await Promise.all(Array.from({ length: 5 }, () => admin.post("/admin/rewards/grant", form)));
    expect(responses.map((r) => r.status)).toEqual([302, 302, 302, 302, 302]);
    const locations = new Set(responses.map((r) => r.headers.get("location")!.replace(/\?.*/, "")));
    expect(locations.size).toBe(1);
    expect(await grantsTo(moderator.id)).toBe(1);
    expect(responses.filter((r) => r.headers.get("location")!.includes("notice=reward-granted"))).toHaveLength(1);

    const grantPage = await admin.text(await admin.get([...locations][0]!));
    expect(grantPage).toContain(`${pkg.name} to ${moderator.username}`);
    expect(grantPage).toContain("15.00 EUR");
    expect(grantPage).toContain("waiting to be sent");
  });

  it("keeps what was typed and asks for an override reason next to its field when the moderator does not qualify", async () => {
    const admin = await signedIn(await makeMember({ role: "admin" }));
    const newcomer = await makeTrustedModerator(2);
    const pkg = await makePackage();
    const { key } = await openGrantForm(admin, newcomer.username);
    const response = await admin.post("/admin/rewards/grant", { idempotencyKey: key, memberId: String(newcomer.id), packageId: String(pkg.id), reason: "Keeps <b>showing</b> up" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toMatch(/id="field-overrideReason-error"[^>]*>[^<]*2 accepted answers in the last 90 days; 10 are needed/);
    expect(html).toContain("Keeps &lt;b&gt;showing&lt;/b&gt; up");
    expect(html).toContain(`value="${key}"`);
    expect(await grantsTo(newcomer.id)).toBe(0);

    // Granted with the reason, which stays among admins: the moderator's page and its data leave it out.
    const overridden = await admin.post("/admin/rewards/grant", { idempotencyKey: key, memberId: String(newcomer.id), packageId: String(pkg.id), reason: "Keeps showing up", overrideReason: "Internal: a trial month" });
    expect(overridden.status).toBe(302);
    expect(await admin.text(await admin.get(overridden.headers.get("location")!.replace(/\?.*/, "")))).toContain("Internal: a trial month");
    const own = await signedIn(newcomer);
    const page = await own.text(await own.get("/account/rewards"));
    expect(page).toContain("Keeps showing up");
    expect(page).not.toContain("trial month");
    expect(await own.text(await own.get("/account/rewards.data"))).not.toContain("trial month");
  });

  it("answers bad input with a 4xx message by the field and writes nothing", async () => {
    const admin = await signedIn(await makeMember({ role: "admin" }));
    const moderator = await makeTrustedModerator();
    const member = await makeMember();
    const pkg = await makePackage();
    const { key } = await openGrantForm(admin, moderator.username);
    const base = { idempotencyKey: key, memberId: String(moderator.id), packageId: String(pkg.id), reason: "Thanks" };
    const cases: Array<[Record<string, string>, number, RegExp]> = [
      [{ ...base, memberId: String(member.id), overrideReason: "Because" }, 400, /is not a moderator/],
      [{ ...base, packageId: "999999" }, 400, /There is no such package/],
      [{ ...base, packageId: "ten" }, 400, /Choose a package/],
      [{ ...base, reason: "   " }, 400, /Say why this grant is made/],
      [{ ...base, idempotencyKey: "not-a-key" }, 400, /This form is out of date/],
    ];
    for (const [form, status, message] of cases) {
      const response = await admin.post("/admin/rewards/grant", form);
      expect(response.status, JSON.stringify(form)).toBe(status);
      expect(await response.text()).toMatch(message);
    }
    expect(await grantsTo(moderator.id)).toBe(0);
    expect(await grantsTo(member.id)).toBe(0);

    for (const creditAmount of ["-10", "abc"]) {
      const response = await admin.post("/admin/rewards/packages", { name: uniqueName("Bad"), creditAmount, currency: "USD", productCode: "X" });
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/id="field-creditAmount-error"[^>]*>(The credit amount must be more than zero|Enter an amount like 25)/);
    }
    const [packages] = await db().select({ n: count() }).from(rewardPackages).where(sql`${rewardPackages.name} like 'Bad%'`);
    expect(packages!.n).toBe(0);
  });

  it("refuses members and moderators at every reward endpoint, and writes nothing", async () => {
    const moderator = await makeTrustedModerator();
    const pkg = await makePackage();
    const form = { idempotencyKey: crypto.randomUUID(), memberId: String(moderator.id), packageId: String(pkg.id), reason: "Me, please" };
    for (const who of [await makeMember(), moderator]) {
      const visitor = await signedIn(who);
      for (const [path, fields] of [
        ["/admin/rewards/grant", form],
        ["/admin/rewards/packages", { name: "Free", creditAmount: "1000", currency: "USD", productCode: "X" }],
        ["/admin/rewards/grants/1", { reason: "x" }],
        [`/admin/members/${moderator.username}`, { billingClientId: "C-1" }],
      ] as const) {
        const response = await visitor.post(path, fields);
        expect(response.status, `${who.role} ${path}`).toBe(403);
      }
      expect((await visitor.get("/admin/rewards")).status).toBe(403);
    }
    const anonymous = new Visitor(app);
    expect((await anonymous.post("/admin/rewards/grant", form)).status).toBe(302);
    expect(await grantsTo(moderator.id)).toBe(0);
    const [row] = await db().select({ id: members.billingClientId }).from(members).where(eq(members.id, moderator.id));
    expect(row!.id).toBeNull();
  });
});

describe("revoking and the moderator's own page", () => {
  it("revokes once with a reason, and the moderator sees the grant, its delivery and their balance", async () => {
    const adminMember = await makeMember({ role: "admin" });
    const admin = await signedIn(adminMember);
    const moderator = await makeTrustedModerator();
    const pkg = await makePackage();

    expect((await admin.post(`/admin/members/${moderator.username}`, { billingClientId: "bad id!" })).status).toBe(400);
    expect((await admin.post(`/admin/members/${moderator.username}`, { billingClientId: "C-2001" })).status).toBe(302);
    expect(await admin.text(await admin.get("/admin/rewards"))).toMatch(new RegExp(`${moderator.username} 10 0 C-2001 Qualifies`));

    const { key } = await openGrantForm(admin, moderator.username);
    const granted = await admin.post("/admin/rewards/grant", { idempotencyKey: key, memberId: String(moderator.id), packageId: String(pkg.id), reason: "Great answers" });
    const grantPath = granted.headers.get("location")!.replace(/\?.*/, "");

    const own = await signedIn(moderator);
    const page = await own.text(await own.get("/account/rewards"));
    expect(page).toContain("Your balance: 15.00 EUR");
    expect(page).toContain(pkg.name);
    expect(page).toContain("waiting to be sent");
    expect(page).toContain("Great answers");
    const notifications = await own.text(await own.get("/notifications"));
    expect(notifications).toContain(`${adminMember.username} granted you a reward`);

    expect((await admin.post(grantPath, { reason: "" })).status).toBe(400);
    expect((await admin.post(grantPath, { reason: "Counted twice by mistake" })).status).toBe(302);
    const again = await admin.post(grantPath, { reason: "Once more" });
    expect(again.status).toBe(409);
    // Visible on the page, not only in the serialized action data the page carries for scripts.
    expect(await admin.text(again)).toContain("This grant was already revoked.");
    const entries = await db().select().from(rewardLedger).where(eq(rewardLedger.memberId, moderator.id));
    expect(entries.map((e) => e.amount).sort()).toEqual(["-15.00", "15.00"]);
    expect(await own.text(await own.get("/account/rewards"))).toContain("Your balance: 0.00 EUR");
    expect((await admin.get("/admin/rewards/grants/999999")).status).toBe(404);
  });
});

describe.runIf(runsOnPostgresOnly("the grant form's race with a package delete"))("a grant racing a package delete (PostgreSQL only)", () => {
  it("answers a clear 400 by the package field, with the typed text kept, when the package is deleted while the grant is made", async () => {
    const admin = await makeMember({ role: "admin" });
    const page = await signedIn(admin);
    const moderator = await makeTrustedModerator();
    const pkg = await makePackage();
    const { key } = await openGrantForm(page, moderator.username);

    // The delete of the (never granted) package is stopped before its commit: the moderation
    // log is the last thing it writes, and another transaction holds that table.
    const log = await holdLock(sql`lock table ${moderationLog} in exclusive mode`);
    const deleting = retireOrDeletePackage(admin, pkg.id);
    await untilWaitingForLocks(1);
    const granting = page.post("/admin/rewards/grant", { idempotencyKey: key, memberId: String(moderator.id), packageId: String(pkg.id), reason: "Typed while it was deleted" });
    await untilWaitingForLocks(2);
    await log.release();

    expect(await deleting).toEqual({ ok: true, deleted: true });
    const response = await granting;
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toMatch(/id="field-packageId-error"[^>]*>There is no such package\. Choose one from the list\./);
    expect(html).toContain("Typed while it was deleted");
    expect(await grantsTo(moderator.id)).toBe(0);
  });
});
