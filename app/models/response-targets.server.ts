/**
 * First-response targets (DESIGN.md): an hour for an urgent thread, a day for any other. What
 * "past target" means for the moderator home and the dashboard, and the notice moderators get
 * when a thread passes its target with no answer.
 */
import { and, asc, eq, inArray, isNull, lte, ne, or, sql } from "drizzle-orm";
import { db } from "~db/client";
import { categories, members, threads } from "~db/schema";
import { FIRST_RESPONSE_TARGET_SECONDS } from "./forum-rules";
import { notifyTargetBreached } from "./notifications.server";

/** Each thread's target in seconds, as SQL. */
export const targetSeconds = sql`(case when ${threads.urgent} then ${sql.raw(String(FIRST_RESPONSE_TARGET_SECONDS.urgent))} else ${sql.raw(String(FIRST_RESPONSE_TARGET_SECONDS.normal))} end)`;

/**
 * Threads that ask something. Those in staff-only categories (announcements) tell rather than
 * ask: nobody needs to answer them, so no target applies.
 */
export const isQuestion = sql`${threads.categoryId} not in (select ${categories.id} from ${categories} where ${categories.staffOnly})`;

/** Questions still waiting for a first response, visible to members. */
export const waiting = and(isNull(threads.firstResponseAt), isNull(threads.hiddenAt), isQuestion);

/** Waiting threads whose target passed before now. */
export const waitingPastTarget = and(waiting, sql`${threads.createdAt} < now() - make_interval(secs => ${targetSeconds})`);

/**
 * How late a breach may still be announced. A thread that passed its target longer ago than
 * this (the worker was down, or the forum was just installed with old threads) is left to the
 * unanswered queue rather than told to every moderator at once.
 */
export const BREACH_NOTICE_WINDOW_SECONDS = 24 * 60 * 60;

/** Threads whose target passed within the notice window, spelled out per kind so the index of waiting threads serves it. */
function breachedWithinWindow() {
  const passedWithinWindow = (urgent: boolean, target: number) =>
    and(
      eq(threads.urgent, urgent),
      sql`${threads.createdAt} <= now() - make_interval(secs => ${target})`,
      sql`${threads.createdAt} > now() - make_interval(secs => ${target + BREACH_NOTICE_WINDOW_SECONDS})`,
    );
  return or(passedWithinWindow(true, FIRST_RESPONSE_TARGET_SECONDS.urgent), passedWithinWindow(false, FIRST_RESPONSE_TARGET_SECONDS.normal));
}

/**
 * Tells moderators and admins (not suspended) about each thread that has just passed its target
 * unanswered, once per thread, in the app and by email. Several workers may run this at once:
 * a thread is claimed with its row lock and marked in the same transaction. Returns how many
 * threads were announced.
 */
export async function announceBreachedTargets(limit = 50): Promise<number> {
  return db().transaction(async (tx) => {
    const due = await tx
      .select({ id: threads.id, title: threads.title, slug: threads.slug, urgent: threads.urgent, authorId: threads.authorId, authorName: members.username })
      .from(threads)
      .innerJoin(members, eq(members.id, threads.authorId))
      .where(and(waiting, isNull(threads.breachAnnouncedAt), breachedWithinWindow()))
      .orderBy(asc(threads.createdAt))
      .limit(limit)
      .for("update", { of: threads, skipLocked: true });
    if (due.length === 0) return 0;
    await tx
      .update(threads)
      .set({ breachAnnouncedAt: sql`now()` })
      .where(inArray(threads.id, due.map((thread) => thread.id)));
    const staff = await tx
      .select({ id: members.id })
      .from(members)
      .where(and(ne(members.role, "member"), or(isNull(members.suspendedUntil), lte(members.suspendedUntil, sql`now()`))));
    for (const thread of due) {
      const recipients = staff.map((member) => member.id).filter((id) => id !== thread.authorId);
      await notifyTargetBreached(tx, recipients, thread);
    }
    return due.length;
  });
}
