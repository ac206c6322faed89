/**
 * The moderator's tools: pin, lock, move, hide and restore, merge, flags and their review queue,
 * and suspensions. Every change checks permission here, locks what it changes, and is appended
 * to the moderation log in the same transaction.
 */
import { and, asc, count, desc, eq, gt, inArray, or, sql } from "drizzle-orm";
import { db, type Executor } from "~db/client";
import { rowsOf } from "~db/rows";
import { answerAccepts, categories, flags, members, posts, threads, threadWatches, type FlagReason } from "~db/schema";
import { endAllSessions } from "~/auth/session.server";
import { threadPath } from "~/lib/paths";
import { countAccepted, recordWithdrawal, refreshLeaderboardsAfter } from "./answers.server";
import { SUSPENSION_LENGTHS, type SuspensionLength } from "./forum-rules";
import { getSetting } from "./settings.server";
import { appendToLog } from "./moderation-log.server";
import { waitingPastTarget } from "./response-targets.server";
import { notifyHidden } from "./notifications.server";
import { can, canSee, isNewAccount, isSuspended, SUSPENDED_MESSAGE, type Actor } from "./permissions";
import { fail, lockPostWithThread, refreshFirstResponse, refreshSearchDocument, tooSoon, type Failure } from "./threads.server";

type Outcome = { ok: true; path: string; message: string } | Failure;
const NOT_STAFF = fail(403, "Only moderators and admins can do that.");
const THREAD_GONE = fail(404, "This thread no longer exists: it may have been deleted meanwhile.");
const POST_GONE = fail(404, "This post no longer exists: it may have been deleted meanwhile.");
const MERGED = fail(409, "This thread was merged into another one: its posts are there now.");

type Thread = typeof threads.$inferSelect;

async function lockThreadForModeration(tx: Executor, actor: Actor, threadId: number): Promise<{ thread: Thread } | { failure: Failure }> {
  if (!can(actor, "thread:moderate")) return { failure: NOT_STAFF };
  const [thread] = await tx.select().from(threads).where(eq(threads.id, threadId)).for("update");
  if (!thread) return { failure: THREAD_GONE };
  // What is left of a merged thread only leads to the thread it went into: restored, it would
  // come back as an empty thread in the lists.
  if (thread.mergedIntoId) return { failure: MERGED };
  return { thread };
}

export type ThreadToggle = "pin" | "unpin" | "lock" | "unlock" | "hide" | "restore";

const TOGGLES: Record<ThreadToggle, { column: "pinnedAt" | "lockedAt" | "hiddenAt"; on: boolean; done: string }> = {
  pin: { column: "pinnedAt", on: true, done: "Pinned: the thread stays at the top of its category." },
  unpin: { column: "pinnedAt", on: false, done: "Unpinned." },
  lock: { column: "lockedAt", on: true, done: "Locked: no new replies." },
  unlock: { column: "lockedAt", on: false, done: "Unlocked: replies are open again." },
  hide: { column: "hiddenAt", on: true, done: "Hidden: only moderators and the author can see the thread." },
  restore: { column: "hiddenAt", on: false, done: "Restored: everyone can see the thread again." },
};

export async function toggleThread(actor: Actor, threadId: number, toggle: ThreadToggle, reason?: string): Promise<Outcome> {
  return refreshLeaderboardsAfter(await db().transaction(async (tx): Promise<Outcome> => {
    const locked = await lockThreadForModeration(tx, actor, threadId);
    if ("failure" in locked) return locked.failure;
    const { column, on, done } = TOGGLES[toggle];
    const path = threadPath(locked.thread);
    if (Boolean(locked.thread[column]) === on) return { ok: true, path, message: done };
    await tx.update(threads).set({ [column]: on ? sql`now()` : null }).where(eq(threads.id, threadId));
    await appendToLog(tx, { actorId: actor.id, action: `thread.${toggle}`, targetType: "thread", targetId: threadId, reason });
    return { ok: true, path, message: done };
  }));
}

export async function moveThread(actor: Actor, threadId: number, categorySlug: string, reason?: string): Promise<Outcome> {
  return db().transaction(async (tx): Promise<Outcome> => {
    const locked = await lockThreadForModeration(tx, actor, threadId);
    if ("failure" in locked) return locked.failure;
    const [target] = await tx.select().from(categories).where(eq(categories.slug, categorySlug));
    if (!target) return fail(400, "Choose one of the categories.", "category");
    const path = threadPath(locked.thread);
    if (target.id === locked.thread.categoryId) return { ok: true, path, message: `Already in ${target.name}.` };
    await tx.update(threads).set({ categoryId: target.id }).where(eq(threads.id, threadId));
    await appendToLog(tx, { actorId: actor.id, action: "thread.moved", targetType: "thread", targetId: threadId, reason, details: { from: locked.thread.categoryId, to: target.id } });
    return { ok: true, path, message: `Moved to ${target.name}.` };
  });
}

/**
 * Merges a duplicate into another thread: its posts (question included) follow the target's, in
 * order, and the duplicate stays only as a pointer to the target.
 */
export async function mergeThread(actor: Actor, duplicateId: number, targetId: number, reason?: string): Promise<Outcome> {
  if (duplicateId === targetId) return fail(400, "A thread cannot be merged into itself.", "target");
  return refreshLeaderboardsAfter(await db().transaction(async (tx): Promise<Outcome> => {
    if (!can(actor, "thread:moderate")) return NOT_STAFF;
    // Both rows locked in id order, with the threads merged into the duplicate earlier (repointed
    // below), so two merges touching the same threads cannot deadlock.
    const locked = await tx
      .select()
      .from(threads)
      .where(or(inArray(threads.id, [duplicateId, targetId]), eq(threads.mergedIntoId, duplicateId)))
      .orderBy(asc(threads.id))
      .for("update");
    const duplicate = locked.find((t) => t.id === duplicateId);
    const target = locked.find((t) => t.id === targetId);
    if (!duplicate) return THREAD_GONE;
    if (!target || target.mergedIntoId) return fail(400, "There is no thread with that number to merge into.", "target");
    if (duplicate.mergedIntoId) return fail(409, "This thread was already merged.");
    // One statement: the duplicate's posts, in order, numbered on from the target's last.
    const moved = rowsOf(
      await tx.execute(sql`
        update posts set thread_id = ${targetId}, post_number = ${target.nextPostNumber} + ranked.position - 1
        from (select id, row_number() over (order by post_number) as position from posts where thread_id = ${duplicateId}) ranked
        where posts.id = ranked.id
        returning posts.id, posts.hidden_at`),
    );
    const visibleMoved = moved.filter((post) => post.hidden_at === null).length;
    // The duplicate's accepted answer, now in the target, stays accepted there when the target
    // has none, as it was accepted (by whom, when), so its author keeps the credit; otherwise the
    // target's stands and the duplicate's is withdrawn, on record as the moderator's doing.
    const carriesAcceptance = duplicate.acceptedPostId !== null && target.acceptedPostId === null;
    if (duplicate.acceptedPostId !== null && !carriesAcceptance) {
      await tx.insert(answerAccepts).values({ threadId: duplicateId, postId: duplicate.acceptedPostId, action: "unaccept", actorId: actor.id, isSelfAccept: duplicate.acceptedIsSelf });
    }
    await tx
      .update(threads)
      .set({
        nextPostNumber: target.nextPostNumber + moved.length,
        replyCount: sql`${threads.replyCount} + ${visibleMoved}`,
        lastPostedAt: sql`(select max(${posts.createdAt}) from ${posts} where ${posts.threadId} = ${targetId})`,
        lastPosterId: sql`(select ${posts.authorId} from ${posts} where ${posts.threadId} = ${targetId} order by ${posts.createdAt} desc, ${posts.postNumber} desc limit 1)`,
        ...(carriesAcceptance
          ? { acceptedPostId: duplicate.acceptedPostId, acceptedAuthorId: duplicate.acceptedAuthorId, acceptedById: duplicate.acceptedById, acceptedAt: duplicate.acceptedAt, acceptedIsSelf: duplicate.acceptedIsSelf }
          : {}),
      })
      .where(eq(threads.id, targetId));
    await tx
      .update(threads)
      .set({ mergedIntoId: targetId, hiddenAt: sql`now()`, replyCount: 0, acceptedPostId: null, acceptedAuthorId: null, acceptedById: null, acceptedAt: null, acceptedIsSelf: false })
      .where(eq(threads.id, duplicateId));
    // The accept records follow their posts, and the duplicate's watchers (its asker among them)
    // the discussion, which goes on in the target.
    await tx.update(answerAccepts).set({ threadId: targetId }).where(eq(answerAccepts.threadId, duplicateId));
    await tx.execute(sql`
      insert into ${threadWatches} (thread_id, member_id)
      select ${targetId}, member_id from ${threadWatches} where thread_id = ${duplicateId}
      on conflict do nothing`);
    await refreshFirstResponse(tx, targetId);
    // Threads merged into the duplicate before now lead to the target too, in one step: their
    // addresses and notifications reach the live thread, never another merged one.
    await tx.update(threads).set({ mergedIntoId: targetId }).where(eq(threads.mergedIntoId, duplicateId));
    await refreshSearchDocument(tx, targetId);
    await appendToLog(tx, {
      actorId: actor.id,
      action: "thread.merged",
      targetType: "thread",
      targetId: duplicateId,
      reason,
      details: { into: targetId, posts: moved.length, ...(duplicate.acceptedPostId === null ? {} : { acceptedPostId: duplicate.acceptedPostId, acceptanceKept: carriesAcceptance }) },
    });
    return { ok: true, path: threadPath(target), message: `Merged: ${moved.length} posts moved here.` };
  }));
}

type Post = typeof posts.$inferSelect;

/**
 * Hides or shows a post (both rows locked by the caller), keeping the thread's reply count and
 * search document to what readers see. `by` is the moderator who decided, or "flags" for a post
 * members' flags hid until a moderator reviews it. A moderator hiding the accepted answer
 * withdraws the acceptance, recorded as theirs: a hidden answer solves nothing for readers.
 * Restoring it does not accept it again; the asker or a moderator can. Flags alone leave the
 * acceptance to the review.
 */
async function changeVisibility(tx: Executor, { post, thread }: { post: Post; thread: Thread }, hidden: boolean, by: Actor | "flags"): Promise<void> {
  const reason = by === "flags" ? "flags" : "moderator";
  await tx.update(posts).set(hidden ? { hiddenAt: post.hiddenAt ?? sql`now()`, hiddenReason: reason } : { hiddenAt: null, hiddenReason: null }).where(eq(posts.id, post.id));
  if (Boolean(post.hiddenAt) !== hidden && post.postNumber > 1) {
    await tx.update(threads).set({ replyCount: sql`${threads.replyCount} ${hidden ? sql`- 1` : sql`+ 1`}` }).where(eq(threads.id, post.threadId));
    // A hidden reply answers nobody: the thread may be waiting again, or have been answered earlier.
    await refreshFirstResponse(tx, post.threadId);
  }
  if (hidden && by !== "flags" && thread.acceptedPostId === post.id) {
    await recordWithdrawal(tx, by, thread, "The accepted answer was hidden.");
  } else {
    await refreshSearchDocument(tx, thread.id);
  }
}

export async function setPostHidden(actor: Actor, postId: number, hide: boolean, reason?: string): Promise<Outcome> {
  return refreshLeaderboardsAfter(await db().transaction(async (tx): Promise<Outcome> => {
    if (!can(actor, "thread:moderate")) return NOT_STAFF;
    const found = await lockPostWithThread(tx, postId);
    if (!found) return POST_GONE;
    const path = threadPath(found.thread, found.post.postNumber);
    // A question is hidden with its thread; one that flags hid can still be shown again here.
    if (found.post.postNumber === 1 && hide) return fail(400, "To hide a question, hide its whole thread.");
    if (Boolean(found.post.hiddenAt) === hide) return { ok: true, path, message: hide ? "The post is hidden." : "The post is visible." };
    await changeVisibility(tx, found, hide, actor);
    await appendToLog(tx, { actorId: actor.id, action: hide ? "post.hidden" : "post.restored", targetType: "post", targetId: postId, reason });
    return { ok: true, path, message: hide ? "Hidden: only moderators and the author can see the post." : "Restored: everyone can see the post again." };
  }));
}

// --- Flags ---------------------------------------------------------------------------------

export const FLAGS_TO_HIDE = 3;
export const FLAGS_PER_DAY = 20;

export async function flagPost(actor: Actor, postId: number, reason: FlagReason, note?: string): Promise<Outcome> {
  if (isSuspended(actor)) return fail(403, SUSPENDED_MESSAGE);
  return refreshLeaderboardsAfter(await db().transaction(async (tx): Promise<Outcome> => {
    const found = await lockPostWithThread(tx, postId);
    if (!found || !canSee(actor, found.thread) || !canSee(actor, found.post)) return POST_GONE;
    const path = threadPath(found.thread, found.post.postNumber);
    if (found.post.authorId === actor.id) return fail(400, "You cannot flag your own post.");
    if (isNewAccount(actor)) return fail(403, "New members cannot flag posts yet. Once your account is a day old and you have written 3 posts, you can.");
    if (!can(actor, "post:flag", { post: found.post })) return fail(409, "This post is already hidden and waiting for a moderator.");
    const [today] = await tx.select({ n: count() }).from(flags).where(and(eq(flags.flaggerId, actor.id), gt(flags.createdAt, sql`now() - interval '1 day'`)));
    if (today!.n >= FLAGS_PER_DAY) return tooSoon(`You can flag at most ${FLAGS_PER_DAY} posts a day. Moderators will look at the ones you flagged.`, 3600);
    const inserted = await tx.insert(flags).values({ postId, flaggerId: actor.id, reason, note: note || null }).onConflictDoNothing().returning({ id: flags.id });
    if (inserted.length === 0) return fail(409, "You have already flagged this post.");
    const [pending] = await tx.select({ n: count() }).from(flags).where(and(eq(flags.postId, postId), eq(flags.status, "pending")));
    if (pending!.n >= FLAGS_TO_HIDE) {
      await changeVisibility(tx, found, true, "flags");
      await appendToLog(tx, { actorId: null, action: "post.hidden_by_flags", targetType: "post", targetId: postId, details: { flags: pending!.n } });
    }
    return { ok: true, path, message: "Thank you: moderators will review the post." };
  }));
}

export type FlagDecision = "agree" | "disagree" | "ignore";

/**
 * Resolves every pending flag of a post at once. The flags are claimed with one conditional
 * update under the post's lock, so when two moderators decide together exactly one decision
 * takes effect.
 */
export async function resolveFlags(actor: Actor, postId: number, decision: FlagDecision): Promise<Outcome> {
  return refreshLeaderboardsAfter(await db().transaction(async (tx): Promise<Outcome> => {
    if (!can(actor, "thread:moderate")) return NOT_STAFF;
    const status = decision === "agree" ? "agreed" : decision === "disagree" ? "disagreed" : "ignored";
    const found = await lockPostWithThread(tx, postId);
    if (!found) return POST_GONE;
    const claimed = await tx
      .update(flags)
      .set({ status, resolvedById: actor.id, resolvedAt: sql`now()` })
      .where(and(eq(flags.postId, postId), eq(flags.status, "pending")))
      .returning({ id: flags.id });
    if (claimed.length === 0) return fail(409, "These flags were already resolved, perhaps by another moderator just now.");
    if (decision === "agree") {
      // No longer awaiting review: hidden by a moderator's decision now.
      await changeVisibility(tx, found, true, actor);
      const [me] = await tx.select({ username: members.username }).from(members).where(eq(members.id, actor.id));
      await notifyHidden(tx, found.post.authorId, {
        threadId: found.thread.id,
        postId,
        actorId: actor.id,
        actorName: me!.username,
        threadTitle: found.thread.title,
        path: threadPath(found.thread, found.post.postNumber),
        visibility: found.thread,
      });
    } else if (found.post.hiddenReason === "flags") {
      // Hidden only because of the flags just set aside: visible again.
      await changeVisibility(tx, found, false, actor);
    }
    await appendToLog(tx, { actorId: actor.id, action: `flags.${decision}`, targetType: "post", targetId: postId, details: { flags: claimed.length } });
    const message = decision === "agree" ? "Agreed: the post stays hidden and its author was told." : decision === "disagree" ? "Disagreed: the post is visible again." : "Ignored: the flags are closed.";
    return { ok: true, path: "/mod/flags", message };
  }));
}

/** Posts with pending flags, oldest first, with their flags and their author's record. */
export async function reviewQueue(limit = 50) {
  const queued = await db()
    .select({ postId: flags.postId, firstFlaggedAt: sql<Date>`min(${flags.createdAt})`.mapWith((v) => new Date(v)), flagCount: count() })
    .from(flags)
    .where(eq(flags.status, "pending"))
    .groupBy(flags.postId)
    .orderBy(sql`min(${flags.createdAt})`)
    .limit(limit);
  if (queued.length === 0) return [];
  const postIds = queued.map((q) => q.postId);
  const [rows, flagRows] = await Promise.all([
    db()
      .select({
        postId: posts.id,
        postNumber: posts.postNumber,
        bodyHtml: posts.bodyHtml,
        hiddenAt: posts.hiddenAt,
        createdAt: posts.createdAt,
        threadId: threads.id,
        threadTitle: threads.title,
        threadSlug: threads.slug,
        authorName: members.username,
        authorPosts: members.postCount,
        authorJoined: members.createdAt,
        authorSuspendedUntil: members.suspendedUntil,
        authorAgreedFlags: sql<number>`(select count(*) from ${flags} f join ${posts} p on p.id = f.post_id where p.author_id = ${members.id} and f.status = 'agreed')`.mapWith(Number),
      })
      .from(posts)
      .innerJoin(threads, eq(threads.id, posts.threadId))
      .innerJoin(members, eq(members.id, posts.authorId))
      .where(inArray(posts.id, postIds)),
    db()
      .select({ postId: flags.postId, reason: flags.reason, note: flags.note, createdAt: flags.createdAt, flaggerName: members.username })
      .from(flags)
      .innerJoin(members, eq(members.id, flags.flaggerId))
      .where(and(inArray(flags.postId, postIds), eq(flags.status, "pending")))
      .orderBy(asc(flags.createdAt)),
  ]);
  return queued.flatMap((q) => {
    const post = rows.find((r) => r.postId === q.postId);
    return post ? [{ ...post, firstFlaggedAt: q.firstFlaggedAt, flags: flagRows.filter((f) => f.postId === q.postId) }] : [];
  });
}

// --- Suspensions ---------------------------------------------------------------------------

const INTERVALS: Record<SuspensionLength, string | null> = { "24h": "24 hours", "72h": "72 hours", "7d": "7 days", "30d": "30 days", permanent: null };

export async function suspendMember(actor: Actor, targetId: number, length: SuspensionLength, reason: string): Promise<Outcome> {
  const outcome = await db().transaction(async (tx): Promise<Outcome> => {
    const [target] = await tx.select().from(members).where(eq(members.id, targetId)).for("update");
    if (!target) return fail(404, "There is no such member.");
    if (!can(actor, "member:suspend", { target })) return fail(403, "You cannot suspend this member.");
    const interval = INTERVALS[length];
    await tx
      .update(members)
      .set({ suspendedUntil: interval ? sql`now() + ${interval}::interval` : sql`'infinity'::timestamptz`, suspensionReason: reason })
      .where(eq(members.id, targetId));
    await appendToLog(tx, { actorId: actor.id, action: "member.suspended", targetType: "member", targetId, reason, details: { length } });
    return { ok: true, path: `/u/${target.username}`, message: `${target.username} is suspended ${SUSPENSION_LENGTHS[length]}.` };
  });
  // Their sessions end at once: whatever they had open must sign in again and meets the suspension.
  if (outcome.ok) await endAllSessions(targetId);
  return outcome;
}

export async function unsuspendMember(actor: Actor, targetId: number, reason?: string): Promise<Outcome> {
  return db().transaction(async (tx): Promise<Outcome> => {
    const [target] = await tx.select().from(members).where(eq(members.id, targetId)).for("update");
    if (!target) return fail(404, "There is no such member.");
    if (!can(actor, "member:suspend", { target })) return fail(403, "You cannot change this member's suspension.");
    if (!isSuspended(target)) return { ok: true, path: `/u/${target.username}`, message: `${target.username} is not suspended.` };
    await tx.update(members).set({ suspendedUntil: null, suspensionReason: null }).where(eq(members.id, targetId));
    await appendToLog(tx, { actorId: actor.id, action: "member.unsuspended", targetType: "member", targetId, reason });
    return { ok: true, path: `/u/${target.username}`, message: `${target.username} can post again.` };
  });
}

/** What needs a moderator now, for the moderator home. */
export async function moderatorHome(actor: Actor) {
  const program = await getSetting("reward_program");
  const [[queue], [breached], recentFlags, acceptedInPeriod] = await Promise.all([
    db().select({ posts: sql<number>`count(distinct ${flags.postId})`.mapWith(Number) }).from(flags).where(eq(flags.status, "pending")),
    db()
      .select({ n: count() })
      .from(threads)
      .where(waitingPastTarget),
    db()
      .select({ reason: flags.reason, createdAt: flags.createdAt, postId: flags.postId, postNumber: posts.postNumber, threadId: threads.id, threadTitle: threads.title, threadSlug: threads.slug, flaggerName: members.username })
      .from(flags)
      .innerJoin(posts, eq(posts.id, flags.postId))
      .innerJoin(threads, eq(threads.id, posts.threadId))
      .innerJoin(members, eq(members.id, flags.flaggerId))
      .where(eq(flags.status, "pending"))
      .orderBy(desc(flags.createdAt))
      .limit(10),
    countAccepted(actor.id, program.periodDays),
  ]);
  return { queuedPosts: queue?.posts ?? 0, breachedThreads: breached?.n ?? 0, recentFlags, acceptedInPeriod, ...program };
}
