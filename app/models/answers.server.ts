/**
 * Accepted answers: accepting, changing and withdrawing them (each recorded), and the figures
 * counted from them. A self-accept (the answer's author asked the question, or accepted it
 * themselves) is recorded like any other but never counted.
 */
import { and, count, desc, eq, gt, isNotNull, isNull, not, sql, type SQLWrapper } from "drizzle-orm";
import { db, type Executor, preparedStatement } from "~db/client";
import { answerAccepts, members, posts, threads } from "~db/schema";
import { appendToLog } from "./moderation-log.server";
import { notifyAccepted } from "./notifications.server";
import { can, canSee, isSuspended, SUSPENDED_MESSAGE, type Actor } from "./permissions";
import { threadPath } from "~/lib/paths";
import { fail, refreshSearchDocument, type Failure } from "./threads.server";


type Outcome = { ok: true; path: string } | Failure;

type Thread = typeof threads.$inferSelect;

async function lockThread(tx: Executor, actor: Actor, threadId: number): Promise<{ thread: Thread; failure?: undefined } | { failure: Failure }> {
  const [thread] = await tx.select().from(threads).where(eq(threads.id, threadId)).for("update");
  if (!thread || !canSee(actor, thread)) return { failure: fail(404, "This thread does not exist or was removed.") };
  if (thread.mergedIntoId) return { failure: fail(409, "This thread was merged into another one: its answers are there now.") };
  if (isSuspended(actor)) return { failure: fail(403, SUSPENDED_MESSAGE) };
  if (!can(actor, "answer:accept", { thread })) {
    return {
      failure: fail(403, thread.authorId === actor.id ? "This thread is closed, so its accepted answer can no longer change." : "Only the person who asked, or a moderator, can accept an answer."),
    } as const;
  }
  return { thread } as const;
}

export async function acceptAnswer(actor: Actor, threadId: number, postId: number): Promise<Outcome> {
  return refreshLeaderboardsAfter(await db().transaction(async (tx): Promise<Outcome> => {
    const locked = await lockThread(tx, actor, threadId);
    if (locked.failure) return locked.failure;
    const { thread } = locked;
    const [post] = await tx.select().from(posts).where(eq(posts.id, postId));
    if (!post || post.threadId !== threadId) return fail(400, "That answer is not in this thread.");
    if (post.postNumber === 1) return fail(400, "The question itself cannot be its accepted answer.");
    if (post.hiddenAt) return fail(409, "A hidden post cannot be the accepted answer.");
    if (thread.acceptedPostId === postId) return { ok: true as const, path: threadPath(thread, post.postNumber) };

    if (thread.acceptedPostId) {
      await tx.insert(answerAccepts).values({ threadId, postId: thread.acceptedPostId, action: "unaccept", actorId: actor.id, isSelfAccept: thread.acceptedIsSelf });
    }
    const isSelfAccept = post.authorId === thread.authorId || post.authorId === actor.id;
    await tx
      .update(threads)
      .set({ acceptedPostId: postId, acceptedAuthorId: post.authorId, acceptedById: actor.id, acceptedAt: sql`now()`, acceptedIsSelf: isSelfAccept })
      .where(eq(threads.id, threadId));
    await tx.insert(answerAccepts).values({ threadId, postId, action: "accept", actorId: actor.id, isSelfAccept });
    if (actor.id !== thread.authorId) await appendToLog(tx, { actorId: actor.id, action: "answer.accepted_for_author", targetType: "thread", targetId: threadId, details: { postId } });
    await refreshSearchDocument(tx, threadId);
    const path = threadPath(thread, post.postNumber);
    if (!isSelfAccept) {
      const [me] = await tx.select({ username: members.username }).from(members).where(eq(members.id, actor.id));
      await notifyAccepted(tx, post.authorId, { threadId, postId, actorId: actor.id, actorName: me!.username, threadTitle: thread.title, path, visibility: thread });
    }
    return { ok: true as const, path };
  }));
}

export async function withdrawAcceptance(actor: Actor, threadId: number): Promise<Outcome> {
  return refreshLeaderboardsAfter(await db().transaction(async (tx): Promise<Outcome> => {
    const locked = await lockThread(tx, actor, threadId);
    if (locked.failure) return locked.failure;
    const { thread } = locked;
    await recordWithdrawal(tx, actor, thread);
    return { ok: true as const, path: threadPath(thread) };
  }));
}

/**
 * Withdraws the thread's accepted answer, if it has one, in the caller's transaction, which has
 * locked the thread and checked the actor may: the unaccept record, a log entry when it is not
 * the asker's doing (with `reason`), and the thread no longer solved, in lists and in search.
 */
export async function recordWithdrawal(tx: Executor, actor: Actor, thread: Thread, reason?: string): Promise<void> {
  if (!thread.acceptedPostId) return;
  await tx.insert(answerAccepts).values({ threadId: thread.id, postId: thread.acceptedPostId, action: "unaccept", actorId: actor.id, isSelfAccept: thread.acceptedIsSelf });
  if (actor.id !== thread.authorId) {
    await appendToLog(tx, { actorId: actor.id, action: "answer.withdrawn_for_author", targetType: "thread", targetId: thread.id, reason, details: { postId: thread.acceptedPostId } });
  }
  await tx
    .update(threads)
    .set({ acceptedPostId: null, acceptedAuthorId: null, acceptedById: null, acceptedAt: null, acceptedIsSelf: false })
    .where(eq(threads.id, thread.id));
  await refreshSearchDocument(tx, thread.id);
}

/** A committed change to accepted answers changes what the leaderboards count. */
export function refreshLeaderboardsAfter<T extends { ok: boolean }>(outcome: T): T {
  if (outcome.ok) forgetLeaderboards();
  return outcome;
}

export const PERIODS = { "30d": 30, "90d": 90, all: null } as const;
export type Period = keyof typeof PERIODS;

/**
 * Accepted answers that count: not self-accepted, on a visible thread, by a visible post. Read
 * from the threads alone (see threads_accepted_author_idx): the accepted post is checked against
 * the few hidden posts rather than joined.
 */
function countedAccepts(sinceDays: number | null) {
  return and(
    isNotNull(threads.acceptedPostId),
    not(threads.acceptedIsSelf),
    isNull(threads.hiddenAt),
    sql`not exists (select 1 from ${posts} hidden_post where hidden_post.id = ${threads.acceptedPostId} and hidden_post.hidden_at is not null)`,
    sinceDays === null ? undefined : gt(threads.acceptedAt, sql`now() - make_interval(days => ${sinceDays})`),
  );
}

/** Accepted answers that count for a member in the last `days` days (the reward period). */
export async function countAccepted(memberId: number, days: number): Promise<number> {
  const [row] = await db()
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(threads)
    .where(and(eq(threads.acceptedAuthorId, memberId), countedAccepts(days)));
  return row?.n ?? 0;
}

/**
 * The same count as a correlated subquery, for reports that list many members in one query
 * (the reward eligibility report): `memberId` is the outer query's member id column.
 */
export function acceptedInPeriod(memberId: SQLWrapper, days: number) {
  const counted = db()
    .select({ n: count() })
    .from(threads)
    .where(and(eq(threads.acceptedAuthorId, memberId), countedAccepts(days)));
  return sql<number>`(${counted})`.mapWith(Number);
}

type LeaderboardRow = { memberId: number | null; username: string; role: "member" | "moderator" | "admin"; accepted: number };

/**
 * The leaderboard is the same for every reader and counts tens of thousands of accepts on a big
 * forum, so each period's board is kept for a minute in the process. Changes made through this
 * process clear it at once; another instance's changes show within the minute. Profiles and
 * the reward figures are always computed fresh.
 */
const LEADERBOARD_TTL_MS = 60_000;
const leaderboardCache = new Map<string, { at: number; rows: LeaderboardRow[] }>();

export async function leaderboard(period: Period, limit = 50): Promise<LeaderboardRow[]> {
  const key = `${period}:${limit}`;
  const cached = leaderboardCache.get(key);
  if (cached && Date.now() - cached.at < LEADERBOARD_TTL_MS) return cached.rows;
  const rows = await computeLeaderboard(period, limit);
  leaderboardCache.set(key, { at: Date.now(), rows });
  return rows;
}

/** Drops the cached boards after a change to what they count. */
export function forgetLeaderboards(): void {
  leaderboardCache.clear();
}

async function computeLeaderboard(period: Period, limit: number): Promise<LeaderboardRow[]> {
  const accepted = sql<number>`count(*)`.mapWith(Number);
  return db()
    .select({ memberId: threads.acceptedAuthorId, username: members.username, role: members.role, accepted })
    .from(threads)
    .innerJoin(members, eq(members.id, threads.acceptedAuthorId))
    .where(countedAccepts(PERIODS[period]))
    .groupBy(threads.acceptedAuthorId, members.username, members.role)
    .orderBy(desc(accepted), members.username)
    .limit(limit);
}

// A member's profile figures, as statements prepared once (see preparedStatement).
const profileMember = sql.placeholder("memberId");
const countedFor = () => and(eq(threads.acceptedAuthorId, profileMember), countedAccepts(null));

const memberCounts = preparedStatement((database) =>
  database
    .select({
      posts: sql<number>`(select count(*) from ${posts} where ${posts.authorId} = ${profileMember} and ${posts.hiddenAt} is null and ${posts.postNumber} > 1)`.mapWith(Number),
      threads: sql<number>`(select count(*) from ${threads} where ${threads.authorId} = ${profileMember} and ${threads.hiddenAt} is null)`.mapWith(Number),
      acceptedAllTime: sql<number>`count(*)`.mapWith(Number),
      accepted90d: sql<number>`count(*) filter (where ${threads.acceptedAt} > now() - interval '90 days')`.mapWith(Number),
    })
    .from(threads)
    .where(countedFor())
    .prepare("member_counts"),
);

const recentAccepts = preparedStatement((database) =>
  database
    .select({ threadId: threads.id, title: threads.title, slug: threads.slug, acceptedAt: threads.acceptedAt, postNumber: posts.postNumber })
    .from(threads)
    .innerJoin(posts, eq(posts.id, threads.acceptedPostId))
    .where(countedFor())
    .orderBy(desc(threads.acceptedAt))
    .limit(10)
    .prepare("member_recent_accepts"),
);

/** A member's figures for their profile: two queries. */
export async function memberFigures(memberId: number) {
  const [[figures], recent] = await Promise.all([memberCounts().execute({ memberId }), recentAccepts().execute({ memberId })]);
  return { ...figures!, recent };
}

/** Every accept and withdrawal in a thread, oldest first, with who did it: one query, for staff. */
export async function acceptHistory(threadId: number) {
  return db()
    .select({
      action: answerAccepts.action,
      postId: answerAccepts.postId,
      postNumber: posts.postNumber,
      isSelfAccept: answerAccepts.isSelfAccept,
      createdAt: answerAccepts.createdAt,
      actorName: members.username,
    })
    .from(answerAccepts)
    .innerJoin(members, eq(members.id, answerAccepts.actorId))
    .innerJoin(posts, eq(posts.id, answerAccepts.postId))
    .where(eq(answerAccepts.threadId, threadId))
    .orderBy(answerAccepts.id);
}
