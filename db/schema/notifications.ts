import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { members } from "./members";
import { rewardGrants } from "./rewards";
import { posts, threads } from "./threads";

export const NOTIFICATION_KINDS = ["reply_on_your_thread", "reply_in_watched_thread", "answer_accepted", "post_hidden", "reward_granted", "target_breached"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const notifications = pgTable(
  "notifications",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    threadId: integer("thread_id").references(() => threads.id, { onDelete: "cascade" }),
    postId: integer("post_id").references(() => posts.id, { onDelete: "cascade" }),
    grantId: integer("grant_id").references(() => rewardGrants.id),
    actorId: integer("actor_id").references(() => members.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp("read_at", { withTimezone: true }),
  },
  (t) => [
    index("notifications_member_idx").on(t.memberId, t.createdAt.desc().nullsFirst()),
    index("notifications_unread_idx").on(t.memberId).where(sql`${t.readAt} is null`),
    check("notifications_kind_check", sql`${t.kind} in ('reply_on_your_thread', 'reply_in_watched_thread', 'answer_accepted', 'post_hidden', 'reward_granted', 'target_breached')`),
  ],
);
