/**
 * The reward program against a real database: packages, the eligibility report, grants with
 * their ledger entry, log entry, event and notification in one transaction, idempotent and
 * concurrent submissions, overrides, revocations, and the append-only records.
 */
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "~db/client";
import { members, moderationLog, notifications, outboxEvents, rewardGrants, rewardLedger, rewardPackages, rewardRevocations, sessions, threads } from "~db/schema";
import { startSession } from "~/auth/session.server";
import { PROVISIONING_TOPIC } from "~/jobs/provisioning/events";
import { EMAIL_TOPIC } from "~/jobs/email.server";
import { TRUSTED_MODERATOR } from "~/models/forum-rules";
import { acceptAnswer } from "~/models/answers.server";
import { setPostHidden, suspendMember, toggleThread } from "~/models/moderation.server";
import type { Actor } from "~/models/permissions";
import { packageSchema } from "~/models/reward-input.server";
import {
  eligibilityReport,
  findGrant,
  grantReward,
  listGrants,
  listPackages,
  memberRewards,
  reinstatePackage,
  retireOrDeletePackage,
  revokeGrant,
  savePackage,
  setBillingClientId,
} from "~/models/rewards.server";
import { saveSetting } from "~/models/settings.server";
import { makeMember, makeReply, makeThread, makeTrustedModerator, uniqueName } from "../support/factories";
import { holdLock, runsOnPostgresOnly, untilWaitingForLocks } from "../support/postgres-only";

async function makeAdmin() {
  return makeMember({ role: "admin" });
}

async function makePackage(admin: Actor, creditAmount = "25.00") {
  const name = uniqueName("Pkg");
  const saved = await savePackage(admin, { name, creditAmount, currency: "USD", productCode: `CREDIT-${name}` });
  if (!saved.ok) throw new Error(saved.message);
  return { id: saved.id, name };
}

async function recordsFor(memberId: number) {
  const [grants, ledger, log, events] = await Promise.all([
    db().select().from(rewardGrants).where(eq(rewardGrants.memberId, memberId)),
    db().select().from(rewardLedger).where(eq(rewardLedger.memberId, memberId)),
    db()
      .select()
      .from(moderationLog)
      .where(and(eq(moderationLog.targetType, "member"), eq(moderationLog.targetId, String(memberId)), sql`${moderationLog.action} like 'reward.%'`)),
    db().select().from(outboxEvents).where(and(eq(outboxEvents.topic, PROVISIONING_TOPIC), sql`(${outboxEvents.payload} -> 'member' ->> 'id')::int = ${memberId}`)),
  ]);
  return { grants, ledger, log, events };
}

describe("reward packages", () => {
  it("are created, edited, and refused a duplicate name whatever its case", async () => {
    const admin = await makeAdmin();
    const pkg = await makePackage(admin);
    expect(await savePackage(admin, { name: pkg.name.toUpperCase(), creditAmount: "5", currency: "EUR", productCode: "X" })).toMatchObject({ ok: false, status: 409, field: "name" });
    expect(await savePackage(admin, { name: pkg.name, creditAmount: "30.50", currency: "USD", productCode: "CREDIT-30" }, pkg.id)).toMatchObject({ ok: true });
    const listed = (await listPackages()).find((p) => p.id === pkg.id);
    expect(listed).toMatchObject({ creditAmount: "30.50", productCode: "CREDIT-30", grants: 0, retiredAt: null });
  });

  it("refuse negative, zero, non-numeric and over-precise amounts and bad currency codes in the form", () => {
    const base = { name: "Starter", currency: "usd", productCode: "STARTER-1" };
    for (const creditAmount of ["-5", "0", "ten", "1e3", "12.345", ""]) {
      const parsed = packageSchema.safeParse({ ...base, creditAmount });
      expect(parsed.success, creditAmount).toBe(false);
      if (!parsed.success) expect(parsed.error.issues[0]!.path).toEqual(["creditAmount"]);
    }
    expect(packageSchema.parse({ ...base, creditAmount: "12.5" })).toMatchObject({ creditAmount: "12.5", currency: "USD" });
    expect(packageSchema.safeParse({ ...base, creditAmount: "5", currency: "dollars" }).success).toBe(false);
  });

  it("are deleted when never granted, and retired (never deleted) once granted", async () => {
    const admin = await makeAdmin();
    const unused = await makePackage(admin);
    expect(await retireOrDeletePackage(admin, unused.id)).toEqual({ ok: true, deleted: true });
    expect(await db().select().from(rewardPackages).where(eq(rewardPackages.id, unused.id))).toHaveLength(0);

    const used = await makePackage(admin);
    const moderator = await makeTrustedModerator();
    expect(await grantReward(admin, { idempotencyKey: randomUUID(), packageId: used.id, memberId: moderator.id, reason: "Great month" })).toMatchObject({ ok: true });
    expect(await retireOrDeletePackage(admin, used.id)).toEqual({ ok: true, deleted: false });
    const [row] = await db().select().from(rewardPackages).where(eq(rewardPackages.id, used.id));
    expect(row!.retiredAt).not.toBeNull();
    expect(await grantReward(admin, { idempotencyKey: randomUUID(), packageId: used.id, memberId: moderator.id, reason: "Again", overrideReason: "x" })).toMatchObject({
      ok: false,
      status: 409,
      field: "packageId",
    });
    expect(await reinstatePackage(admin, used.id)).toEqual({ ok: true });
  });

  it("are managed by admins only", async () => {
    const moderator = await makeMember({ role: "moderator" });
    const input = { name: uniqueName("Pkg"), creditAmount: "5", currency: "USD", productCode: "P" };
    expect(await savePackage(moderator, input)).toMatchObject({ ok: false, status: 403 });
    expect(await db().select().from(rewardPackages).where(eq(rewardPackages.name, input.name))).toHaveLength(0);
  });
});

describe("the eligibility report", () => {
  it("lists every moderator with their period figures; self-accepts, members and suspended moderators do not qualify", async () => {
    const admin = await makeAdmin();
    const trusted = await makeTrustedModerator(10);
    const almost = await makeTrustedModerator(9);
    const suspended = await makeTrustedModerator(10);
    await suspendMember(admin, suspended.id, "24h", "Testing the report");
    const selfAccepter = await makeMember({ role: "moderator" });
    for (let i = 0; i < 10; i += 1) {
      const thread = await makeThread(selfAccepter);
      const reply = await makeReply(selfAccepter, thread.id);
      await acceptAnswer(selfAccepter, thread.id, reply.id);
    }
    const plainMember = await makeMember();

    const { program, moderators } = await eligibilityReport();
    expect(program).toEqual({ periodDays: 90, minAccepted: 10 });
    const byId = new Map(moderators.map((row) => [row.id, row]));
    expect(byId.get(trusted.id)).toMatchObject({ acceptedInPeriod: 10, qualifies: true, suspended: false, grantsInPeriod: 0 });
    expect(byId.get(almost.id)).toMatchObject({ acceptedInPeriod: 9, qualifies: false });
    expect(byId.get(suspended.id)).toMatchObject({ acceptedInPeriod: 10, qualifies: false, suspended: true });
    expect(byId.get(selfAccepter.id)).toMatchObject({ acceptedInPeriod: 0, qualifies: false });
    expect(byId.has(plainMember.id)).toBe(false);
    expect(byId.has(admin.id)).toBe(false);
  });

  it("leaves out hidden answers, answers in hidden threads and accepts older than the period; the settings' numbers rule the report and the override alike", async () => {
    const admin = await makeAdmin();
    const [first, second] = [await makePackage(admin), await makePackage(admin)];
    const moderator = await makeTrustedModerator(12);
    const [hiddenAnswer, inHiddenThread, acceptedLongAgo] = moderator.answers;
    expect(await setPostHidden(admin, hiddenAnswer!.postId, true, "Wrong advice")).toMatchObject({ ok: true });
    expect(await toggleThread(admin, inHiddenThread!.threadId, "hide", "Spam thread")).toMatchObject({ ok: true });
    await db().update(threads).set({ acceptedAt: sql`now() - interval '100 days'` }).where(eq(threads.id, acceptedLongAgo!.threadId));
    const reportRow = async () => (await eligibilityReport()).moderators.find((row) => row.id === moderator.id);

    expect(await reportRow()).toMatchObject({ acceptedInPeriod: 9, qualifies: false });
    const grant = (packageId: number, overrideReason?: string) => grantReward(admin, { idempotencyKey: randomUUID(), packageId, memberId: moderator.id, reason: "Mail queue", overrideReason });
    expect(await grant(first.id)).toMatchObject({ ok: false, status: 400, field: "overrideReason", message: expect.stringContaining("has 9 accepted answers in the last 90 days; 10 are needed") });

    try {
      // A longer period brings the old accept back in; the hidden ones stay out.
      await saveSetting(admin, "reward_program", { periodDays: 120, minAccepted: 10 });
      expect(await eligibilityReport()).toMatchObject({ program: { periodDays: 120, minAccepted: 10 } });
      expect(await reportRow()).toMatchObject({ acceptedInPeriod: 10, qualifies: true });
      expect(await grant(first.id)).toMatchObject({ ok: true });

      // A higher bar: the same ten no longer qualify, in the report and for the next grant.
      await saveSetting(admin, "reward_program", { periodDays: 120, minAccepted: 11 });
      expect(await reportRow()).toMatchObject({ acceptedInPeriod: 10, qualifies: false, grantsInPeriod: 1 });
      expect(await grant(second.id)).toMatchObject({ ok: false, field: "overrideReason", message: expect.stringContaining("has 10 accepted answers in the last 120 days; 11 are needed") });
      expect(await grant(second.id, "Covered the holidays")).toMatchObject({ ok: true });
    } finally {
      await saveSetting(null, "reward_program", { ...TRUSTED_MODERATOR });
    }
  });
});

describe("a grant", () => {
  it("writes the grant, a ledger entry, a log entry, the hook event and a notification in one go", async () => {
    const admin = await makeAdmin();
    const pkg = await makePackage(admin, "25.00");
    const moderator = await makeTrustedModerator();
    await setBillingClientId(admin, moderator.id, "C-1042");

    const result = await grantReward(admin, { idempotencyKey: randomUUID(), packageId: pkg.id, memberId: moderator.id, reason: "Answered the DNS backlog" });
    expect(result).toMatchObject({ ok: true, duplicate: false });
    if (!result.ok) return;

    const { grants, ledger, log, events } = await recordsFor(moderator.id);
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ id: result.grantId, creditAmount: "25.00", currency: "USD", reason: "Answered the DNS backlog", overrideReason: null });
    expect(ledger).toEqual([expect.objectContaining({ grantId: result.grantId, kind: "grant", amount: "25.00", currency: "USD" })]);
    expect(log).toEqual([expect.objectContaining({ action: "reward.granted", actorId: admin.id, reason: "Answered the DNS backlog" })]);
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event.status).toBe("pending");
    expect(grants[0]!.eventId).toBe(event.id);
    // The body is DESIGN.md's contract, and its id is the delivery id.
    expect(event.payload).toEqual({
      id: event.id,
      type: "reward.granted",
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      grant: {
        id: result.grantId,
        package: { code: `CREDIT-${pkg.name}`, name: pkg.name, credit_amount: "25.00", currency: "USD" },
        reason: "Answered the DNS backlog",
        granted_by: admin.username,
      },
      member: { id: moderator.id, username: moderator.username, email: moderator.email, billing_client_id: "C-1042" },
    });

    const [notification] = await db().select().from(notifications).where(and(eq(notifications.memberId, moderator.id), eq(notifications.kind, "reward_granted")));
    expect(notification).toMatchObject({ grantId: result.grantId, actorId: admin.id });
    const emails = await db()
      .select()
      .from(outboxEvents)
      .where(and(eq(outboxEvents.topic, EMAIL_TOPIC), sql`${outboxEvents.payload} ->> 'to' = ${moderator.email}`, sql`${outboxEvents.payload} ->> 'subject' like 'You have been rewarded%'`));
    expect(emails).toHaveLength(1);

    const rewards = await memberRewards(moderator.id);
    expect(rewards.balances).toEqual([{ currency: "USD", amount: "25.00" }]);
    expect(rewards.grants[0]).toMatchObject({ id: result.grantId, packageName: pkg.name, grantedBy: admin.username, delivery: "pending", revokedAt: null });
  });

  it("is made once for a double-submitted form, and a reused form key for another grant is refused", async () => {
    const admin = await makeAdmin();
    const pkg = await makePackage(admin);
    const moderator = await makeTrustedModerator();
    const input = { idempotencyKey: randomUUID(), packageId: pkg.id, memberId: moderator.id, reason: "Thanks" };
    const first = await grantReward(admin, input);
    const second = await grantReward(admin, input);
    expect(first).toMatchObject({ ok: true, duplicate: false });
    expect(second).toEqual({ ok: true, duplicate: true, grantId: first.ok ? first.grantId : -1 });
    const other = await makeTrustedModerator(0);
    expect(await grantReward(admin, { ...input, memberId: other.id })).toMatchObject({ ok: false, status: 409 });
    const { grants, ledger, events } = await recordsFor(moderator.id);
    expect([grants.length, ledger.length, events.length]).toEqual([1, 1, 1]);
  });

  it("is made once when 50 submissions of one form arrive at the same time", async () => {
    const admin = await makeAdmin();
    const pkg = await makePackage(admin);
    const moderator = await makeTrustedModerator();
    const input = { idempotencyKey: randomUUID(), packageId: pkg.id, memberId: moderator.id, reason: "Fifty clicks" };
    const results = await Promise.all(Array.from({ length: 50 }, () => grantReward(admin, input)));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.filter((r) => r.ok && !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => (r.ok ? r.grantId : 0))).size).toBe(1);
    const { grants, ledger, log, events } = await recordsFor(moderator.id);
    expect([grants.length, ledger.length, log.length, events.length]).toEqual([1, 1, 1, 1]);
  });

  it("from two admins at once for the same package makes one, and the other is asked for an override", async () => {
    const [first, second] = [await makeAdmin(), await makeAdmin()];
    const pkg = await makePackage(first);
    const moderator = await makeTrustedModerator();
    const results = await Promise.all(
      [first, second].map((admin) => grantReward(admin, { idempotencyKey: randomUUID(), packageId: pkg.id, memberId: moderator.id, reason: "Both clicked" })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ status: 400, field: "overrideReason", message: expect.stringMatching(/already received this package/) });
    expect((await recordsFor(moderator.id)).ledger).toHaveLength(1);
  });

  it("to a moderator who does not qualify, or a second one in the period, needs an override reason", async () => {
    const admin = await makeAdmin();
    const pkg = await makePackage(admin);
    const newcomer = await makeTrustedModerator(3);
    const refused = await grantReward(admin, { idempotencyKey: randomUUID(), packageId: pkg.id, memberId: newcomer.id, reason: "Promising" });
    expect(refused).toMatchObject({ ok: false, status: 400, field: "overrideReason", message: expect.stringMatching(/3 accepted answers in the last 90 days; 10 are needed/) });
    expect((await recordsFor(newcomer.id)).grants).toHaveLength(0);

    const overridden = await grantReward(admin, { idempotencyKey: randomUUID(), packageId: pkg.id, memberId: newcomer.id, reason: "Promising", overrideReason: "Ran the migration weekend" });
    expect(overridden).toMatchObject({ ok: true });
    const [grant] = (await recordsFor(newcomer.id)).grants;
    expect(grant!.overrideReason).toBe("Ran the migration weekend");

    const trusted = await makeTrustedModerator();
    expect(await grantReward(admin, { idempotencyKey: randomUUID(), packageId: pkg.id, memberId: trusted.id, reason: "One" })).toMatchObject({ ok: true });
    expect(await grantReward(admin, { idempotencyKey: randomUUID(), packageId: pkg.id, memberId: trusted.id, reason: "Two" })).toMatchObject({ ok: false, field: "overrideReason" });
    const other = await makePackage(admin);
    expect(await grantReward(admin, { idempotencyKey: randomUUID(), packageId: other.id, memberId: trusted.id, reason: "A different package" })).toMatchObject({ ok: true });
  });

  it("to a suspended moderator needs an override reason, however many answers they have", async () => {
    const admin = await makeAdmin();
    const pkg = await makePackage(admin);
    const suspended = await makeTrustedModerator(10);
    await suspendMember(admin, suspended.id, "72h", "Rude to a customer");
    const input = { packageId: pkg.id, memberId: suspended.id, reason: "Ten accepted answers" };
    expect(await grantReward(admin, { ...input, idempotencyKey: randomUUID() })).toMatchObject({
      ok: false,
      status: 400,
      field: "overrideReason",
      message: `${suspended.username} is suspended, so does not qualify. To grant anyway, give an override reason.`,
    });
    expect((await recordsFor(suspended.id)).grants).toHaveLength(0);
    expect(await grantReward(admin, { ...input, idempotencyKey: randomUUID(), overrideReason: "Earned before the suspension" })).toMatchObject({ ok: true });
    expect((await recordsFor(suspended.id)).grants).toEqual([expect.objectContaining({ overrideReason: "Earned before the suspension" })]);
  });

  it("keeps the package's name as granted when the package is renamed later", async () => {
    const admin = await makeAdmin();
    const pkg = await makePackage(admin, "20.00");
    const moderator = await makeTrustedModerator();
    const granted = await grantReward(admin, { idempotencyKey: randomUUID(), packageId: pkg.id, memberId: moderator.id, reason: "Good month" });
    if (!granted.ok) throw new Error(granted.message);
    const renamed = uniqueName("Renamed");
    expect(await savePackage(admin, { name: renamed, creditAmount: "30.00", currency: "USD", productCode: "CREDIT-30" }, pkg.id)).toMatchObject({ ok: true });

    expect((await memberRewards(moderator.id)).grants[0]).toMatchObject({ id: granted.grantId, packageName: pkg.name, creditAmount: "20.00" });
    expect(await findGrant(granted.grantId)).toMatchObject({ packageName: pkg.name });
    expect((await listGrants()).grants.find((grant) => grant.id === granted.grantId)).toMatchObject({ packageName: pkg.name });
  });

  it("is refused, with nothing written, to non-moderators, for unknown packages, and to anyone but an admin", async () => {
    const admin = await makeAdmin();
    const pkg = await makePackage(admin);
    const member = await makeMember();
    const moderator = await makeTrustedModerator();
    const key = () => randomUUID();
    expect(await grantReward(admin, { idempotencyKey: key(), packageId: pkg.id, memberId: member.id, reason: "x", overrideReason: "y" })).toMatchObject({ ok: false, status: 400, field: "memberId" });
    expect(await grantReward(admin, { idempotencyKey: key(), packageId: pkg.id, memberId: admin.id, reason: "x", overrideReason: "y" })).toMatchObject({ ok: false, status: 400, field: "memberId" });
    expect(await grantReward(admin, { idempotencyKey: key(), packageId: 999_999, memberId: moderator.id, reason: "x" })).toMatchObject({ ok: false, status: 400, field: "packageId" });
    expect(await grantReward(admin, { idempotencyKey: key(), packageId: pkg.id, memberId: 999_999, reason: "x" })).toMatchObject({ ok: false, status: 404 });
    expect(await grantReward(moderator, { idempotencyKey: key(), packageId: pkg.id, memberId: moderator.id, reason: "x" })).toMatchObject({ ok: false, status: 403 });
    expect(await grantReward(member, { idempotencyKey: key(), packageId: pkg.id, memberId: moderator.id, reason: "x" })).toMatchObject({ ok: false, status: 403 });
    for (const who of [member, moderator]) {
      const { grants, ledger, events } = await recordsFor(who.id);
      expect([grants.length, ledger.length, events.length]).toEqual([0, 0, 0]);
    }
  });
});

describe("revoking a grant", () => {
  it("adds a compensating ledger entry and a reward.revoked event carrying the same grant, once", async () => {
    const admin = await makeAdmin();
    const pkg = await makePackage(admin, "40.00");
    const moderator = await makeTrustedModerator();
    const granted = await grantReward(admin, { idempotencyKey: randomUUID(), packageId: pkg.id, memberId: moderator.id, reason: "Good work" });
    if (!granted.ok) throw new Error(granted.message);

    const results = await Promise.all([revokeGrant(admin, { grantId: granted.grantId, reason: "Granted by mistake" }), revokeGrant(admin, { grantId: granted.grantId, reason: "Twice" })]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ status: 409, message: "This grant was already revoked." });

    const { ledger, events, log } = await recordsFor(moderator.id);
    expect(ledger.map((e) => [e.kind, e.amount])).toEqual([
      ["grant", "40.00"],
      ["revoke", "-40.00"],
    ]);
    expect((await memberRewards(moderator.id)).balances).toEqual([{ currency: "USD", amount: "0.00" }]);
    const grantedEvent = events.find((e) => (e.payload as { type: string }).type === "reward.granted")!;
    const revokedEvent = events.find((e) => (e.payload as { type: string }).type === "reward.revoked")!;
    expect(revokedEvent.payload).toMatchObject({
      id: revokedEvent.id,
      grant: (grantedEvent.payload as { grant: unknown }).grant,
      member: (grantedEvent.payload as { member: unknown }).member,
      revocation: { reason: expect.any(String), revoked_by: admin.username },
    });
    expect(log.map((entry) => entry.action).sort()).toEqual(["reward.granted", "reward.revoked"]);
    expect((await memberRewards(moderator.id)).grants[0]).toMatchObject({ revokeDelivery: "pending", revokeReason: expect.any(String) });
  });

  it("calls only the one-revocation-per-grant key \"already revoked\", not any other unique violation", async () => {
    const admin = await makeAdmin();
    const pkg = await makePackage(admin, "40.00");
    const moderator = await makeTrustedModerator();
    const granted = await grantReward(admin, { idempotencyKey: randomUUID(), packageId: pkg.id, memberId: moderator.id, reason: "Good work" });
    if (!granted.ok) throw new Error(granted.message);
    // A stray reversal in the ledger without a revocation: the revoke's own entry meets the ledger's unique key.
    await db().insert(rewardLedger).values({ memberId: moderator.id, grantId: granted.grantId, kind: "revoke", amount: "-40.00", currency: "USD" });

    await expect(revokeGrant(admin, { grantId: granted.grantId, reason: "Mistake" })).rejects.toThrow();
    expect(await db().select().from(rewardRevocations).where(eq(rewardRevocations.grantId, granted.grantId))).toEqual([]);
  });

  it("of an unknown grant is a 404, and members cannot revoke", async () => {
    const admin = await makeAdmin();
    expect(await revokeGrant(admin, { grantId: 999_999, reason: "x" })).toMatchObject({ ok: false, status: 404 });
    const moderator = await makeMember({ role: "moderator" });
    expect(await revokeGrant(moderator, { grantId: 1, reason: "x" })).toMatchObject({ ok: false, status: 403 });
  });
});

describe("the reward records", () => {
  it("refuse updates and deletes: the ledger, grants and revocations are append-only", async () => {
    const admin = await makeAdmin();
    const pkg = await makePackage(admin);
    const moderator = await makeTrustedModerator();
    const granted = await grantReward(admin, { idempotencyKey: randomUUID(), packageId: pkg.id, memberId: moderator.id, reason: "x" });
    if (!granted.ok) throw new Error(granted.message);
    await revokeGrant(admin, { grantId: granted.grantId, reason: "y" });
    await expect(db().update(rewardLedger).set({ amount: "1000.00" }).where(eq(rewardLedger.memberId, moderator.id))).rejects.toThrow();
    await expect(db().delete(rewardLedger).where(eq(rewardLedger.memberId, moderator.id))).rejects.toThrow();
    await expect(db().update(rewardGrants).set({ reason: "edited" }).where(eq(rewardGrants.id, granted.grantId))).rejects.toThrow();
    await expect(db().delete(rewardRevocations).where(eq(rewardRevocations.grantId, granted.grantId))).rejects.toThrow();
    const rows = await db().select().from(rewardLedger).where(inArray(rewardLedger.grantId, [granted.grantId]));
    expect(rows.map((row) => row.amount).sort()).toEqual(["-25.00", "25.00"]);
  });

  it("keep the billing client id an admin sets, and log it", async () => {
    const admin = await makeAdmin();
    const moderator = await makeMember({ role: "moderator" });
    expect(await setBillingClientId(moderator, moderator.id, "C-1")).toMatchObject({ ok: false, status: 403 });
    expect(await setBillingClientId(admin, moderator.id, "C-77")).toEqual({ ok: true });
    const [row] = await db().select({ id: members.billingClientId }).from(members).where(eq(members.id, moderator.id));
    expect(row!.id).toBe("C-77");
  });
});

describe.runIf(runsOnPostgresOnly("the reward model's row-lock tests (a grant beside a retire, and beside a sign-in)"))("a grant beside other writers (PostgreSQL only)", () => {
  // The moderation log is written last in each of these transactions: holding it stops a
  // transaction after its other changes and before its commit, at a known point.
  const holdModerationLog = () => holdLock(sql`lock table ${moderationLog} in exclusive mode`);

  it("waits for a retire of its package that is under way, then is refused with a clear 409", async () => {
    const admin = await makeAdmin();
    const pkg = await makePackage(admin);
    const [earlier, later] = [await makeTrustedModerator(), await makeTrustedModerator()];
    expect(await grantReward(admin, { idempotencyKey: randomUUID(), packageId: pkg.id, memberId: earlier.id, reason: "Before the retire" })).toMatchObject({ ok: true });

    const log = await holdModerationLog();
    const retiring = retireOrDeletePackage(admin, pkg.id);
    await untilWaitingForLocks(1);
    const granting = grantReward(admin, { idempotencyKey: randomUUID(), packageId: pkg.id, memberId: later.id, reason: "During the retire" });
    await untilWaitingForLocks(2);
    await log.release();

    expect(await retiring).toEqual({ ok: true, deleted: false });
    expect(await granting).toMatchObject({ ok: false, status: 409, field: "packageId", message: expect.stringContaining("is retired and can no longer be granted") });
    expect((await recordsFor(later.id)).grants).toEqual([]);
  });

  it("does not hold up a sign-in (a new row naming the moderator) while it is being written", async () => {
    const admin = await makeAdmin();
    const pkg = await makePackage(admin);
    const moderator = await makeTrustedModerator();

    const log = await holdModerationLog();
    const granting = grantReward(admin, { idempotencyKey: randomUUID(), packageId: pkg.id, memberId: moderator.id, reason: "While they sign in" });
    let signIn: Promise<string> | undefined;
    try {
      await untilWaitingForLocks(1);
      signIn = startSession(moderator.id);
      const outcome = await Promise.race([signIn.then(() => "signed in"), new Promise((resolve) => setTimeout(() => resolve("still waiting after 3 s"), 3000))]);
      expect(outcome).toBe("signed in");
    } finally {
      await log.release();
      await signIn;
    }
    expect(await granting).toMatchObject({ ok: true });
    expect(await db().select().from(sessions).where(eq(sessions.userId, moderator.id))).toHaveLength(1);
  });
});
