import { and, eq, sql } from "drizzle-orm";
import { db } from "~db/client";
import { members, moderationLog, posts, type Role } from "~db/schema";
import { acceptAnswer } from "~/models/answers.server";
import { createMember } from "~/models/members.server";
import type { Actor } from "~/models/permissions";
import { createReply, createThread, type NewThread } from "~/models/threads.server";

let sequence = 0;

/** A name no other test in this run uses (tests share the PostgreSQL database). */
export function uniqueName(prefix = "user"): string {
  sequence += 1;
  return `${prefix}_${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}${sequence}`.slice(0, 24);
}

export const GOOD_PASSWORD = "violet staple gravity 42";

/**
 * A member. `established` makes them past the new-account stage (two days old, three posts),
 * as trust levels see it.
 */
export async function makeMember(options: { role?: Role; password?: string; username?: string; established?: boolean } = {}) {
  const username = options.username ?? uniqueName();
  const email = `${username}@example.test`;
  const password = options.password ?? GOOD_PASSWORD;
  const created = await createMember({ username, email, password, role: options.role ?? "member" });
  if (!created.ok) throw new Error(created.message);
  let member = created.member;
  if (options.established) {
    const [updated] = await db()
      .update(members)
      .set({ createdAt: sql`now() - interval '2 days'`, postCount: 3 })
      .where(eq(members.id, member.id))
      .returning({ createdAt: members.createdAt, postCount: members.postCount });
    member = { ...member, ...updated! };
  }
  return { ...member, email, password };
}

export async function roleOf(memberId: number): Promise<Role | undefined> {
  const [row] = await db().select({ role: members.role }).from(members).where(eq(members.id, memberId));
  return row?.role;
}

export async function makeThread(author: Actor, overrides: Partial<NewThread> = {}) {
  const result = await createThread(author, {
    title: overrides.title ?? `Website shows a 500 error ${uniqueName("t")}`,
    body: overrides.body ?? "Since this morning the site shows **Internal Server Error**. What should I check first?",
    categorySlug: overrides.categorySlug ?? "cpanel",
    urgent: overrides.urgent ?? false,
  });
  if (!result.ok) throw new Error(result.message);
  return result.thread;
}

export async function makeReply(author: Actor, threadId: number, body = "Check the error_log file in public_html: it names the failing line.") {
  const result = await createReply(author, threadId, body);
  if (!result.ok) throw new Error(result.message);
  const [post] = await db().select({ id: posts.id }).from(posts).where(and(eq(posts.threadId, threadId), eq(posts.postNumber, result.postNumber)));
  return { id: post!.id, postNumber: result.postNumber };
}

/**
 * A moderator whose answers were accepted `accepted` times by another member (10 qualifies),
 * with those answers (thread and post ids) for tests that hide or age some of them.
 */
export async function makeTrustedModerator(accepted = 10) {
  const moderator = await makeMember({ role: "moderator" });
  const asker = await makeMember({ established: true });
  const answers: Array<{ threadId: number; postId: number }> = [];
  for (let i = 0; i < accepted; i += 1) {
    const thread = await makeThread(asker);
    const reply = await makeReply(moderator, thread.id);
    const outcome = await acceptAnswer(asker, thread.id, reply.id);
    if (!outcome.ok) throw new Error(outcome.message);
    answers.push({ threadId: thread.id, postId: reply.id });
  }
  return { ...moderator, answers };
}

/** The moderation log's entries about one target, oldest first. */
export async function logFor(targetType: string, targetId: number) {
  return db().select().from(moderationLog).where(and(eq(moderationLog.targetType, targetType), eq(moderationLog.targetId, String(targetId)))).orderBy(moderationLog.id);
}
