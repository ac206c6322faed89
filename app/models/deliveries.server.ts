/**
 * The provisioning hook's deliveries as admins see them: every reward event and ping in the
 * outbox, what became of it, and the two things an admin can do (retry one now, send a ping).
 */
import { randomUUID } from "node:crypto";
import { and, count, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db, type Executor } from "~db/client";
import { members, outboxEvents, rewardGrants } from "~db/schema";
import { enqueue, requeueNow, wakeWorker } from "~/jobs/outbox.server";
import { provisioningSetupFromEnv, type AdapterName } from "~/jobs/provisioning/adapter.server";
import { PROVISIONING_TOPIC, type ProvisioningEvent } from "~/jobs/provisioning/events";
import { appendToLog } from "./moderation-log.server";
import { can, type Actor } from "./permissions";
import { fail, type Failure } from "./threads.server";

/** Provisioning events never expire, so these are all the states a delivery can be in. */
export const DELIVERY_STATUSES = ["pending", "delivering", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const DELIVERIES_PAGE_SIZE = 25;

export interface Delivery {
  id: string;
  type: ProvisioningEvent["type"];
  grantId: number | null;
  memberUsername: string | null;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
  createdAt: Date;
  /**
   * The delivery that must go first and has not been delivered yet (a revocation's grant), or
   * null: this one is not sent before that one is.
   */
  waitsFor: { id: string; status: DeliveryStatus } | null;
}

const isProvisioning = eq(outboxEvents.topic, PROVISIONING_TOPIC);
const prerequisite = alias(outboxEvents, "prerequisite");

/** The delivery that must go before, as joined in (both null when there is none). */
const prerequisiteColumns = { prerequisiteId: prerequisite.id, prerequisiteStatus: prerequisite.status };

function waitingFor(row: { prerequisiteId: string | null; prerequisiteStatus: string | null }): Delivery["waitsFor"] {
  if (!row.prerequisiteId || row.prerequisiteStatus === "delivered") return null;
  return { id: row.prerequisiteId, status: row.prerequisiteStatus as DeliveryStatus };
}

/** A page of deliveries, newest first, optionally of one status. */
export async function listDeliveries({ status, page }: { status?: DeliveryStatus; page: number }): Promise<{ deliveries: Delivery[]; hasMore: boolean }> {
  const rows = await db()
    .select({
      id: outboxEvents.id,
      type: sql<ProvisioningEvent["type"]>`${outboxEvents.payload}->>'type'`,
      grantId: sql<number | null>`(${outboxEvents.payload}->'grant'->>'id')::int`,
      memberUsername: sql<string | null>`${outboxEvents.payload}->'member'->>'username'`,
      status: outboxEvents.status,
      attempts: outboxEvents.attempts,
      lastError: outboxEvents.lastError,
      nextAttemptAt: outboxEvents.nextAttemptAt,
      deliveredAt: outboxEvents.deliveredAt,
      createdAt: outboxEvents.createdAt,
      ...prerequisiteColumns,
    })
    .from(outboxEvents)
    .leftJoin(prerequisite, eq(prerequisite.id, outboxEvents.afterEventId))
    .where(and(isProvisioning, status ? eq(outboxEvents.status, status) : undefined))
    .orderBy(desc(outboxEvents.createdAt), desc(outboxEvents.id))
    .limit(DELIVERIES_PAGE_SIZE + 1)
    .offset((page - 1) * DELIVERIES_PAGE_SIZE);
  const deliveries = rows.slice(0, DELIVERIES_PAGE_SIZE).map(({ prerequisiteId, prerequisiteStatus, ...row }) => ({
    ...row,
    status: row.status as DeliveryStatus,
    waitsFor: waitingFor({ prerequisiteId, prerequisiteStatus }),
  }));
  return { deliveries, hasMore: rows.length > DELIVERIES_PAGE_SIZE };
}

/** How many deliveries are in each state. */
export async function deliveryCounts(): Promise<Record<DeliveryStatus, number>> {
  const rows = await db().select({ status: outboxEvents.status, n: count() }).from(outboxEvents).where(isProvisioning).groupBy(outboxEvents.status);
  const counts = Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, 0])) as Record<DeliveryStatus, number>;
  for (const row of rows) if (row.status in counts) counts[row.status as DeliveryStatus] = row.n;
  return counts;
}

/**
 * Which adapter this server's environment configures, in words fit for the page (never a secret).
 * A worker run apart (`npm run worker`) reads its own environment, which should match.
 */
export function hookSetup(env: Record<string, string | undefined> = process.env): { adapter: AdapterName | null; summary: string; warning: string | null } {
  const setup = provisioningSetupFromEnv(env);
  return { adapter: setup.adapter?.name ?? null, summary: setup.summary, warning: setup.warning };
}

/**
 * A member's billing client id as it is now, for the adapters: a grant queued before an
 * admin entered or corrected the id is retried with the id as it is since.
 */
export async function currentBillingClientId(memberId: number): Promise<string | null> {
  const [row] = await db().select({ billingClientId: members.billingClientId }).from(members).where(eq(members.id, memberId));
  return row?.billingClientId ?? null;
}

/**
 * The billing client a delivered grant went to, for its revocation: the delivery stores the
 * event with the client it used (see billing-client.ts). Null before the grant is delivered.
 */
export async function creditedBillingClientId(grantId: number): Promise<string | null> {
  const [row] = await db()
    .select({ clientId: sql<string | null>`${outboxEvents.payload}->'member'->>'billing_client_id'` })
    .from(rewardGrants)
    .innerJoin(outboxEvents, eq(outboxEvents.id, rewardGrants.eventId))
    .where(and(eq(rewardGrants.id, grantId), eq(outboxEvents.status, "delivered")));
  return row?.clientId ?? null;
}

const ADMINS_ONLY = fail(403, "Only admins can manage deliveries.");

/**
 * Makes a pending or failed delivery due now. Attempts so far are kept. A failed delivery gets
 * one more attempt: its 3 days of retries are over, so if that attempt fails too it shows as
 * failed again with the new error, and the admin can retry once the cause is fixed.
 */
export async function retryDelivery(actor: Actor, id: string): Promise<{ ok: true } | Failure> {
  if (!can(actor, "admin:view")) return ADMINS_ONLY;
  const result = await db().transaction(async (tx): Promise<{ ok: true } | Failure> => {
    const waitsFor = await prerequisiteOf(tx, id);
    if (waitsFor) {
      return fail(409, `This delivery waits for its grant's delivery ${waitsFor.id} (${waitsFor.status}), and goes out once that one is delivered. Retry that one instead.`);
    }
    const before = await requeueNow(tx, id, PROVISIONING_TOPIC);
    if (!before) {
      const [current] = await tx.select({ status: outboxEvents.status }).from(outboxEvents).where(and(eq(outboxEvents.id, id), isProvisioning));
      if (!current) return fail(404, "There is no such delivery.");
      return fail(409, current.status === "delivered" ? "This delivery has already been delivered." : "This delivery is being attempted right now; wait for the outcome.");
    }
    const body = before.payload as ProvisioningEvent;
    await appendToLog(tx, {
      actorId: actor.id,
      action: "delivery.retried",
      targetType: "delivery",
      targetId: id,
      details: { type: body.type, grantId: "grant" in body ? body.grant.id : null, previousStatus: before.status, attempts: before.attempts },
    });
    return { ok: true };
  });
  if (result.ok) wakeWorker();
  return result;
}

/** The undelivered delivery that must go before this one, if there is one. */
async function prerequisiteOf(tx: Executor, id: string): Promise<Delivery["waitsFor"]> {
  const [row] = await tx
    .select(prerequisiteColumns)
    .from(outboxEvents)
    .innerJoin(prerequisite, eq(prerequisite.id, outboxEvents.afterEventId))
    .where(and(eq(outboxEvents.id, id), isProvisioning));
  return row ? waitingFor(row) : null;
}

/** Queues a `ping`, which tells whether the hook's receiver answers and checks signatures. */
export async function sendPing(actor: Actor): Promise<{ ok: true; id: string } | Failure> {
  if (!can(actor, "admin:view")) return ADMINS_ONLY;
  const id = randomUUID();
  const body: ProvisioningEvent = { id, type: "ping", created_at: new Date().toISOString() };
  await db().transaction(async (tx) => {
    await enqueue(tx, { id, topic: PROVISIONING_TOPIC, payload: { ...body } });
    await appendToLog(tx, { actorId: actor.id, action: "delivery.ping_sent", targetType: "delivery", targetId: id });
  });
  wakeWorker();
  return { ok: true, id };
}
