/**
 * The provisioning hook's faults with real processes on the real PostgreSQL server: outbox workers
 * started as `npm run worker` starts them and killed with SIGKILL, two built web servers
 * (build/server.js, each with its in-process worker) granting at once, and a real signed-webhook
 * receiver on 127.0.0.1 that applies each HostHelp-Delivery once. A gate in front of the receiver
 * tells which process sent each request and whether one delivery was ever in flight twice.
 *
 * PostgreSQL only: PGlite is an embedded database that one process opens, so there is nothing to
 * share between processes there.
 */
import { randomUUID } from "node:crypto";
import { and, count, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { db } from "~db/client";
import { moderationLog, outboxEvents, rewardGrants, rewardLedger } from "~db/schema";
import type { RewardEvent } from "~/jobs/provisioning/events";
import { grantReward, savePackage } from "~/models/rewards.server";
import { Visitor, type TestApp } from "../support/app";
import { makeMember, uniqueName } from "../support/factories";
import { startHookGate, type HookGate } from "../support/hook-gate";
import { startHookReceiver, type HookReceiver } from "../support/hook-receiver";
import { runsOnPostgresOnly } from "../support/postgres-only";
import { allOutput, startServerProcess, startWorkerProcess, stopAll, type RunningProcess, type ServerProcess } from "../support/processes";

let receiver: HookReceiver;
let gate: HookGate;

/** Prints every child's output when the running test fails. */
function printOutputOnFailure() {
  onTestFailed(() => console.error(`Output of the processes this file started:\n${allOutput()}`));
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting until ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms / 1000} s waiting until ${what}.`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function outboxRow(id: string) {
  const [row] = await db()
    .select({
      status: outboxEvents.status,
      attempts: outboxEvents.attempts,
      lastError: outboxEvents.lastError,
      lockedUntilMs: sql<number | null>`(extract(epoch from ${outboxEvents.lockedUntil}) * 1000)::float8`.mapWith((value) => (value === null ? null : Number(value))),
    })
    .from(outboxEvents)
    .where(eq(outboxEvents.id, id));
  return row!;
}

async function makePackage(actor: Awaited<ReturnType<typeof makeMember>>, creditAmount: string) {
  const saved = await savePackage(actor, { name: uniqueName("Pkg"), creditAmount, currency: "EUR", productCode: `CREDIT-${creditAmount}` });
  if (!saved.ok) throw new Error(saved.message);
  return { id: saved.id, creditAmount };
}

/** A worker process configured as a host would, delivering through the gate under its own name. */
function workerEnv(name: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: process.env.DATABASE_URL!,
    DATABASE_POOL_SIZE: "4",
    PROVISIONING_WEBHOOK_URL: gate.urlFor(name),
    PROVISIONING_WEBHOOK_SECRET: receiver.secret,
    OUTBOX_POLL_MS: "200",
    ...extra,
  };
}

describe.runIf(runsOnPostgresOnly("the provisioning hook's process fault tests (killed worker, two instances and two workers, 50 submissions)"))("the provisioning hook across real processes (PostgreSQL only: PGlite is opened by one process)", () => {
  beforeAll(async () => {
    receiver = await startHookReceiver();
    gate = await startHookGate(receiver);
  });
  afterAll(async () => {
    await stopAll();
    await gate?.close();
    await receiver?.close();
  });

  it("delivers an event whose worker process was killed mid-delivery once the lease lapses; the receiver applies it once", async () => {
    printOutputOnFailure();
    const admin = await makeMember({ role: "admin" });
    const moderator = await makeMember({ role: "moderator" });
    const pkg = await makePackage(admin, "25.00");
    const granted = await grantReward(admin, { idempotencyKey: randomUUID(), memberId: moderator.id, packageId: pkg.id, reason: "Kept the mail queue answered", overrideReason: "Test of a dying worker" });
    if (!granted.ok) throw new Error(granted.message);
    const [grant] = await db().select({ eventId: rewardGrants.eventId }).from(rewardGrants).where(eq(rewardGrants.id, granted.grantId));
    const eventId = grant!.eventId;

    // The receiver applies the event, and the answer never reaches the worker: it is killed first.
    // 2 s delivery limit (the kill comes within milliseconds), 14 s lease: the least the worker allows.
    const timing = { PROVISIONING_TIMEOUT_MS: "2000", OUTBOX_LEASE_SECONDS: "14" };
    const held = gate.holdAnswer(eventId);
    const first = await startWorkerProcess("worker-A", workerEnv("worker-A", timing));
    const firstRequest = await within(held, 15_000, "worker-A posts the event");
    await first.kill();
    const killedAt = Date.now();
    expect(await first.exited).toBe("SIGKILL");
    expect(first.output()).not.toMatch(/lease .* too short/);

    expect(receiver.applied.has(eventId)).toBe(true);
    const claimed = await outboxRow(eventId);
    expect(claimed).toMatchObject({ status: "delivering", attempts: 1, lastError: null });
    expect(claimed.lockedUntilMs).not.toBeNull();

    const second = await startWorkerProcess("worker-B", workerEnv("worker-B", timing));
    try {
      const row = await until("the event is delivered after the restart", 30_000, async () => {
        const current = await outboxRow(eventId);
        return current.status === "delivered" ? current : undefined;
      });
      const deliveredAt = Date.now();
      expect(row).toMatchObject({ status: "delivered", attempts: 2, lastError: null });

      const requests = gate.requestsFor(eventId);
      expect(requests.map((r) => [r.via, r.outcome, r.duplicate])).toEqual([
        ["worker-A", "held", false],
        ["worker-B", 200, true],
      ]);
      expect(requests[0]).toBe(firstRequest);
      // The new worker waited for the dead one's claim to lapse (1 s for clock rounding), not a moment more than needed.
      expect(requests[1]!.arrivedAt).toBeGreaterThanOrEqual(claimed.lockedUntilMs! - 1000);
      // Both posts carried the same delivery id and the same body, and the receiver applied it once.
      const received = receiver.requestsFor(eventId);
      expect(received).toHaveLength(2);
      expect(new Set(received.map((r) => r.deliveryId))).toEqual(new Set([eventId]));
      expect(new Set(received.map((r) => r.rawBody)).size).toBe(1);
      expect(received.every((r) => r.signature.ok)).toBe(true);
      expect([...receiver.applied.keys()].filter((id) => id === eventId)).toHaveLength(1);
      expect((receiver.applied.get(eventId) as RewardEvent).grant.id).toBe(granted.grantId);
      expect(gate.overlaps.filter((o) => o.deliveryId === eventId)).toEqual([]);

      console.log(
        `[worker killed mid-delivery] requests ${requests.length} (worker-A held, worker-B 200 duplicate), attempts ${row.attempts}, ` +
          `lease lapsed ${((claimed.lockedUntilMs! - killedAt) / 1000).toFixed(1)} s after the kill, delivered ${((deliveredAt - killedAt) / 1000).toFixed(1)} s after it`,
      );
    } finally {
      await second.stop();
    }
    expect(await second.exited).toBe(0);
  });

  describe("two app instances and two worker processes on one database", () => {
    let servers: ServerProcess[] = [];
    let workers: RunningProcess[] = [];
    let admins: Visitor[] = [];

    beforeAll(async () => {
      const serverEnv = (name: string) => ({ ...workerEnv(name), DATABASE_POOL_SIZE: "8" });
      const started = await Promise.all([
        startServerProcess("server-1", serverEnv("server-1")),
        startServerProcess("server-2", serverEnv("server-2")),
        startWorkerProcess("worker-1", workerEnv("worker-1")),
        startWorkerProcess("worker-2", workerEnv("worker-2")),
      ]);
      servers = started.slice(0, 2) as ServerProcess[];
      workers = started.slice(2);
      // One admin, signed in on each instance (the servers trust no proxy: one sign-in each from 127.0.0.1).
      const admin = await makeMember({ role: "admin" });
      admins = await Promise.all(
        servers.map(async (server) => {
          const visitor = new Visitor({ origin: server.origin, close: async () => {} } satisfies TestApp);
          const response = await visitor.post("/login", { login: admin.username, password: admin.password });
          if (response.status !== 302) throw new Error(`Signing in on ${server.name} answered ${response.status}: ${await visitor.text(response)}`);
          return visitor;
        }),
      );
    });
    afterAll(async () => {
      const codes = await Promise.all([...servers, ...workers].map(async (proc) => [proc.name, await proc.stop()] as const));
      const unclean = codes.filter(([, code]) => code !== 0);
      if (unclean.length > 0) console.error(`Processes that did not exit cleanly on SIGTERM: ${JSON.stringify(unclean)}\n${allOutput()}`);
    });

    it("makes 200 grants through both instances while four workers deliver: every event delivered once, never twice at a time; the ledger equals the grants", async () => {
      printOutputOnFailure();
      const startedAt = Date.now();
      const owner = await makeMember({ role: "admin" });
      const amounts = ["0.01", "0.10", "1.00", "2.50", "9.99", "10.00", "12.34", "33.33", "99.99", "250.00"];
      const [moderators, packages] = await Promise.all([
        Promise.all(Array.from({ length: 20 }, () => makeMember({ role: "moderator" }))),
        Promise.all(amounts.map((amount) => makePackage(owner, amount))),
      ]);
      // Package by package, so that grants in flight together mostly go to different moderators.
      const forms = packages.flatMap((pkg) =>
        moderators.map((moderator) => ({
          idempotencyKey: randomUUID(),
          memberId: String(moderator.id),
          packageId: String(pkg.id),
          reason: `Answers in the queue, ${pkg.creditAmount} EUR`,
          // None of them has accepted answers yet: every grant is an override.
          overrideReason: "Load test of the reward program",
        })),
      );
      expect(forms).toHaveLength(200);

      const outcomes: Array<{ status: number; location: string | null; body?: string }> = new Array(forms.length);
      let next = 0;
      const grantStart = Date.now();
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let index = next++; index < forms.length; index = next++) {
            const admin = admins[index % 2]!;
            const response = await admin.post("/admin/rewards/grant", forms[index]!);
            outcomes[index] = { status: response.status, location: response.headers.get("location"), ...(response.status === 302 ? {} : { body: (await admin.text(response)).slice(0, 300) }) };
          }
        }),
      );
      const grantSeconds = (Date.now() - grantStart) / 1000;
      expect(outcomes.filter((o) => o.status !== 302)).toEqual([]);
      const grantIds = outcomes.map((o) => Number(/^\/admin\/rewards\/grants\/(\d+)\?notice=reward-granted$/.exec(o.location ?? "")?.[1]));
      expect(grantIds.every(Number.isInteger)).toBe(true);
      expect(new Set(grantIds).size).toBe(200);

      const grants = await db()
        .select({ id: rewardGrants.id, eventId: rewardGrants.eventId, memberId: rewardGrants.memberId, creditAmount: rewardGrants.creditAmount })
        .from(rewardGrants)
        .where(inArray(rewardGrants.memberId, moderators.map((m) => m.id)));
      expect(grants.map((g) => g.id).sort((a, b) => a - b)).toEqual([...grantIds].sort((a, b) => a - b));
      const eventIds = grants.map((g) => g.eventId);

      const waitStart = Date.now();
      await until("all 200 events are delivered", 45_000, async () => {
        const [row] = await db().select({ n: count() }).from(outboxEvents).where(and(inArray(outboxEvents.id, eventIds), eq(outboxEvents.status, "delivered")));
        return row!.n === 200;
      });
      const waitSeconds = (Date.now() - waitStart) / 1000;

      // The ledger: one entry per grant, and the totals agree to the cent (numeric sums, compared as text).
      const expectedCents = 20 * amounts.reduce((sum, amount) => sum + Math.round(Number(amount) * 100), 0);
      const expectedTotal = `${Math.floor(expectedCents / 100)}.${String(expectedCents % 100).padStart(2, "0")}`;
      const [ledger] = await db()
        .select({ entries: count(), total: sql<string>`sum(${rewardLedger.amount})::text`, kinds: sql<string>`string_agg(distinct ${rewardLedger.kind}, ',')` })
        .from(rewardLedger)
        .where(inArray(rewardLedger.grantId, grantIds));
      const [granted] = await db().select({ total: sql<string>`sum(${rewardGrants.creditAmount})::text` }).from(rewardGrants).where(inArray(rewardGrants.id, grantIds));
      expect(ledger).toEqual({ entries: 200, total: expectedTotal, kinds: "grant" });
      expect(granted!.total).toBe(expectedTotal);

      // Every event delivered on its first attempt, by one request: nothing was sent, let alone applied, twice.
      const rows = await db().select({ id: outboxEvents.id, status: outboxEvents.status, attempts: outboxEvents.attempts }).from(outboxEvents).where(inArray(outboxEvents.id, eventIds));
      expect(rows.filter((row) => row.status !== "delivered" || row.attempts !== 1)).toEqual([]);
      const mine = new Set(eventIds);
      const requests = gate.requests.filter((r) => r.deliveryId && mine.has(r.deliveryId));
      expect(requests).toHaveLength(200);
      expect(new Set(requests.map((r) => r.deliveryId)).size).toBe(200);
      expect(requests.filter((r) => r.outcome !== 200 || r.duplicate)).toEqual([]);
      expect(gate.overlaps.filter((o) => mine.has(o.deliveryId))).toEqual([]);
      expect(receiver.requests.filter((r) => r.deliveryId && mine.has(r.deliveryId) && !r.signature.ok)).toEqual([]);

      // The receiver applied each of the 200 once, and each names its grant.
      const applied = [...receiver.applied].filter(([id]) => mine.has(id));
      expect(applied).toHaveLength(200);
      const grantByEvent = new Map(grants.map((g) => [g.eventId, g]));
      for (const [id, event] of applied) {
        const body = event as RewardEvent;
        const grant = grantByEvent.get(id)!;
        expect({ type: body.type, grant: body.grant.id, member: body.member.id, amount: body.grant.package.credit_amount }).toEqual({
          type: "reward.granted",
          grant: grant.id,
          member: grant.memberId,
          amount: grant.creditAmount,
        });
      }

      const byProcess: Record<string, number> = {};
      for (const request of requests) byProcess[request.via] = (byProcess[request.via] ?? 0) + 1;
      // Which process delivers is up to the race for rows; at least two of the four took part.
      expect(Object.keys(byProcess).length).toBeGreaterThanOrEqual(2);
      console.log(
        `[200 grants, 2 instances + 2 workers] grants made in ${grantSeconds.toFixed(1)} s (16 in flight), all delivered ${waitSeconds.toFixed(1)} s later; ` +
          `ledger ${ledger!.entries} entries = ${ledger!.total} EUR; requests ${requests.length}, overlaps 0; delivered by ${JSON.stringify(byProcess)}; ${((Date.now() - startedAt) / 1000).toFixed(1)} s in all`,
      );
    });

    it("turns 50 concurrent submissions of one grant form, across both instances, into one grant, one ledger entry and one event", async () => {
      printOutputOnFailure();
      const owner = await makeMember({ role: "admin" });
      const moderator = await makeMember({ role: "moderator" });
      const pkg = await makePackage(owner, "15.00");

      const page = await admins[0]!.get(`/admin/rewards/grant?member=${moderator.username}`);
      expect(page.status).toBe(200);
      const key = /name="idempotencyKey" value="([0-9a-f-]{36})"/.exec(await page.text())?.[1];
      expect(key).toBeDefined();
      const form = { idempotencyKey: key!, memberId: String(moderator.id), packageId: String(pkg.id), reason: "Fifty clicks on one form", overrideReason: "Has no accepted answers yet" };

      const responses = await Promise.all(Array.from({ length: 50 }, (_, index) => admins[index % 2]!.post("/admin/rewards/grant", form)));
      expect(responses.map((r) => r.status)).toEqual(Array.from({ length: 50 }, () => 302));
      const locations = responses.map((r) => r.headers.get("location")!);
      const paths = new Set(locations.map((location) => location.replace(/\?.*/, "")));
      expect(paths.size).toBe(1);
      const grantId = Number(/^\/admin\/rewards\/grants\/(\d+)$/.exec([...paths][0]!)?.[1]);
      expect(locations.filter((l) => l.endsWith("notice=reward-granted"))).toHaveLength(1);
      expect(locations.filter((l) => l.endsWith("notice=reward-already-granted"))).toHaveLength(49);

      const grants = await db().select().from(rewardGrants).where(eq(rewardGrants.memberId, moderator.id));
      expect(grants.map((g) => [g.id, g.idempotencyKey])).toEqual([[grantId, key]]);
      const ledger = await db().select({ amount: rewardLedger.amount, kind: rewardLedger.kind }).from(rewardLedger).where(eq(rewardLedger.memberId, moderator.id));
      expect(ledger).toEqual([{ amount: "15.00", kind: "grant" }]);
      const events = await db()
        .select({ id: outboxEvents.id })
        .from(outboxEvents)
        .where(sql`${outboxEvents.payload}->'member'->>'id' = ${String(moderator.id)}`);
      expect(events.map((e) => e.id)).toEqual([grants[0]!.eventId]);
      const [logged] = await db()
        .select({ n: count() })
        .from(moderationLog)
        .where(and(eq(moderationLog.action, "reward.granted"), eq(moderationLog.targetId, String(moderator.id))));
      expect(logged!.n).toBe(1);

      // And the one event goes out once.
      const eventId = grants[0]!.eventId;
      await until("the grant's event is delivered", 20_000, async () => (await outboxRow(eventId)).status === "delivered");
      expect(gate.requestsFor(eventId).map((r) => r.outcome)).toEqual([200]);
      expect((receiver.applied.get(eventId) as RewardEvent).grant.id).toBe(grantId);
      console.log(`[50 submissions of one form] 50 × 302 to /admin/rewards/grants/${grantId} (1 granted, 49 already granted); 1 grant, 1 ledger entry, 1 event, 1 delivery`);
    });
  });
});
