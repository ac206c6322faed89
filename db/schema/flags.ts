import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { members } from "./members";
import { posts } from "./threads";

export const FLAG_REASONS = ["spam", "off_topic", "abusive", "other"] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];
export const FLAG_STATUSES = ["pending", "agreed", "disagreed", "ignored"] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

/** A member's report of a post; moderators resolve all of a post's pending flags at once. */
export const flags = pgTable(
  "flags",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    postId: integer("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    flaggerId: integer("flagger_id")
      .notNull()
      .references(() => members.id),
    reason: text("reason", { enum: FLAG_REASONS }).notNull(),
    note: text("note"),
    status: text("status", { enum: FLAG_STATUSES }).notNull().default("pending"),
    resolvedById: integer("resolved_by_id").references(() => members.id),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One flag per member per post.
    uniqueIndex("flags_post_flagger_key").on(t.postId, t.flaggerId),
    index("flags_pending_idx").on(t.createdAt).where(sql`${t.status} = 'pending'`),
    index("flags_flagger_idx").on(t.flaggerId, t.createdAt),
    check("flags_reason_check", sql`${t.reason} in ('spam', 'off_topic', 'abusive', 'other')`),
    check("flags_status_check", sql`${t.status} in ('pending', 'agreed', 'disagreed', 'ignored')`),
    check("flags_note_length", sql`char_length(coalesce(${t.note}, '')) <= 500`),
  ],
);
