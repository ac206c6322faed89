import { sql } from "drizzle-orm";
import { type AnyPgColumn, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const OUTBOX_STATUSES = ["pending", "delivering", "delivered", "failed", "expired"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * The transactional outbox: a row is written in the same transaction as the change it announces,
 * and a worker delivers it afterwards. The id doubles as the delivery id receivers deduplicate on.
 */
export const outboxEvents = pgTable(
  "outbox_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    topic: text("topic").notNull(),
    payload: jsonb("payload").notNull(),
    status: text("status", { enum: OUTBOX_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    // When the first attempt was claimed: the retry window counts from here, not from queueing,
    // so events that waited for a transport to be configured still get their full window.
    firstAttemptAt: timestamp("first_attempt_at", { withTimezone: true }),
    // The event that must be delivered before this one is sent (a revocation names its grant's
    // event): a receiver never hears of a revocation before the grant it takes back.
    afterEventId: uuid("after_event_id").references((): AnyPgColumn => outboxEvents.id),
    // A claim is a lease: a worker that dies mid-delivery loses it when this passes.
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastError: text("last_error"),
    // Set when there is no transport and the event was announced in the server log instead.
    loggedAt: timestamp("logged_at", { withTimezone: true }),
    // Messages that are useless late (a one-hour reset link) are dropped rather than sent.
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    check(
      "outbox_events_status_check",
      sql`${t.status} in ('pending', 'delivering', 'delivered', 'failed', 'expired')`,
    ),
    index("outbox_events_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'delivering')`),
    index("outbox_events_topic_created_idx").on(t.topic, t.createdAt),
  ],
);
