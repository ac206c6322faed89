import { and, eq, exists, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db, type Executor } from "~db/client";
import { qualified } from "~db/rows";
import { outboxEvents, type OutboxStatus } from "~db/schema";
import { GIVE_UP_AFTER_SECONDS, retryDelaySeconds } from "./backoff";

export type OutboxEvent = typeof outboxEvents.$inferSelect;

export interface NewEvent {
  /** Chosen by the caller when the payload must carry its own delivery id; random otherwise. */
  id?: string;
  topic: string;
  payload: Record<string, unknown>;
  /** After this the event is dropped instead of delivered. */
  expiresAt?: Date;
  /** An event that must be delivered before this one is sent. */
  afterEventId?: string;
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
    .values(
      events.map((event) => ({
        ...(event.id ? { id: event.id } : {}),
        topic: event.topic,
        payload: event.payload,
        expiresAt: event.expiresAt ?? null,
        afterEventId: event.afterEventId ?? null,
      })),
    )
    .returning({ id: outboxEvents.id });
  // Enough on the embedded database, whose one connection runs the worker's claim after the
  // commit. On a server the claim may run first and miss the row; callers whose events should
  // leave at once wake the worker again after their commit, and the poll catches the rest.
  wakeWorker();
  return rows.map((row) => row.id);
}

// The in-process worker registers here so that a new event is delivered at once, not at the next poll.
let wake: (() => void) | undefined;
export function onEnqueue(listener: (() => void) | undefined): void {
  wake = listener;
}
/** Asks the in-process worker for a pass now; after a commit that made an event due, say. */
export function wakeWorker(): void {
  if (wake) queueMicrotask(wake);
}

/**
 * How long a claim lasts: a worker that dies mid-delivery gives the event back after this. It
 * must stay well above the longest delivery, or a slow delivery would be claimed a second time.
 */
export const CLAIM_LEASE_SECONDS = 60;

const prerequisite = alias(outboxEvents, "prerequisite");

/** The event names no event to wait for, or the one it names has been delivered. */
const prerequisiteDelivered = () =>
  or(
    isNull(outboxEvents.afterEventId),
    exists(
      db()
        .select({ one: sql`1` })
        .from(prerequisite)
        .where(and(eq(prerequisite.id, qualified(outboxEvents, outboxEvents.afterEventId)), eq(prerequisite.status, "delivered"))),
    ),
  );

const isDue = () =>
  and(
    inArray(outboxEvents.status, ["pending", "delivering"]),
    lte(outboxEvents.nextAttemptAt, sql`now()`),
    or(isNull(outboxEvents.lockedUntil), lte(outboxEvents.lockedUntil, sql`now()`)),
    prerequisiteDelivered(),
  );

/**
 * Claims up to `limit` due events of the given topics for delivery. Rows another worker holds
 * are skipped, not waited for, so several workers on one database share the work. An event that
 * names another to follow is left until that one is delivered. Each claim counts an attempt,
 * and that count is the claim's token: only the worker holding the latest claim records an outcome.
 */
export async function claimDue(topics: string[], limit = 10, leaseSeconds = CLAIM_LEASE_SECONDS): Promise<OutboxEvent[]> {
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
        firstAttemptAt: sql`coalesce(${outboxEvents.firstAttemptAt}, now())`,
        lockedUntil: sql`now() + make_interval(secs => ${leaseSeconds})`,
      })
      .where(inArray(outboxEvents.id, due.map((row) => row.id)))
      .returning();
  });
}

/**
 * The claim `event` was delivered under is still the latest: a worker whose lease lapsed (a long
 * pause, a slow database) must not overwrite the outcome of the worker that claimed it next.
 */
const stillClaimedAs = (event: OutboxEvent) => and(eq(outboxEvents.id, event.id), eq(outboxEvents.status, "delivering"), eq(outboxEvents.attempts, event.attempts));

/** Records a delivery; false when the claim was no longer this worker's, and nothing changed. */
export async function markDelivered(event: OutboxEvent, payload?: Record<string, unknown>): Promise<boolean> {
  const recorded = await db()
    .update(outboxEvents)
    .set({
      status: "delivered",
      deliveredAt: sql`now()`,
      lockedUntil: null,
      lastError: null,
      ...(payload ? { payload } : {}),
    })
    .where(stillClaimedAs(event))
    .returning({ id: outboxEvents.id });
  return recorded.length > 0;
}

/**
 * Schedules the next try with backoff, or marks the event failed once 3 days have passed since
 * its first attempt. The last retry is moved to the end of the window rather than past it, so
 * an event is tried until its 3 days are up. False when the claim was no longer this worker's.
 */
export async function markAttemptFailed(event: OutboxEvent, error: string): Promise<boolean> {
  const windowEnds = sql`${outboxEvents.firstAttemptAt} + make_interval(secs => ${GIVE_UP_AFTER_SECONDS})`;
  const backoffEnds = sql`now() + make_interval(secs => ${retryDelaySeconds(event.attempts)})`;
  const recorded = await db()
    .update(outboxEvents)
    .set({
      status: sql`case when ${windowEnds} <= now() then 'failed' else 'pending' end`,
      nextAttemptAt: sql`least(${backoffEnds}, ${windowEnds})`,
      lockedUntil: null,
      lastError: error.slice(0, 2000),
    })
    .where(stillClaimedAs(event))
    .returning({ id: outboxEvents.id });
  return recorded.length > 0;
}

/**
 * Makes a waiting or failed event due now, keeping its attempts. A failed event gets one more
 * attempt: its 3 days are over, so if that attempt fails too it goes back to failed. Returns
 * the event as it was before, or nothing when it is not in one of `from` (being delivered,
 * already delivered, or unknown). Call wakeWorker() once the transaction has committed.
 */
export async function requeueNow(tx: Executor, id: string, topic: string, from: OutboxStatus[] = ["pending", "failed"]): Promise<OutboxEvent | undefined> {
  const [before] = await tx
    .select()
    .from(outboxEvents)
    .where(and(eq(outboxEvents.id, id), eq(outboxEvents.topic, topic), inArray(outboxEvents.status, from)))
    .for("update");
  if (!before) return undefined;
  await tx.update(outboxEvents).set({ status: "pending", nextAttemptAt: sql`now()`, lockedUntil: null }).where(eq(outboxEvents.id, id));
  return before;
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
