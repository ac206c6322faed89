import { bigint, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { members } from "./members";

/**
 * Append-only record of every moderation and administration action.
 * A trigger (see the migrations) refuses UPDATE and DELETE.
 */
export const moderationLog = pgTable(
  "moderation_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    actorId: integer("actor_id").references(() => members.id),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    reason: text("reason"),
    details: jsonb("details"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("moderation_log_created_idx").on(t.createdAt),
    index("moderation_log_actor_idx").on(t.actorId, t.createdAt),
    index("moderation_log_target_idx").on(t.targetType, t.targetId),
  ],
);
