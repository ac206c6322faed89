/**
 * The provisioning hook end to end: the real worker delivers reward events from the outbox to a
 * real receiver on 127.0.0.1 (or a WHMCS API stand-in) that fails in the ways hosts' systems
 * do. Retries are "fast-forwarded" by making the event due in the database between passes.
 */
import { randomUUID } from "node:crypto";
import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "~db/client";
import { members, moderationLog, outboxEvents, rewardGrants } from "~db/schema";
import { claimDue, enqueue } from "~/jobs/outbox.server";
import { provisioningAdapterFromEnv } from "~/jobs/provisioning/adapter.server";
import { PROVISIONING_TOPIC, type ProvisioningEvent, type RewardEvent } from "~/jobs/provisioning/events";
import { carriesMarker, creditMarker } from "~/jobs/provisioning/whmcs.server";
import { createWorker, workerOptionsFromEnv, type TopicHandler } from "~/jobs/worker.server";
import { retryDelivery, sendPing } from "~/models/deliveries.server";
import { grantReward, memberRewards, revokeGrant, savePackage, setBillingClientId } from "~/models/rewards.server";
import { htmlToText, startTestApp, Visitor, type TestApp } from "../support/app";
import { makeMember, uniqueName } from "../support/factories";
import { startHookReceiver, type HookReceiver } from "../support/hook-receiver";
import { holdLock, runsOnPostgresOnly } from "../support/postgres-only";
import { startWhmcsStandIn, type WhmcsStandIn } from "../support/whmcs-standin";

let app: TestApp;
let receiver: HookReceiver;
let whmcs: WhmcsStandIn;
beforeAll(async () => {
  [app, receiver, whmcs] = await Promise.all([startTestApp(), startHookReceiver(), startWhmcsStandIn()]);
});
afterAll(async () => {
  await Promise.all([app?.close(), receiver?.close(), whmcs?.close()]);
});

const quiet = () => {};

/** A worker delivering to the test receiver; a 2 s time limit keeps failing passes short. */
function webhookWorker(env: Record<string, string> = {}) {
  return createWorker(workerOptionsFromEnv({ PROVISIONING_WEBHOOK_URL: receiver.url, PROVISIONING_WEBHOOK_SECRET: receiver.secret, PROVISIONING_TIMEOUT_MS: "2000", ...env }, quiet));
}

function whmcsWorker(env: Record<string, string> = {}) {
  return createWorker(workerOptionsFromEnv({ WHMCS_URL: whmcs.url, WHMCS_IDENTIFIER: whmcs.identifier, WHMCS_SECRET: whmcs.secret, PROVISIONING_TIMEOUT_MS: "2000", ...env }, quiet));
}

// Grant ids only need to be distinct within this file's receiver and stand-in.
let nextGrantId = 1000 + Math.floor(Math.random() * 100_000);

/** Queues a reward event as the reward model does: the body is the payload, its id the row's. */
async function queueRewardEvent(options: { type?: "reward.granted" | "reward.revoked"; grantId?: number; billingClientId?: string | null; memberId?: number } = {}) {
  const id = randomUUID();
  const body: ProvisioningEvent = {
    id,
    type: options.type ?? "reward.granted",
    created_at: new Date().toISOString(),
    grant: {
      id: options.grantId ?? nextGrantId++,
      package: { code: "CREDIT-10", name: "Ten euro hosting credit", credit_amount: "10.00", currency: "EUR" },
      reason: "Forty accepted answers this quarter",
      granted_by: "alice",
    },
    // No such member by default: the WHMCS adapter then has only the event's billing client id.
    member: { id: options.memberId ?? 999_999, username: "mod_marta", email: "marta@example.test", billing_client_id: options.billingClientId === undefined ? null : options.billingClientId },
  };
  await enqueue(db(), { id, topic: PROVISIONING_TOPIC, payload: { ...body } });
  return body;
}

async function delivery(id: string) {
  const [row] = await db().select().from(outboxEvents).where(eq(outboxEvents.id, id));
  return row!;
}

/** Makes a waiting event due now, as if its pause had passed. */
async function fastForward(id: string) {
  await db().update(outboxEvents).set({ nextAttemptAt: sql`now()` }).where(eq(outboxEvents.id, id));
}

async function secondsUntilNextTry(id: string): Promise<number> {
  const [row] = await db()
    .select({ seconds: sql<number>`extract(epoch from ${outboxEvents.nextAttemptAt} - now())::float` })
    .from(outboxEvents)
    .where(eq(outboxEvents.id, id));
  return Number(row!.seconds);
}

/**
 * A grant made as an admin makes it, through the reward model: a moderator (with a billing
 * client id when given), a package and the grant, whose event is the outbox row it wrote.
 */
async function makeGrant({ billingClientId }: { billingClientId?: string } = {}) {
  const admin = await makeMember({ role: "admin" });
  const moderator = await makeMember({ role: "moderator" });
  if (billingClientId) await setBillingClientId(admin, moderator.id, billingClientId);
  const name = uniqueName("Pkg");
  const pkg = await savePackage(admin, { name, creditAmount: "10.00", currency: "EUR", productCode: "CREDIT-10" });
  if (!pkg.ok) throw new Error(pkg.message);
  const granted = await grantReward(admin, {
    idempotencyKey: randomUUID(),
    memberId: moderator.id,
    packageId: pkg.id,
    reason: "Forty accepted answers this quarter",
    // A fresh moderator has no accepted answers yet.
    overrideReason: "Answers the mail questions nobody else takes",
  });
  if (!granted.ok) throw new Error(granted.message);
  const [grant] = await db().select({ eventId: rewardGrants.eventId }).from(rewardGrants).where(eq(rewardGrants.id, granted.grantId));
  return { admin, moderator, packageName: name, grantId: granted.grantId, eventId: grant!.eventId };
}

/** The reward events the receiver got for one grant, in the order they arrived: [type, outcome]. */
function receivedForGrant(grantId: number) {
  return receiver.requests
    .filter((request) => (JSON.parse(request.rawBody) as Partial<RewardEvent>).grant?.id === grantId)
    .map((request) => [request.eventType, request.outcome]);
}

async function signedIn(member: { username: string; password: string }) {
  const visitor = new Visitor(app);
  const response = await visitor.post("/login", { login: member.username, password: member.password });
  expect(response.status).toBe(302);
  return visitor;
}

describe("the webhook adapter", () => {
  it("delivers a grant after the receiver answers 500 five times, backing off 30, 60, 120, 240 and 480 s; the grant is provisioned once", async () => {
    const grant = await makeGrant({ billingClientId: "42" });
    const event = (await delivery(grant.eventId)).payload as RewardEvent;
    receiver.script(event.id, ...Array.from({ length: 5 }, () => ({ fail: 500 })));
    const worker = webhookWorker();

    for (const [index, pause] of [30, 60, 120, 240, 480].entries()) {
      await worker.runOnce();
      const row = await delivery(event.id);
      expect(row.status).toBe("pending");
      expect(row.attempts).toBe(index + 1);
      expect(row.lastError).toMatch(/answered HTTP 500: .*Scripted failure/);
      const wait = await secondsUntilNextTry(event.id);
      expect(wait).toBeGreaterThan(pause - 5);
      expect(wait).toBeLessThanOrEqual(pause);
      if (index === 0) {
        // Not due yet: another pass leaves it alone.
        await worker.runOnce();
        expect((await delivery(event.id)).attempts).toBe(1);
      }
      await fastForward(event.id);
    }
    expect(await worker.runOnce()).toBeGreaterThanOrEqual(1);

    const row = await delivery(event.id);
    expect(row).toMatchObject({ status: "delivered", attempts: 6, lastError: null });
    expect(row.deliveredAt).not.toBeNull();
    const requests = receiver.requestsFor(event.id);
    expect(requests.map((request) => request.outcome)).toEqual([500, 500, 500, 500, 500, 200]);
    // Every attempt is signed, carries the same delivery id and the same body.
    for (const request of requests) {
      expect(request.signature.ok).toBe(true);
      expect(request.eventType).toBe("reward.granted");
      expect(request.headers["content-type"]).toBe("application/json");
      expect(request.headers["user-agent"]).toMatch(/^HostHelp/);
      expect(JSON.parse(request.rawBody)).toEqual(event);
    }
    // Provisioned once: the receiver applied one event for this grant, and the grant shows delivered.
    const appliedForGrant = [...receiver.applied.values()].filter((applied) => applied.type === "reward.granted" && applied.grant.id === grant.grantId);
    expect(appliedForGrant).toEqual([event]);
    expect(event.member).toMatchObject({ id: grant.moderator.id, billing_client_id: "42" });
    const { grants } = await memberRewards(grant.moderator.id);
    expect(grants).toEqual([expect.objectContaining({ id: grant.grantId, delivery: "delivered", revokedAt: null })]);
  });

  it("gives up on a receiver that hangs after 10 s and delivers on a later try", async () => {
    const event = await queueRewardEvent();
    receiver.script(event.id, "hang");
    // The one real wait of this file: the default time limit.
    const worker = createWorker(workerOptionsFromEnv({ PROVISIONING_WEBHOOK_URL: receiver.url, PROVISIONING_WEBHOOK_SECRET: receiver.secret }, quiet));
    const started = Date.now();
    await worker.runOnce();
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(9_500);
    expect(elapsed).toBeLessThan(15_000);
    const failed = await delivery(event.id);
    expect(failed).toMatchObject({ status: "pending", attempts: 1 });
    expect(failed.lastError).toMatch(/No answer from http:\/\/127\.0\.0\.1:\d+\/hooks\/hosthelp within 10 s/);

    await fastForward(event.id);
    await worker.runOnce();
    expect(await delivery(event.id)).toMatchObject({ status: "delivered", attempts: 2 });
    expect(receiver.requestsFor(event.id).map((request) => request.outcome)).toEqual(["hang", 200]);
  }, 40_000);

  it("retries while the receiver is down (connection refused) and delivers once it is back", async () => {
    const event = await queueRewardEvent();
    const worker = webhookWorker();
    await receiver.stop();
    try {
      for (const attempts of [1, 2]) {
        await worker.runOnce();
        const row = await delivery(event.id);
        expect(row).toMatchObject({ status: "pending", attempts });
        // A kept-alive connection from an earlier test may be the first to notice the receiver is gone.
        const refused = /Connection refused by http:\/\/127\.0\.0\.1:\d+\/hooks\/hosthelp \(ECONNREFUSED\)/;
        expect(row.lastError).toMatch(attempts === 1 ? new RegExp(`${refused.source}|closed the connection`) : refused);
        await fastForward(event.id);
      }
    } finally {
      await receiver.start();
    }
    await worker.runOnce();
    expect(await delivery(event.id)).toMatchObject({ status: "delivered", attempts: 3 });
    expect(receiver.requestsFor(event.id)).toHaveLength(1);
  });

  it("lets the receiver apply an event once when an answer is lost, deduplicating on HostHelp-Delivery", async () => {
    const event = await queueRewardEvent();
    receiver.script(event.id, { applyThenFail: 502 }, "close");
    const worker = webhookWorker();
    await worker.runOnce();
    expect((await delivery(event.id)).lastError).toMatch(/HTTP 502/);
    await fastForward(event.id);
    await worker.runOnce();
    expect((await delivery(event.id)).lastError).toMatch(/closed the connection|Could not reach/);
    await fastForward(event.id);
    await worker.runOnce();

    expect(await delivery(event.id)).toMatchObject({ status: "delivered", attempts: 3 });
    const requests = receiver.requestsFor(event.id);
    expect(requests.map((request) => request.outcome)).toEqual([502, "close", 200]);
    expect(new Set(requests.map((request) => request.rawBody)).size).toBe(1);
    expect([...receiver.applied.keys()].filter((id) => id === event.id)).toHaveLength(1);
  });

  it("delivers an event whose worker died mid-delivery once the claim lapses; the receiver applies it once", async () => {
    const event = await queueRewardEvent();
    // A worker claimed the event, posted it (the receiver applied it) and died before recording that.
    await db().update(outboxEvents).set({ status: "delivering", attempts: 1, lockedUntil: sql`now() + interval '1 minute'` }).where(eq(outboxEvents.id, event.id));
    await provisioningAdapterFromEnv({ PROVISIONING_WEBHOOK_URL: receiver.url, PROVISIONING_WEBHOOK_SECRET: receiver.secret })!.deliver(event, 1);
    const worker = webhookWorker();
    await worker.runOnce();
    expect(await delivery(event.id)).toMatchObject({ status: "delivering", attempts: 1 });

    await db().update(outboxEvents).set({ lockedUntil: sql`now() - interval '1 second'` }).where(eq(outboxEvents.id, event.id));
    await worker.runOnce();
    expect(await delivery(event.id)).toMatchObject({ status: "delivered", attempts: 2 });
    expect(receiver.requestsFor(event.id).map((request) => request.outcome)).toEqual([200, 200]);
    expect([...receiver.applied.keys()].filter((id) => id === event.id)).toHaveLength(1);
  });

  it("keeps a claim's lease well above the delivery time limit", () => {
    const lines: string[] = [];
    const options = workerOptionsFromEnv({ PROVISIONING_TIMEOUT_MS: "10000", OUTBOX_LEASE_SECONDS: "5" }, (line) => lines.push(line));
    expect(options.leaseSeconds).toBe(30);
    expect(lines.join("\n")).toContain("A claim lease of 5 s (OUTBOX_LEASE_SECONDS) is too short for a 10 s delivery time limit; using 30 s.");
    expect(workerOptionsFromEnv({}, quiet).leaseSeconds).toBe(60);
  });

  it("keeps retrying an event whose first attempt was 2 days ago, and moves its last retry to the end of the 3 days", async () => {
    const event = await queueRewardEvent();
    receiver.script(event.id, { fail: 503 }, { fail: 503 });
    await db()
      .update(outboxEvents)
      .set({ createdAt: sql`now() - interval '2 days'`, firstAttemptAt: sql`now() - interval '2 days'`, attempts: 50 })
      .where(eq(outboxEvents.id, event.id));
    const worker = webhookWorker();
    await worker.runOnce();
    expect(await delivery(event.id)).toMatchObject({ status: "pending", attempts: 51 });
    expect(await secondsUntilNextTry(event.id)).toBeGreaterThan(3590);

    // 10 minutes before the window closes, an hour's pause would pass it: the last try comes at the close.
    await db().update(outboxEvents).set({ firstAttemptAt: sql`now() - interval '3 days' + interval '10 minutes'`, nextAttemptAt: sql`now()` }).where(eq(outboxEvents.id, event.id));
    await worker.runOnce();
    expect(await delivery(event.id)).toMatchObject({ status: "pending", attempts: 52 });
    const wait = await secondsUntilNextTry(event.id);
    expect(wait).toBeGreaterThan(590);
    expect(wait).toBeLessThanOrEqual(600);
  });

  it("counts the 3 days from the first attempt: an event queued 4 days ago while no hook was configured still gets them", async () => {
    const event = await queueRewardEvent();
    receiver.script(event.id, { fail: 503 });
    await db().update(outboxEvents).set({ createdAt: sql`now() - interval '4 days'`, nextAttemptAt: sql`now() - interval '4 days'` }).where(eq(outboxEvents.id, event.id));
    await webhookWorker().runOnce();
    const row = await delivery(event.id);
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(Date.now() - row.firstAttemptAt!.getTime()).toBeLessThan(60_000);
  });

  it("marks an event failed after three days of failures; an admin's retry then delivers it", async () => {
    const event = await queueRewardEvent();
    receiver.script(event.id, { fail: 503 });
    // Three days of failed attempts, compressed: the first attempt was as long ago as the retry window.
    await db().update(outboxEvents).set({ firstAttemptAt: sql`now() - interval '3 days'`, attempts: 75 }).where(eq(outboxEvents.id, event.id));
    const worker = webhookWorker();
    await worker.runOnce();
    const failed = await delivery(event.id);
    expect(failed).toMatchObject({ status: "failed", attempts: 76 });
    expect(failed.lastError).toMatch(/HTTP 503/);
    await worker.runOnce();
    expect((await delivery(event.id)).attempts).toBe(76);

    const admin = await signedIn(await makeMember({ role: "admin" }));
    const page = await admin.get("/admin/deliveries?status=failed");
    expect(page.status).toBe(200);
    const text = await admin.text(page);
    expect(text).toContain(`reward.granted: grant #${event.grant.id} to mod_marta`);
    expect(text).toContain("HTTP 503");
    expect(text).toContain("Retry now");

    const retried = await admin.post("/admin/deliveries?status=failed", { intent: "retry", id: event.id });
    expect(retried.status).toBe(200);
    expect(await admin.text(retried)).toContain("queued to be tried again now");
    expect(await delivery(event.id)).toMatchObject({ status: "pending", attempts: 76 });
    expect(await secondsUntilNextTry(event.id)).toBeLessThanOrEqual(0);
    const [logged] = await db().select().from(moderationLog).where(and(eq(moderationLog.action, "delivery.retried"), eq(moderationLog.targetId, event.id)));
    expect(logged!.details).toMatchObject({ previousStatus: "failed", attempts: 76, grantId: event.grant.id });

    await worker.runOnce();
    expect(await delivery(event.id)).toMatchObject({ status: "delivered", attempts: 77 });
    expect(receiver.applied.has(event.id)).toBe(true);
  });
});

describe("a revocation and its grant", () => {
  it("never reach the receiver out of order: a revoke made while the grant's delivery is failing waits for it", async () => {
    const grant = await makeGrant();
    receiver.script(grant.eventId, { fail: 500 });
    const worker = webhookWorker();
    await worker.runOnce();
    expect(await delivery(grant.eventId)).toMatchObject({ status: "pending", attempts: 1 });

    const adminPage = await signedIn(grant.admin);
    const revoked = await adminPage.post(`/admin/rewards/grants/${grant.grantId}`, { reason: "Granted to the wrong moderator" });
    expect(revoked.status).toBe(302);
    const [revocation] = await db().select().from(outboxEvents).where(eq(outboxEvents.afterEventId, grant.eventId));
    expect(revocation!.payload).toMatchObject({ type: "reward.revoked", grant: { id: grant.grantId } });

    // Due, but not sent: its grant is not delivered yet. Admins see why, and which delivery it waits for.
    await worker.runOnce();
    expect(await delivery(revocation!.id)).toMatchObject({ status: "pending", attempts: 0 });
    const page = await adminPage.text(await adminPage.get("/admin/deliveries?status=pending"));
    expect(page).toContain(`reward.revoked: grant #${grant.grantId} to ${grant.moderator.username} Delivery ${revocation!.id} Pending Waiting for its grant's delivery ${grant.eventId} (pending)`);
    const retried = await adminPage.post("/admin/deliveries", { intent: "retry", id: revocation!.id });
    expect(retried.status).toBe(409);
    expect(await adminPage.text(retried)).toContain(`This delivery waits for its grant's delivery ${grant.eventId} (pending), and goes out once that one is delivered.`);
    await fastForward(revocation!.id);
    await worker.runOnce();
    expect(await delivery(revocation!.id)).toMatchObject({ status: "pending", attempts: 0 });

    // The receiver recovers: the grant goes out, and the revocation after it, in the same pass.
    await fastForward(grant.eventId);
    await worker.runOnce();
    expect(await delivery(grant.eventId)).toMatchObject({ status: "delivered", attempts: 2 });
    expect(await delivery(revocation!.id)).toMatchObject({ status: "delivered", attempts: 1 });
    expect(receivedForGrant(grant.grantId)).toEqual([
      ["reward.granted", 500],
      ["reward.granted", 200],
      ["reward.revoked", 200],
    ]);
    const after = await adminPage.text(await adminPage.get("/admin/deliveries?status=delivered"));
    expect(after).not.toContain(`Waiting for its grant's delivery ${grant.eventId}`);
  });

  it("waits while the grant's delivery has failed, and follows it once an admin's retry delivers the grant", async () => {
    const grant = await makeGrant();
    await db()
      .update(outboxEvents)
      .set({ status: "failed", attempts: 80, firstAttemptAt: sql`now() - interval '3 days'`, lastError: "HTTP 503" })
      .where(eq(outboxEvents.id, grant.eventId));
    expect(await revokeGrant(grant.admin, { grantId: grant.grantId, reason: "Paid another way" })).toEqual({ ok: true });
    const worker = webhookWorker();
    await worker.runOnce();
    expect(receivedForGrant(grant.grantId)).toEqual([]);

    expect(await retryDelivery(grant.admin, grant.eventId)).toEqual({ ok: true });
    await worker.runOnce();
    expect(receivedForGrant(grant.grantId)).toEqual([
      ["reward.granted", 200],
      ["reward.revoked", 200],
    ]);
  });
});

describe("a worker whose claim lapsed", () => {
  /**
   * A worker whose handler outlives its lease: while it delivers, the lease runs out and a
   * second worker claims the event (the attempt count goes up). The first one's outcome then
   * comes too late to count.
   */
  async function overtakenDelivery(outcome: "delivered" | "failed") {
    const topic = `claim-test-${randomUUID()}`;
    const id = await enqueue(db(), { topic, payload: { note: "a slow delivery" } });
    const lines: string[] = [];
    let secondClaim: Awaited<ReturnType<typeof claimDue>> = [];
    const slowHandler: TopicHandler = {
      async deliver() {
        await db().update(outboxEvents).set({ lockedUntil: sql`now() - interval '1 second'` }).where(eq(outboxEvents.id, id));
        secondClaim = await claimDue([topic]);
        if (outcome === "failed") throw new Error("The receiver answered HTTP 503");
      },
    };
    const worker = createWorker({ handlers: new Map([[topic, slowHandler]]), held: new Map(), pollMs: 60_000, leaseSeconds: 60, log: (line) => lines.push(line) });
    expect(await worker.runOnce()).toBe(0);
    expect(secondClaim.map((event) => [event.id, event.attempts])).toEqual([[id, 2]]);
    return { id, lines };
  }

  it("cannot mark delivered an event another worker has claimed since", async () => {
    const { id, lines } = await overtakenDelivery("delivered");
    expect(await delivery(id)).toMatchObject({ status: "delivering", attempts: 2, deliveredAt: null });
    expect(lines.join("\n")).toContain(`${id} attempt 1 was delivered, but its claim had lapsed and the event was claimed again`);
  });

  it("cannot put back as pending (or fail) an event another worker is delivering", async () => {
    const { id, lines } = await overtakenDelivery("failed");
    const row = await delivery(id);
    expect(row).toMatchObject({ status: "delivering", attempts: 2, lastError: null });
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(lines.join("\n")).toContain(`${id} attempt 1 failed, but its claim had lapsed`);
  });
});

describe.runIf(runsOnPostgresOnly("the claim's SKIP LOCKED test"))("claims beside another worker's (PostgreSQL only)", () => {
  it("skip an event another worker has locked instead of waiting for it", async () => {
    const topic = `skip-locked-test-${randomUUID()}`;
    const [locked, free] = [await enqueue(db(), { topic, payload: {} }), await enqueue(db(), { topic, payload: {} })];
    // Another worker in the middle of its claim holds the row lock on the first event.
    const otherWorker = await holdLock(sql`select id from ${outboxEvents} where id = ${locked} for update`);
    try {
      const claimed = await Promise.race([claimDue([topic]), new Promise<"still waiting after 3 s">((resolve) => setTimeout(() => resolve("still waiting after 3 s"), 3000))]);
      expect(claimed === "still waiting after 3 s" ? claimed : claimed.map((event) => event.id)).toEqual([free]);
    } finally {
      await otherWorker.release();
    }
    expect(await delivery(locked)).toMatchObject({ status: "pending", attempts: 0 });
  });
});

describe("without a provisioning hook", () => {
  it("keeps reward events pending, naming each once in the log", async () => {
    const event = await queueRewardEvent();
    const lines: string[] = [];
    const worker = createWorker(workerOptionsFromEnv({}, (line) => lines.push(line)));
    await worker.runOnce();
    await worker.runOnce();
    expect(await delivery(event.id)).toMatchObject({ status: "pending", attempts: 0 });
    const ours = lines.filter((line) => line.includes(event.id));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toContain("No provisioning hook is configured");
  });

  it("refuses to send unsigned: a webhook URL without its secret delivers nothing and says why once", async () => {
    const event = await queueRewardEvent();
    const lines: string[] = [];
    const worker = createWorker(workerOptionsFromEnv({ PROVISIONING_WEBHOOK_URL: receiver.url }, (line) => lines.push(line)));
    expect(lines).toEqual([expect.stringContaining("PROVISIONING_WEBHOOK_SECRET is not")]);
    await worker.runOnce();
    expect(await delivery(event.id)).toMatchObject({ status: "pending", attempts: 0 });
    expect(receiver.requestsFor(event.id)).toHaveLength(0);
  });

  it("treats an address with a user name or password as not configured, says why, and never repeats the password", async () => {
    const password = "hunter2-in-the-url";
    const withCredentials = {
      webhook: { PROVISIONING_WEBHOOK_URL: receiver.url.replace("http://", `http://hook-user:${password}@`), PROVISIONING_WEBHOOK_SECRET: receiver.secret },
      whmcs: { WHMCS_URL: whmcs.url.replace("http://", `http://api-user:${password}@`), WHMCS_IDENTIFIER: whmcs.identifier, WHMCS_SECRET: whmcs.secret },
    };
    const expected = {
      webhook: "PROVISIONING_WEBHOOK_URL contains a user name or password, which HostHelp never uses, stores or shows; take them out of the address (requests are proved by their signature with PROVISIONING_WEBHOOK_SECRET); reward events wait as pending until it is fixed.",
      whmcs: "WHMCS_URL contains a user name or password, which HostHelp never uses, stores or shows; take them out of the address (the API is signed in to with WHMCS_IDENTIFIER and WHMCS_SECRET); reward events wait as pending until it is fixed.",
    };
    const admin = await signedIn(await makeMember({ role: "admin" }));
    for (const adapter of ["webhook", "whmcs"] as const) {
      const event = await queueRewardEvent();
      const lines: string[] = [];
      const worker = createWorker(workerOptionsFromEnv(withCredentials[adapter], (line) => lines.push(line)));
      await worker.runOnce();
      expect(await delivery(event.id)).toMatchObject({ status: "pending", attempts: 0, lastError: null });
      expect(lines[0]).toBe(`[provisioning] ${expected[adapter]}`);
      expect(lines.find((line) => line.includes(event.id))).toContain(expected[adapter]);
      expect(lines.join("\n")).not.toContain(password);

      Object.assign(process.env, withCredentials[adapter]);
      try {
        for (const path of ["/admin/deliveries", "/admin/rewards"]) {
          const html = await (await admin.get(path)).text();
          expect(htmlToText(html), path).toContain(expected[adapter]);
          expect(html, path).not.toContain(password);
        }
      } finally {
        for (const name of Object.keys(withCredentials[adapter])) delete process.env[name];
      }
    }
  });

  it("stores and logs a failed attempt's error without the password of any address it quotes", async () => {
    const topic = `scrub-test-${randomUUID()}`;
    const id = await enqueue(db(), { topic, payload: {} });
    const lines: string[] = [];
    const quotingHandler: TopicHandler = {
      async deliver() {
        throw new TypeError("Request cannot be constructed from a URL that includes credentials: https://billing-user:s3cr3t@pa55@billing.example.com/includes/api.php");
      },
    };
    await createWorker({ handlers: new Map([[topic, quotingHandler]]), held: new Map(), pollMs: 60_000, leaseSeconds: 60, log: (line) => lines.push(line) }).runOnce();
    const { lastError } = await delivery(id);
    expect(lastError).toBe("Request cannot be constructed from a URL that includes credentials: https://***@billing.example.com/includes/api.php");
    expect(lines.join("\n")).toContain("https://***@billing.example.com/includes/api.php");
    expect(lines.join("\n")).not.toMatch(/s3cr3t|pa55/);
  });
});

describe("the billing client id a webhook event carries", () => {
  it("is the member's as it is when sent, and a revocation's is the one its grant was delivered with", async () => {
    const grant = await makeGrant();
    receiver.script(grant.eventId, { fail: 422 });
    const worker = webhookWorker();
    await worker.runOnce();
    const billingIdSent = () => (JSON.parse(receiver.requestsFor(grant.eventId).at(-1)!.rawBody) as RewardEvent).member.billing_client_id;
    expect(billingIdSent()).toBeNull();
    // The receiver refused a grant for no client; the admin sets the id and retries.
    expect(await setBillingClientId(grant.admin, grant.moderator.id, "C-77")).toEqual({ ok: true });
    expect(await retryDelivery(grant.admin, grant.eventId)).toEqual({ ok: true });
    await worker.runOnce();
    expect(await delivery(grant.eventId)).toMatchObject({ status: "delivered", attempts: 2 });
    expect(billingIdSent()).toBe("C-77");

    expect(await setBillingClientId(grant.admin, grant.moderator.id, "C-78")).toEqual({ ok: true });
    expect(await revokeGrant(grant.admin, { grantId: grant.grantId, reason: "Counted twice" })).toEqual({ ok: true });
    await worker.runOnce();
    const revocation = receiver.requests.filter((request) => request.eventType === "reward.revoked").at(-1)!;
    expect((JSON.parse(revocation.rawBody) as RewardEvent).member.billing_client_id).toBe("C-77");
  });
});

describe("the WHMCS adapter", () => {
  afterEach(() => whmcs.failAfterApplying(0, "500"));

  it("adds the credit once when WHMCS applied it but the answer was lost", async () => {
    whmcs.addClient("42");
    const event = await queueRewardEvent({ billingClientId: "42" });
    whmcs.failAfterApplying(1, "drop");
    const worker = whmcsWorker();
    await worker.runOnce();
    const first = await delivery(event.id);
    expect(first).toMatchObject({ status: "pending", attempts: 1 });
    expect(first.lastError).toMatch(/closed the connection|Could not reach/);
    expect(whmcs.balanceCents("42")).toBe(1000);

    await fastForward(event.id);
    await worker.runOnce();
    expect(await delivery(event.id)).toMatchObject({ status: "delivered", attempts: 2 });
    expect(whmcs.balanceCents("42")).toBe(1000);
    expect(whmcs.credits("42").map((credit) => credit.description)).toEqual([`HostHelp reward grant #${event.grant.id}: Ten euro hosting credit`]);
    // The first attempt went straight to AddCredit; the retry looked first and found it.
    const ours = whmcs.calls.filter((call) => call.params.clientid === "42").map((call) => call.action);
    expect(ours).toEqual(["AddCredit", "GetCredits"]);
    expect(whmcs.calls.find((call) => call.action === "AddCredit")!.params).toMatchObject({ amount: "10.00", type: "add" });
  });

  it("takes a revoked grant's credit back once, even when the removal's answer is a 500", async () => {
    whmcs.addClient("43");
    const grantId = nextGrantId++;
    const worker = whmcsWorker();
    await queueRewardEvent({ grantId, billingClientId: "43" });
    await worker.runOnce();
    expect(whmcs.balanceCents("43")).toBe(1000);

    const revoked = await queueRewardEvent({ type: "reward.revoked", grantId, billingClientId: "43" });
    whmcs.failAfterApplying(1, "500");
    await worker.runOnce();
    expect((await delivery(revoked.id)).lastError).toMatch(/WHMCS AddCredit failed \(HTTP 500\)/);
    await fastForward(revoked.id);
    await worker.runOnce();
    expect(await delivery(revoked.id)).toMatchObject({ status: "delivered", attempts: 2 });
    expect(whmcs.balanceCents("43")).toBe(0);
    expect(whmcs.credits("43").map((credit) => credit.description)).toEqual([
      `HostHelp reward grant #${grantId}: Ten euro hosting credit`,
      `HostHelp reward revocation #${grantId}: Ten euro hosting credit`,
    ]);
  });

  it("finds its marker only for the same grant", () => {
    const event = { type: "reward.granted", grant: { id: 12 } } as RewardEvent;
    expect(creditMarker(event)).toBe("HostHelp reward grant #12");
    expect(carriesMarker("HostHelp reward grant #12: Ten euro hosting credit", creditMarker(event))).toBe(true);
    expect(carriesMarker("HostHelp reward grant #123: Ten euro hosting credit", creditMarker(event))).toBe(false);
    expect(carriesMarker("HostHelp reward revocation #12: Ten euro hosting credit", creditMarker(event))).toBe(false);
  });

  it("retries with a clear message while the member has no billing client id, and uses the id an admin sets", async () => {
    whmcs.addClient("45");
    const moderator = await makeMember({ role: "moderator" });
    const event = await queueRewardEvent({ billingClientId: null, memberId: moderator.id });
    const worker = whmcsWorker();
    await worker.runOnce();
    const row = await delivery(event.id);
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row.lastError).toBe("mod_marta has no billing client id, so WHMCS cannot be credited. Set it on the member's admin page; the delivery is retried.");

    await db().update(members).set({ billingClientId: "45" }).where(eq(members.id, moderator.id));
    await fastForward(event.id);
    await worker.runOnce();
    expect(await delivery(event.id)).toMatchObject({ status: "delivered", attempts: 2 });
    expect(whmcs.balanceCents("45")).toBe(1000);
  });

  it("uses the billing client id an admin corrected after the grant, when the delivery is retried", async () => {
    whmcs.addClient("47");
    const grant = await makeGrant({ billingClientId: "4700" });
    const worker = whmcsWorker();
    await worker.runOnce();
    expect(await delivery(grant.eventId)).toMatchObject({ status: "pending", attempts: 1, lastError: "WHMCS AddCredit failed (HTTP 200): Client ID Not Found" });
    expect(((await delivery(grant.eventId)).payload as RewardEvent).member.billing_client_id).toBe("4700");

    expect(await setBillingClientId(grant.admin, grant.moderator.id, "47")).toEqual({ ok: true });
    expect(await retryDelivery(grant.admin, grant.eventId)).toEqual({ ok: true });
    await worker.runOnce();
    expect(await delivery(grant.eventId)).toMatchObject({ status: "delivered", attempts: 2 });
    expect(whmcs.credits("47").map((credit) => [credit.description, credit.cents])).toEqual([[`HostHelp reward grant #${grant.grantId}: ${grant.packageName}`, 1000]]);
  });

  it("takes a revoked grant's credit back from the client it went to, after the member's id changed", async () => {
    whmcs.addClient("50");
    whmcs.addClient("51");
    const grant = await makeGrant({ billingClientId: "50" });
    const worker = whmcsWorker();
    await worker.runOnce();
    expect(await delivery(grant.eventId)).toMatchObject({ status: "delivered" });
    expect(((await delivery(grant.eventId)).payload as RewardEvent).member.billing_client_id).toBe("50");
    // The member's billing account moved.
    expect(await setBillingClientId(grant.admin, grant.moderator.id, "51")).toEqual({ ok: true });
    expect(await revokeGrant(grant.admin, { grantId: grant.grantId, reason: "Counted twice" })).toEqual({ ok: true });
    await worker.runOnce();
    expect([whmcs.balanceCents("50"), whmcs.balanceCents("51")]).toEqual([0, 0]);
    expect(whmcs.credits("51")).toEqual([]);
  });

  it("credits a grant once when its answer was lost and the member's id changed before the retry", async () => {
    whmcs.addClient("60");
    whmcs.addClient("61");
    const grant = await makeGrant({ billingClientId: "60" });
    whmcs.failAfterApplying(1, "drop");
    const worker = whmcsWorker();
    await worker.runOnce();
    expect(await delivery(grant.eventId)).toMatchObject({ status: "pending", attempts: 1 });
    expect(await setBillingClientId(grant.admin, grant.moderator.id, "61")).toEqual({ ok: true });
    await fastForward(grant.eventId);
    await worker.runOnce();
    expect(await delivery(grant.eventId)).toMatchObject({ status: "delivered", attempts: 2 });
    expect([whmcs.balanceCents("60"), whmcs.balanceCents("61")]).toEqual([1000, 0]);
    // Recorded as delivered to the client it credited, which its revocation will debit.
    expect(((await delivery(grant.eventId)).payload as RewardEvent).member.billing_client_id).toBe("60");
  });

  it("answers a ping with WhmcsDetails, which changes nothing, and reports bad credentials", async () => {
    const admin = await makeMember({ role: "admin" });
    const pinged = await sendPing(admin);
    if (!pinged.ok) throw new Error(pinged.message);
    const callsBefore = whmcs.calls.length;
    await whmcsWorker().runOnce();
    expect(await delivery(pinged.id)).toMatchObject({ status: "delivered", attempts: 1 });
    expect(whmcs.calls.slice(callsBefore).map((call) => call.action)).toContain("WhmcsDetails");
    expect(whmcs.calls.slice(callsBefore).filter((call) => call.action === "AddCredit")).toEqual([]);

    const refused = await sendPing(admin);
    if (!refused.ok) throw new Error(refused.message);
    await whmcsWorker({ WHMCS_SECRET: "not-the-secret" }).runOnce();
    expect(await delivery(refused.id)).toMatchObject({ status: "pending", attempts: 1, lastError: "WHMCS WhmcsDetails failed (HTTP 403): Authentication Failed" });
  });

  it("warns, in the log and on the admin pages, when the API secret would go to a plain http:// address on another machine", async () => {
    const settings = { WHMCS_IDENTIFIER: whmcs.identifier, WHMCS_SECRET: whmcs.secret };
    const warning = "WHMCS_URL is a plain http:// address on another machine (billing.example.com), so the WHMCS API secret crosses the network unencrypted with every call. Use https://.";
    const lines: string[] = [];
    workerOptionsFromEnv({ ...settings, WHMCS_URL: "http://billing.example.com" }, (line) => lines.push(line));
    expect(lines).toEqual([`[provisioning] Warning: ${warning}`]);
    for (const quiet of ["https://billing.example.com", whmcs.url, "http://localhost:8080"]) {
      const none: string[] = [];
      workerOptionsFromEnv({ ...settings, WHMCS_URL: quiet }, (line) => none.push(line));
      expect(none, quiet).toEqual([]);
    }

    const admin = await signedIn(await makeMember({ role: "admin" }));
    Object.assign(process.env, settings, { WHMCS_URL: "http://billing.example.com" });
    try {
      for (const path of ["/admin/deliveries", "/admin/rewards"]) {
        const html = await (await admin.get(path)).text();
        expect(htmlToText(html), path).toContain(warning);
        expect(html, path).not.toContain(whmcs.secret);
      }
    } finally {
      for (const name of [...Object.keys(settings), "WHMCS_URL"]) delete process.env[name];
    }
  });

  it("reports WHMCS's own error, and never the API secret", async () => {
    whmcs.addClient("44");
    const event = await queueRewardEvent({ billingClientId: "44" });
    await whmcsWorker({ WHMCS_SECRET: "not-the-secret" }).runOnce();
    const row = await delivery(event.id);
    expect(row.lastError).toBe("WHMCS AddCredit failed (HTTP 403): Authentication Failed");
    expect(whmcs.balanceCents("44")).toBe(0);
  });
});

describe("the deliveries page", () => {
  it("is for admins only, and members cannot queue pings", async () => {
    const anonymous = await new Visitor(app).get("/admin/deliveries");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/login/);
    const pingsBefore = await pingCount();
    for (const role of ["member", "moderator"] as const) {
      const visitor = await signedIn(await makeMember({ role, established: true }));
      expect((await visitor.get("/admin/deliveries")).status).toBe(403);
      expect((await visitor.post("/admin/deliveries", { intent: "ping" })).status).toBe(403);
    }
    expect(await pingCount()).toBe(pingsBefore);
  });

  it("says which hook is configured, never its secret; a ping goes out signed", async () => {
    const admin = await signedIn(await makeMember({ role: "admin" }));
    const none = await admin.text(await admin.get("/admin/deliveries"));
    expect(none).toContain("No provisioning hook is configured");

    process.env.PROVISIONING_WEBHOOK_URL = receiver.url;
    process.env.PROVISIONING_WEBHOOK_SECRET = receiver.secret;
    try {
      const html = await (await admin.get("/admin/deliveries")).text();
      expect(html).toContain(`delivered by the webhook to ${receiver.url}`);
      expect(html).not.toContain(receiver.secret);
    } finally {
      delete process.env.PROVISIONING_WEBHOOK_URL;
      delete process.env.PROVISIONING_WEBHOOK_SECRET;
    }

    const pinged = await admin.post("/admin/deliveries", { intent: "ping" });
    expect(pinged.status).toBe(200);
    expect(await admin.text(pinged)).toContain("A ping is queued");
    const [ping] = await db().select().from(outboxEvents).where(and(eq(outboxEvents.topic, PROVISIONING_TOPIC), sql`${outboxEvents.payload}->>'type' = 'ping'`)).orderBy(sql`${outboxEvents.createdAt} desc`).limit(1);
    const [logged] = await db().select().from(moderationLog).where(and(eq(moderationLog.action, "delivery.ping_sent"), eq(moderationLog.targetId, ping!.id)));
    expect(logged).toBeDefined();

    await webhookWorker().runOnce();
    expect((await delivery(ping!.id)).status).toBe("delivered");
    const [request] = receiver.requestsFor(ping!.id);
    expect(request).toMatchObject({ eventType: "ping", outcome: 200, signature: { ok: true } });
    expect(JSON.parse(request!.rawBody)).toEqual({ id: ping!.id, type: "ping", created_at: expect.any(String) });

    const delivered = await admin.text(await admin.get("/admin/deliveries?status=delivered"));
    expect(delivered).toContain(`Delivery ${ping!.id}`);
    expect(delivered).not.toContain("Retry now");
  });

  it("answers bad input with a clear 4xx", async () => {
    const admin = await signedIn(await makeMember({ role: "admin" }));
    const badStatus = await admin.get("/admin/deliveries?status=lost");
    expect(badStatus.status).toBe(400);
    expect(await admin.text(badStatus)).toContain('There is no delivery status "lost"');

    const badId = await admin.post("/admin/deliveries", { intent: "retry", id: "42" });
    expect(badId.status).toBe(400);
    expect(await admin.text(badId)).toContain("Choose a delivery to retry.");
    const badIntent = await admin.post("/admin/deliveries", { intent: "delete" });
    expect(badIntent.status).toBe(400);

    const unknown = await admin.post("/admin/deliveries", { intent: "retry", id: randomUUID() });
    expect(unknown.status).toBe(404);
    expect(await admin.text(unknown)).toContain("There is no such delivery.");

    const event = await queueRewardEvent();
    await webhookWorker().runOnce();
    expect((await delivery(event.id)).status).toBe("delivered");
    const done = await admin.post("/admin/deliveries", { intent: "retry", id: event.id });
    expect(done.status).toBe(409);
    expect(await admin.text(done)).toContain("already been delivered");
    expect(await delivery(event.id)).toMatchObject({ status: "delivered", attempts: 1 });
  });
});

async function pingCount(): Promise<number> {
  const [row] = await db().select({ n: count() }).from(outboxEvents).where(and(eq(outboxEvents.topic, PROVISIONING_TOPIC), sql`${outboxEvents.payload}->>'type' = 'ping'`));
  return row!.n;
}
