/**
 * Threads and their posts: asking, replying, editing with revisions, deleting, reading pages.
 * Every page read is a fixed number of queries, whatever the thread's size: posts are fetched
 * by their number within the thread, never by offset.
 */
import { aliasedTable, and, asc, desc, eq, gt, isNull, lt, sql, type SQL } from "drizzle-orm";
import { db, type Database, type Executor, preparedStatement } from "~db/client";
import { answerAccepts, categories, flags, members, postRevisions, posts, threads, threadWatches } from "~db/schema";
import { threadPath } from "~/lib/paths";
import { POSTS_PER_PAGE, SEARCHED_REPLIES, slugify, THREADS_PER_PAGE } from "./forum-rules";
import { cookMarkdown, MarkdownTooComplexError } from "./markdown/cook.server";
import { notifyReply, watch } from "./notifications.server";
import { waiting } from "./response-targets.server";
import { appendToLog } from "./moderation-log.server";
import { can, canSee, isSuspended, SUSPENDED_MESSAGE, type ActionSubjects, type Actor } from "./permissions";
import { getSetting, type PostingLimits } from "./settings.server";
import { checkLinkLimit, checkPostingAllowance } from "./trust.server";

export type Failure = { ok: false; status: 400 | 403 | 404 | 409 | 410 | 429; field?: string; message: string; retryAfterSeconds?: number };
export const fail = (status: Failure["status"], message: string, field?: string): Failure => ({ ok: false, status, message, field });
/** A refusal that passes once the member waits: a 429 that says how long, for the Retry-After header. */
export const tooSoon = (message: string, retryAfterSeconds: number, field?: string): Failure => ({ ok: false, status: 429, message, field, retryAfterSeconds });

/**
 * Cooks a post's markdown for its writer, or says why it cannot be shown (a 400 by the body
 * field) or not yet (a 429).
 *
 * Every post in this process is rendered by one worker, in turn, each for up to
 * RENDER_TIME_LIMIT_MS. So that no member can fill that queue with posts built to be slow, and
 * make everyone else's posts wait until they are refused, a member has one post rendering at a
 * time, and after one that was too complex waits RENDER_RETRY_SECONDS before the next: each
 * member can keep the worker busy a tenth of the time at most. These come before the posting
 * limits (which need the rendered post, for its links) and hold in this process only, as its
 * worker does.
 */
async function cook(writer: Actor, source: string): Promise<{ ok: true; html: string } | Failure> {
  const retryAt = tooComplexRetryAt.get(writer.id);
  if (retryAt !== undefined && retryAt <= Date.now()) tooComplexRetryAt.delete(writer.id);
  else if (retryAt !== undefined) {
    const wait = Math.ceil((retryAt - Date.now()) / 1000);
    return tooSoon(`Your last post was too complex to display. You can send a simpler one in ${wait} ${wait === 1 ? "second" : "seconds"}.`, wait, "body");
  }
  if (rendering.has(writer.id)) return tooSoon("Your previous post is still being prepared. Send this one again in a moment.", 1, "body");
  rendering.add(writer.id);
  try {
    return { ok: true, html: await cookMarkdown(source) };
  } catch (error) {
    if (!(error instanceof MarkdownTooComplexError)) throw error;
    tooComplexRetryAt.set(writer.id, Date.now() + RENDER_RETRY_SECONDS * 1000);
    return fail(400, error.message, "body");
  } finally {
    rendering.delete(writer.id);
  }
}
export const RENDER_RETRY_SECONDS = 20;
/** The members whose post is being rendered, and when those whose post was too complex may try again. */
const rendering = new Set<number>();
const tooComplexRetryAt = new Map<number, number>();

/**
 * Rebuilds a thread's search document: title, question, accepted answer and the other replies
 * (as far as SEARCHED_REPLIES reaches), weighted in that order. A hidden post is left out, so
 * search never finds a thread by words only staff and their author can read; hiding and restoring
 * a post rebuild it. tests/bench/generate.ts builds the same document in bulk.
 */
export async function refreshSearchDocument(tx: Executor, threadId: number): Promise<void> {
  await tx.execute(sql`
    update threads set search_document =
      setweight(to_tsvector('simple', title), 'A') ||
      setweight(to_tsvector('simple', coalesce((select body_source from posts where thread_id = threads.id and post_number = 1 and hidden_at is null), '')), 'B') ||
      setweight(to_tsvector('simple', coalesce((select body_source from posts where id = threads.accepted_post_id and hidden_at is null), '')), 'C') ||
      setweight(to_tsvector('simple', coalesce((
        select left(string_agg(body_source, ' ' order by post_number), ${SEARCHED_REPLIES.characters}::int)
        from (
          select body_source, post_number from posts
          where thread_id = threads.id and post_number > 1 and hidden_at is null and id is distinct from threads.accepted_post_id
          order by post_number limit ${SEARCHED_REPLIES.count}::int
        ) replies), '')), 'D')
    where id = ${threadId}`);
}

/**
 * Sets when a thread was first answered from its posts as they are now: the earliest visible
 * reply by someone other than the asker, and never before the thread itself (a merge brings in
 * older posts). For the writes that can change it other than a new reply: a reply deleted,
 * hidden or restored, and a merge.
 */
export async function refreshFirstResponse(tx: Executor, threadId: number): Promise<void> {
  await tx.execute(sql`
    update threads set first_response_at = (
      select min(greatest(posts.created_at, threads.created_at)) from posts
      where posts.thread_id = threads.id and posts.post_number > 1 and posts.hidden_at is null and posts.author_id <> threads.author_id
    )
    where id = ${threadId}`);
}

export type PostInThread = { post: typeof posts.$inferSelect; thread: typeof threads.$inferSelect };

/**
 * Locks a post and its thread for a change to either, the thread first, as every write to a
 * thread does (replies, edits, accepts), so that two writes never wait on each other's locks.
 * Null when the post is gone; a post that a merge moved meanwhile is looked up in its new thread.
 */
export async function lockPostWithThread(tx: Executor, postId: number): Promise<PostInThread | null> {
  for (;;) {
    const [placed] = await tx.select({ threadId: posts.threadId }).from(posts).where(eq(posts.id, postId));
    if (!placed) return null;
    const [thread] = await tx.select().from(threads).where(eq(threads.id, placed.threadId)).for("update");
    const [post] = await tx.select().from(posts).where(eq(posts.id, postId)).for("update");
    if (!thread || !post) return null;
    if (post.threadId === thread.id) return { post, thread };
  }
}

/** For imports and the demo seed, which write history rather than new posts. */
export interface PostingOptions {
  skipPostingLimits?: boolean;
}

export interface NewThread {
  title: string;
  body: string;
  categorySlug: string;
  urgent: boolean;
}

export async function createThread(author: Actor, input: NewThread, options: PostingOptions = {}): Promise<{ ok: true; thread: { id: number; slug: string } } | Failure> {
  if (isSuspended(author)) return fail(403, SUSPENDED_MESSAGE);
  const [category] = await db().select().from(categories).where(eq(categories.slug, input.categorySlug)).limit(1);
  if (!category) return fail(400, "Choose one of the categories.", "category");
  if (!can(author, "thread:create", { category })) return fail(403, `Only staff can start threads in ${category.name}. Choose another category.`, "category");
  const [cooked, limits] = await Promise.all([cook(author, input.body), getSetting("posting_limits")]);
  if (!cooked.ok) return cooked;
  const { html } = cooked;
  return db().transaction(async (tx) => {
    const allowance = await startPosting(tx, author, "thread", html, options.skipPostingLimits ? null : limits);
    if (!allowance.ok) return allowance;
    const [created] = await tx
      .insert(threads)
      .values({ categoryId: category.id, authorId: author.id, title: input.title, slug: slugify(input.title), urgent: input.urgent, lastPosterId: author.id })
      .returning({ id: threads.id, slug: threads.slug });
    const [question] = await tx
      .insert(posts)
      .values({ threadId: created!.id, postNumber: 1, authorId: author.id, bodySource: input.body, bodyHtml: html })
      .returning({ id: posts.id });
    await tx.insert(postRevisions).values({ postId: question!.id, revision: 1, editorId: author.id, title: input.title, bodySource: input.body });
    await watch(tx, created!.id, author.id);
    await refreshSearchDocument(tx, created!.id);
    return { ok: true as const, thread: created! };
  });
}

/**
 * Locks the author's row (so their concurrent posts queue up), applies the posting limits and
 * counts the new post. Runs first in every posting transaction.
 */
async function startPosting(tx: Executor, author: Actor, kind: "thread" | "reply", html: string, limits: PostingLimits | null): Promise<{ ok: true } | Failure> {
  await tx.select({ id: members.id }).from(members).where(eq(members.id, author.id)).for("update");
  const allowance = limits ? await checkPostingAllowance(tx, author, kind, html, limits) : { ok: true as const };
  if (!allowance.ok) return allowance.retryAfterSeconds ? tooSoon(allowance.message, allowance.retryAfterSeconds, "body") : fail(400, allowance.message, "body");
  await tx.update(members).set({ postCount: sql`${members.postCount} + 1` }).where(eq(members.id, author.id));
  return { ok: true };
}

export async function createReply(author: Actor, threadId: number, body: string, options: PostingOptions = {}): Promise<{ ok: true; path: string; postNumber: number } | Failure> {
  if (isSuspended(author)) return fail(403, SUSPENDED_MESSAGE);
  const [cooked, limits] = await Promise.all([cook(author, body), getSetting("posting_limits")]);
  if (!cooked.ok) return cooked;
  const { html } = cooked;
  return db().transaction(async (tx) => {
    const [thread] = await tx.select().from(threads).where(eq(threads.id, threadId)).for("update");
    if (!thread || !canSee(author, thread)) return fail(404, "This thread does not exist or was removed.");
    // Staff see a merged thread's remains; a reply there would be out of everyone's reach.
    if (thread.mergedIntoId) return fail(409, "This thread was merged into another one: reply there.");
    if (!can(author, "thread:reply", { thread })) return fail(403, thread.lockedAt ? "This thread is locked: it takes no new replies." : "You cannot reply to this thread.");
    const allowance = await startPosting(tx, author, "reply", html, options.skipPostingLimits ? null : limits);
    if (!allowance.ok) return allowance;
    const postNumber = thread.nextPostNumber;
    const firstResponse = !thread.firstResponseAt && thread.authorId !== author.id;
    await tx
      .update(threads)
      .set({
        nextPostNumber: postNumber + 1,
        replyCount: sql`${threads.replyCount} + 1`,
        lastPostedAt: sql`now()`,
        lastPosterId: author.id,
        ...(firstResponse ? { firstResponseAt: sql`now()` } : {}),
      })
      .where(eq(threads.id, threadId));
    const [post] = await tx.insert(posts).values({ threadId, postNumber, authorId: author.id, bodySource: body, bodyHtml: html }).returning({ id: posts.id });
    await tx.insert(postRevisions).values({ postId: post!.id, revision: 1, editorId: author.id, bodySource: body });
    const path = threadPath(thread, postNumber);
    const [me] = await tx.select({ username: members.username }).from(members).where(eq(members.id, author.id));
    await notifyReply(tx, { threadId, threadAuthorId: thread.authorId, postId: post!.id, actorId: author.id, actorName: me!.username, threadTitle: thread.title, path, visibility: thread });
    await watch(tx, threadId, author.id);
    // Past the replies search reads, a new one would not change the document.
    if (thread.replyCount <= SEARCHED_REPLIES.count) await refreshSearchDocument(tx, threadId);
    return { ok: true as const, path, postNumber };
  });
}

const author = aliasedTable(members, "author");

// The thread's columns a page uses (its permissions, header, moderation controls and links):
// not the search document, which only search reads, nor the bookkeeping columns, which would
// otherwise travel to every reader in the page data.
const threadPageColumns = {
  id: threads.id,
  authorId: threads.authorId,
  title: threads.title,
  slug: threads.slug,
  urgent: threads.urgent,
  createdAt: threads.createdAt,
  replyCount: threads.replyCount,
  firstResponseAt: threads.firstResponseAt,
  acceptedPostId: threads.acceptedPostId,
  pinnedAt: threads.pinnedAt,
  lockedAt: threads.lockedAt,
  hiddenAt: threads.hiddenAt,
};

export interface PagePost {
  id: number;
  postNumber: number;
  authorId: number;
  authorName: string;
  authorRole: "member" | "moderator" | "admin";
  bodyHtml: string;
  createdAt: Date;
  editedAt: Date | null;
  revisionCount: number;
  hiddenAt: Date | null;
  hiddenReason: string | null;
}

/**
 * The thread page in one statement: the thread with its category, author and accepted answer,
 * and the page's posts (by number, so a 10,000-reply thread costs the same) as one JSON array.
 * Prepared once per database handle, so each page read only binds its numbers.
 */
const threadPageStatement = preparedStatement((database: Database) => {
  const acceptedPost = aliasedTable(posts, "accepted_post");
  const first = sql.placeholder("first");
  const last = sql.placeholder("last");
  return database
    .select({
      thread: threadPageColumns,
      nextPostNumber: threads.nextPostNumber,
      mergedIntoId: threads.mergedIntoId,
      categoryName: categories.name,
      categorySlug: categories.slug,
      authorName: author.username,
      acceptedPostNumber: acceptedPost.postNumber,
      acceptedBodyHtml: acceptedPost.bodyHtml,
      acceptedHiddenAt: acceptedPost.hiddenAt,
      acceptedAuthorId: acceptedPost.authorId,
      // A subquery, not a second join of members: drizzle's types cannot hold two aliases of one table.
      acceptedAuthorName: sql<string | null>`(select ${members.username} from ${members} where ${members.id} = ${acceptedPost.authorId})`,
      // Member ids start at 1, so an anonymous viewer (0) watches nothing.
      watching: sql<boolean>`exists (select 1 from ${threadWatches} where ${threadWatches.threadId} = ${threads.id} and ${threadWatches.memberId} = ${sql.placeholder("viewerId")})`,
      // The limit tells the planner the page is small (a nested loop, not a hash join over all
      // members, on a 10,000-reply thread).
      posts: sql<PagePostJson[] | string>`(
        select coalesce(json_agg(json_build_array(
          p.id, p.post_number, p.author_id, m.username, m.role, p.body_html, p.created_at, p.edited_at, p.revision_count,
          p.hidden_at, p.hidden_reason) order by p.post_number), '[]')
        from (select * from posts where posts.thread_id = ${threads.id} and posts.post_number between ${first} and ${last}
              order by posts.post_number limit ${POSTS_PER_PAGE}) p
        inner join members m on m.id = p.author_id)`,
    })
    .from(threads)
    .innerJoin(categories, eq(categories.id, threads.categoryId))
    .innerJoin(author, eq(author.id, threads.authorId))
    .leftJoin(acceptedPost, eq(acceptedPost.id, threads.acceptedPostId))
    .where(eq(threads.id, sql.placeholder("threadId")))
    .prepare("thread_page");
});

/** A post as the page query sends it: its columns in the order json_build_array lists them. */
type PagePostJson = [
  id: number,
  postNumber: number,
  authorId: number,
  authorName: string,
  authorRole: PagePost["authorRole"],
  bodyHtml: string,
  createdAt: string,
  editedAt: string | null,
  revisionCount: number,
  hiddenAt: string | null,
  hiddenReason: string | null,
];

export async function getThreadPage(threadId: number, page: number, viewer: Actor | null) {
  const first = (page - 1) * POSTS_PER_PAGE + 1;
  const [row] = await threadPageStatement().execute({ threadId, viewerId: viewer?.id ?? 0, first, last: first + POSTS_PER_PAGE - 1 });
  if (!row || row.mergedIntoId || !canSee(viewer, row.thread)) return null;
  const accepted =
    row.acceptedPostNumber !== null && canSee(viewer, { authorId: row.acceptedAuthorId!, hiddenAt: row.acceptedHiddenAt })
      ? { id: row.thread.acceptedPostId!, postNumber: row.acceptedPostNumber, bodyHtml: row.acceptedBodyHtml!, authorName: row.acceptedAuthorName! }
      : null;
  const pages = Math.max(1, Math.ceil((row.nextPostNumber - 1) / POSTS_PER_PAGE));
  // PGlite hands json back as text; postgres.js parses it.
  const pagePosts = (typeof row.posts === "string" ? (JSON.parse(row.posts) as PagePostJson[]) : row.posts).map(
    ([id, postNumber, authorId, authorName, authorRole, bodyHtml, createdAt, editedAt, revisionCount, hiddenAt, hiddenReason]): PagePost => ({
      id,
      postNumber,
      authorId,
      authorName,
      authorRole,
      bodyHtml,
      createdAt: new Date(createdAt),
      editedAt: editedAt === null ? null : new Date(editedAt),
      revisionCount,
      hiddenAt: hiddenAt === null ? null : new Date(hiddenAt),
      hiddenReason,
    }),
  );
  return {
    thread: row.thread,
    category: { name: row.categoryName, slug: row.categorySlug },
    authorName: row.authorName,
    watching: row.watching,
    accepted,
    pages,
    page,
    posts: page > pages ? [] : pagePosts.filter((post) => canSee(viewer, post)),
  };
}

export type ThreadPage = NonNullable<Awaited<ReturnType<typeof getThreadPage>>>;

/**
 * Where a merged duplicate's address now leads, or null if the thread was not merged or the
 * viewer may not see the thread it went into (whose address holds its title).
 */
export async function mergedTarget(threadId: number, viewer: Actor | null): Promise<{ id: number; slug: string } | null> {
  const target = aliasedTable(threads, "target");
  const [row] = await db()
    .select({ id: target.id, slug: target.slug, authorId: target.authorId, hiddenAt: target.hiddenAt })
    .from(threads)
    .innerJoin(target, eq(target.id, threads.mergedIntoId))
    .where(eq(threads.id, threadId));
  return row && canSee(viewer, row) ? { id: row.id, slug: row.slug } : null;
}

/** The post and its thread, for edit, delete and accept forms. */
export async function findPostWithThread(postId: number) {
  const [row] = await db()
    .select({ post: posts, thread: threads })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .where(eq(posts.id, postId));
  return row ?? null;
}

export interface PostEdit {
  body: string;
  /** Only for the question (post 1). */
  title?: string;
  reason?: string;
  /**
   * Hides the earlier revisions' text from all but staff and the author: they held something
   * private, such as a password pasted by mistake. Who edited and when stay public.
   */
  hideEarlierText?: boolean;
}

/** Why the "post:edit" rule refuses a member this post: for the edit page and editPost. */
export function editRefusal({ post, thread }: PostInThread): string {
  if (thread.lockedAt) return "This thread is locked: its posts can no longer be edited.";
  if (thread.hiddenAt) return "A moderator hid this thread, so its posts can no longer be edited: they stay as they are for their review.";
  if (post.hiddenAt) return "A moderator hid this post, so it can no longer be edited: it stays as it is for their review.";
  return "You can only edit your own posts.";
}

export async function editPost(editor: Actor, postId: number, edit: PostEdit): Promise<{ ok: true; path: string } | Failure> {
  const found = await findPostWithThread(postId);
  if (!found || !canSee(editor, found.thread) || !canSee(editor, found.post)) return fail(404, "This post does not exist or was removed.");
  if (!can(editor, "post:edit", found)) return fail(403, editRefusal(found));
  const editingOthers = found.post.authorId !== editor.id;
  if (editingOthers && !edit.reason) return fail(400, "Say why you are editing someone else's post.", "reason");
  const [cooked, limits] = await Promise.all([cook(editor, edit.body), getSetting("posting_limits")]);
  if (!cooked.ok) return cooked;
  const { html } = cooked;
  const links = checkLinkLimit(editor, html, limits);
  if (!links.ok) return fail(400, links.message, "body");
  const isQuestion = found.post.postNumber === 1;
  const title = isQuestion ? edit.title ?? found.thread.title : null;
  return db().transaction(async (tx) => {
    // The thread locked first, so that edits, replies and accepts in one thread rebuild its
    // search document one after another, each seeing the last; the post, so that two
    // simultaneous edits get consecutive revision numbers.
    const current = await lockPostWithThread(tx, postId);
    // Deleted, or moved by a merge, while the new text was being rendered.
    if (!current) return fail(404, "This post no longer exists: it may have been deleted meanwhile.");
    if (current.thread.id !== found.thread.id) return fail(409, "This post was just moved to another thread: open it again there to edit it.");
    const revision = current.post.revisionCount + 1;
    await tx.update(posts).set({ bodySource: edit.body, bodyHtml: html, editedAt: sql`now()`, revisionCount: revision }).where(eq(posts.id, postId));
    await tx.insert(postRevisions).values({ postId, revision, editorId: editor.id, title, bodySource: edit.body, reason: edit.reason || null });
    if (edit.hideEarlierText) {
      await tx
        .update(postRevisions)
        .set({ textHiddenAt: sql`now()`, textHiddenById: editor.id })
        .where(and(eq(postRevisions.postId, postId), lt(postRevisions.revision, revision), isNull(postRevisions.textHiddenAt)));
    }
    if (isQuestion && title !== found.thread.title) {
      await tx.update(threads).set({ title: title!, slug: slugify(title!) }).where(eq(threads.id, found.thread.id));
    }
    await refreshSearchDocument(tx, found.thread.id);
    if (editingOthers) {
      await appendToLog(tx, { actorId: editor.id, action: "post.edited", targetType: "post", targetId: postId, reason: edit.reason, details: { revision, hidEarlierText: Boolean(edit.hideEarlierText) } });
    }
    return { ok: true as const, path: threadPath({ id: found.thread.id, slug: isQuestion ? slugify(title!) : found.thread.slug }, found.post.postNumber) };
  });
}

/**
 * A post's revisions, newest first, with who made each and when. The text of a revision a later
 * edit hid (see PostEdit.hideEarlierText) reaches only staff and the post's author; everyone
 * sees that it was hidden, by whom and when.
 */
export async function listRevisions(postId: number, viewer: Actor | null) {
  const found = await findPostWithThread(postId);
  if (!found || !canSee(viewer, found.thread) || !canSee(viewer, found.post)) return null;
  const rows = await db()
    .select({
      revision: postRevisions.revision,
      title: postRevisions.title,
      bodySource: postRevisions.bodySource,
      reason: postRevisions.reason,
      createdAt: postRevisions.createdAt,
      editorName: members.username,
      textHiddenAt: postRevisions.textHiddenAt,
      // A subquery, not a second join of members: drizzle's types cannot hold two aliases of one table.
      textHiddenBy: sql<string | null>`(select ${members.username} from ${members} where ${members.id} = ${postRevisions.textHiddenById})`,
    })
    .from(postRevisions)
    .innerJoin(members, eq(members.id, postRevisions.editorId))
    .where(eq(postRevisions.postId, postId))
    .orderBy(desc(postRevisions.revision));
  const revisions = rows.map(({ textHiddenAt, textHiddenBy, title, bodySource, ...revision }) => {
    // Hidden text follows the rule for hidden posts: staff and the post's author still read it.
    const shown = canSee(viewer, { authorId: found.post.authorId, hiddenAt: textHiddenAt });
    return { ...revision, hidden: textHiddenAt ? { at: textHiddenAt, by: textHiddenBy! } : null, title: shown ? title : null, bodySource: shown ? bodySource : null };
  });
  return { ...found, revisions };
}

/**
 * Deletes one's own post while nothing depends on it (see the "post:delete" rule): a question
 * with no replies takes its thread with it; a reply must be the thread's latest post.
 */
export async function deletePost(actor: Actor, postId: number): Promise<{ ok: true; path: string } | Failure> {
  return db().transaction(async (tx) => {
    const found = await lockPostWithThread(tx, postId);
    if (!found || !canSee(actor, found.thread) || !canSee(actor, found.post)) return fail(404, "This post does not exist or was removed.");
    const refusal = await deleteRefusal(actor, found, tx);
    if (refusal) return refusal;
    await tx.update(members).set({ postCount: sql`greatest(${members.postCount} - 1, 0)` }).where(eq(members.id, found.post.authorId));
    if (found.post.postNumber === 1) {
      // The threads merged into this one were kept only to lead here, and hold no posts.
      await tx.delete(threads).where(eq(threads.mergedIntoId, found.thread.id));
      await tx.delete(threads).where(eq(threads.id, found.thread.id));
      const [category] = await tx.select({ slug: categories.slug }).from(categories).where(eq(categories.id, found.thread.categoryId));
      return { ok: true as const, path: `/c/${category!.slug}` };
    }
    await tx.delete(posts).where(eq(posts.id, postId));
    const [previous] = await tx
      .select({ postNumber: posts.postNumber, authorId: posts.authorId, createdAt: posts.createdAt })
      .from(posts)
      .where(eq(posts.threadId, found.thread.id))
      .orderBy(desc(posts.postNumber))
      .limit(1);
    await tx
      .update(threads)
      .set({
        // The deleted reply was the last post: its number is free again, so no page is left empty.
        nextPostNumber: previous!.postNumber + 1,
        replyCount: sql`${threads.replyCount} - 1`,
        lastPostedAt: previous!.createdAt,
        lastPosterId: previous!.authorId,
      })
      .where(eq(threads.id, found.thread.id));
    await refreshFirstResponse(tx, found.thread.id);
    await refreshSearchDocument(tx, found.thread.id);
    return { ok: true as const, path: threadPath(found.thread) };
  });
}

/**
 * Why `actor` may not delete this post (the "post:delete" rule), or null when they may: for the
 * edit page, which offers the button or says why not, and for deletePost, under its locks.
 */
export async function deleteRefusal(actor: Actor, found: PostInThread, executor: Executor = db()): Promise<Failure | null> {
  const subject = await deleteSubject(executor, found);
  if (can(actor, "post:delete", subject)) return null;
  const { post, thread, isLastPost, wasAccepted, flagged } = subject;
  if (isSuspended(actor)) return fail(403, SUSPENDED_MESSAGE);
  if (post.authorId !== actor.id) return fail(403, "You can only delete your own posts.");
  if (post.hiddenAt) return fail(403, "A moderator hid this post, so it can no longer be deleted: it stays for their review.");
  if (thread.hiddenAt) return fail(403, "A moderator hid this thread, so its posts can no longer be deleted: they stay for their review.");
  if (thread.lockedAt) return fail(403, "This thread is locked: its posts can no longer be deleted.");
  if (flagged) return fail(409, "Members flagged this post for a moderator, so it stays until one has looked at it. You can still edit it.");
  if (wasAccepted) return fail(409, "This answer was accepted, so it cannot be deleted: every accept is kept on record. You can still edit it.");
  if (!isLastPost) return fail(409, "Posts can only be deleted while nobody has replied after them.");
  return fail(403, "You cannot delete this post.");
}

/** What the "post:delete" rule needs to know about a post beyond its row and its thread's. */
async function deleteSubject(executor: Executor, { post, thread }: PostInThread): Promise<ActionSubjects["post:delete"]> {
  const [[later], [accept], [flag]] = await Promise.all([
    executor.select({ id: posts.id }).from(posts).where(and(eq(posts.threadId, thread.id), gt(posts.postNumber, post.postNumber))).limit(1),
    executor.select({ id: answerAccepts.id }).from(answerAccepts).where(eq(answerAccepts.postId, post.id)).limit(1),
    executor.select({ id: flags.id }).from(flags).where(and(eq(flags.postId, post.id), eq(flags.status, "pending"))).limit(1),
  ]);
  return { post, thread, isLastPost: !later, wasAccepted: Boolean(accept) || thread.acceptedPostId === post.id, flagged: Boolean(flag) };
}

const THREAD_LIST_COLUMNS = {
  id: threads.id,
  title: threads.title,
  slug: threads.slug,
  urgent: threads.urgent,
  replyCount: threads.replyCount,
  createdAt: threads.createdAt,
  lastPostedAt: threads.lastPostedAt,
  firstResponseAt: threads.firstResponseAt,
  solved: sql<boolean>`${threads.acceptedPostId} is not null`,
  // Announcements (staff-only categories) wait for no answer.
  question: sql<boolean>`not ${categories.staffOnly}`,
  pinned: sql<boolean>`${threads.pinnedAt} is not null`,
  locked: sql<boolean>`${threads.lockedAt} is not null`,
  authorName: author.username,
  categoryName: categories.name,
  categorySlug: categories.slug,
};

export type ThreadListItem = Awaited<ReturnType<typeof listThreads>>["threads"][number];

/**
 * The ids of one page of a thread list (and of the first thread of the next, to tell whether there
 * is one), in `order`, from the offset the statement is given, as a subquery to join the rest to.
 * `order` ends with the id, so that threads with the same time keep their places from page to page
 * and in both sorts. Picking the ids first lets OFFSET skip rows through the index alone; joining
 * authors and categories first would join every row it skips (page 100 of a category: 12 ms
 * before, 2 ms after).
 */
function idsOnPage(database: Database, where: SQL | undefined, order: SQL[]) {
  return database
    .select({ id: threads.id })
    .from(threads)
    .where(where)
    .orderBy(...order)
    .limit(THREADS_PER_PAGE + 1)
    .offset(sql.placeholder("offset"))
    .as("on_page");
}

/** A page of threads in `order`, as a prepared statement taking the page's offset. */
function threadListStatement<Extra extends Record<string, SQL.Aliased | SQL> = Record<never, never>>(name: string, where: SQL | undefined, order: SQL[], extraColumns = {} as Extra) {
  return preparedStatement((database) => {
    const onPage = idsOnPage(database, where, order);
    return database
      .select({ ...THREAD_LIST_COLUMNS, ...extraColumns })
      .from(onPage)
      .innerJoin(threads, eq(threads.id, onPage.id))
      .innerJoin(author, eq(author.id, threads.authorId))
      .innerJoin(categories, eq(categories.id, threads.categoryId))
      .orderBy(...order)
      .prepare(name);
  });
}

const latestThreads = threadListStatement("latest_threads", isNull(threads.hiddenAt), [desc(threads.lastPostedAt), desc(threads.id)]);

const categoryThreads = threadListStatement("category_threads", and(isNull(threads.hiddenAt), eq(threads.categoryId, sql.placeholder("categoryId"))), [
  sql`(${threads.pinnedAt} is not null) desc`,
  desc(threads.lastPostedAt),
  desc(threads.id),
]);

const unansweredThreads = threadListStatement("unanswered_threads", waiting, [desc(threads.urgent), asc(threads.createdAt), asc(threads.id)], {
  waitingSeconds: sql<number>`extract(epoch from now() - ${threads.createdAt})::int`.mapWith(Number),
});

function onePage<Row>(rows: Row[]): { threads: Row[]; hasMore: boolean } {
  return { threads: rows.slice(0, THREADS_PER_PAGE), hasMore: rows.length > THREADS_PER_PAGE };
}

/** Latest threads, or one category's (pinned first), a page at a time; one query. */
export async function listThreads({ categoryId, page }: { categoryId?: number; page: number }) {
  const offset = (page - 1) * THREADS_PER_PAGE;
  return onePage(await (categoryId ? categoryThreads().execute({ categoryId, offset }) : latestThreads().execute({ offset })));
}

/** Questions still waiting for a first response from someone else: urgent first, then oldest. */
export async function listUnanswered({ page }: { page: number }) {
  return onePage(await unansweredThreads().execute({ offset: (page - 1) * THREADS_PER_PAGE }));
}

