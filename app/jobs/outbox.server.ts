import { and, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { db, type Executor } from "~db/client";
import { outboxEvents } from "~db/schema";
import { GIVE_UP_AFTER_SECONDS, retryDelaySeconds } from "./backoff";

export type OutboxEvent = typeof outboxEvents.$inferSelect;

export interface NewEvent {
  topic: string;
  payload: Record<string, unknown>;
  /** After this the event is dropped instead of delivered. */
  expiresAt?: Date;
}

/** Adds an event; pass the transaction of the change it announces, so both commit or neither. */
export async function enqueue(tx: Executor, event: NewEvent): Promise<string> {
  const [id] = await enqueueMany(tx, [event]);
  return id!;
}

/** Adds several events in one statement. */
export async function enqueueMany(tx: Executor, events: NewEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  const rows = await tx
    .insert(outboxEvents)
    .values(events.map((event) => ({ topic: event.topic, payload: event.payload, expiresAt: event.expiresAt ?? null })))
    .returning({ id: outboxEvents.id });
  wakeWorker();
  return rows.map((row) => row.id);
}

// The in-process worker registers here so that a new event is delivered at once, not at the next poll.
let wake: (() => void) | undefined;
export function onEnqueue(listener: (() => void) | undefined): void {
  wake = listener;
}
function wakeWorker(): void {
  if (wake) queueMicrotask(wake);
}

/** How long a claim lasts: a worker that dies mid-delivery gives the event back after this. */
export const CLAIM_LEASE_SECONDS = 60;

const isDue = () =>
  and(
    inArray(outboxEvents.status, ["pending", "delivering"]),
    lte(outboxEvents.nextAttemptAt, sql`now()`),
    or(isNull(outboxEvents.lockedUntil), lte(outboxEvents.lockedUntil, sql`now()`)),
  );

/**
 * Claims up to `limit` due events of the given topics for delivery. Rows another worker holds
 * are skipped, not waited for, so several workers on one database share the work.
 */
export async function claimDue(topics: string[], limit = 10): Promise<OutboxEvent[]> {
  if (topics.length === 0) return [];
  return db().transaction(async (tx) => {
    const due = await tx
      .select({ id: outboxEvents.id })
      .from(outboxEvents)
      .where(and(isDue(), inArray(outboxEvents.topic, topics)))
      .orderBy(outboxEvents.nextAttemptAt)
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(outboxEvents)
      .set({
        status: "delivering",
        attempts: sql`${outboxEvents.attempts} + 1`,
        lockedUntil: sql`now() + make_interval(secs => ${CLAIM_LEASE_SECONDS})`,
      })
      .where(inArray(outboxEvents.id, due.map((row) => row.id)))
      .returning();
  });
}

export async function markDelivered(event: OutboxEvent, payload?: Record<string, unknown>): Promise<void> {
  await db()
    .update(outboxEvents)
    .set({
      status: "delivered",
      deliveredAt: sql`now()`,
      lockedUntil: null,
      lastError: null,
      ...(payload ? { payload } : {}),
    })
    .where(and(eq(outboxEvents.id, event.id), eq(outboxEvents.status, "delivering")));
}

/** Schedules the next try with backoff, or marks the event failed once it is 3 days old. */
export async function markAttemptFailed(event: OutboxEvent, error: string): Promise<void> {
  const delay = retryDelaySeconds(event.attempts);
  await db()
    .update(outboxEvents)
    .set({
      status: sql`case when ${outboxEvents.createdAt} + make_interval(secs => ${GIVE_UP_AFTER_SECONDS}) <= now() + make_interval(secs => ${delay}) then 'failed' else 'pending' end`,
      nextAttemptAt: sql`now() + make_interval(secs => ${delay})`,
      lockedUntil: null,
      lastError: error.slice(0, 2000),
    })
    .where(and(eq(outboxEvents.id, event.id), eq(outboxEvents.status, "delivering")));
}

/** Drops events whose content is useless once late (such as one-hour password reset links). */
export async function expireStale(): Promise<number> {
  const expired = await db()
    .update(outboxEvents)
    .set({ status: "expired", lockedUntil: null })
    .where(and(eq(outboxEvents.status, "pending"), lte(outboxEvents.expiresAt, sql`now()`)))
    .returning({ id: outboxEvents.id });
  return expired.length;
}

/**
 * Events of a topic nobody can deliver yet (no transport configured) that have not been
 * announced; marks them announced so each is reported once. They stay pending.
 */
export async function takeUnannounced(topic: string, limit = 50): Promise<OutboxEvent[]> {
  return db().transaction(async (tx) => {
    const rows = await tx
      .select({ id: outboxEvents.id })
      .from(outboxEvents)
      .where(and(eq(outboxEvents.topic, topic), eq(outboxEvents.status, "pending"), isNull(outboxEvents.loggedAt)))
      .orderBy(outboxEvents.createdAt)
      .limit(limit)
      .for("update", { skipLocked: true });
    if (rows.length === 0) return [];
    return tx
      .update(outboxEvents)
      .set({ loggedAt: sql`now()` })
      .where(inArray(outboxEvents.id, rows.map((row) => row.id)))
      .returning();
  });
}
