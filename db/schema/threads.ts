import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { categories } from "./categories";
import { members } from "./members";
import { tsvector } from "./types";

/**
 * A question and its answers. The question's body is post number 1; replies follow from 2.
 * Counters and "last activity" are kept here so that list pages read one row per thread.
 */
export const threads = pgTable(
  "threads",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    categoryId: integer("category_id")
      .notNull()
      .references(() => categories.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => members.id),
    title: text("title").notNull(),
    slug: text("slug").notNull(),
    urgent: boolean("urgent").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastPostedAt: timestamp("last_posted_at", { withTimezone: true }).notNull().defaultNow(),
    lastPosterId: integer("last_poster_id").references(() => members.id),
    replyCount: integer("reply_count").notNull().default(0),
    nextPostNumber: integer("next_post_number").notNull().default(2),
    // When the first reply by someone other than the author arrived (null: still waiting).
    firstResponseAt: timestamp("first_response_at", { withTimezone: true }),
    /** When moderators were told the thread waited past its first-response target. */
    breachAnnouncedAt: timestamp("breach_announced_at", { withTimezone: true }),
    acceptedPostId: integer("accepted_post_id").references((): AnyPgColumn => posts.id),
    acceptedAuthorId: integer("accepted_author_id").references(() => members.id),
    acceptedById: integer("accepted_by_id").references(() => members.id),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    // The answer's author asked the question or accepted it themselves: never counted.
    acceptedIsSelf: boolean("accepted_is_self").notNull().default(false),
    pinnedAt: timestamp("pinned_at", { withTimezone: true }),
    lockedAt: timestamp("locked_at", { withTimezone: true }),
    hiddenAt: timestamp("hidden_at", { withTimezone: true }),
    // A duplicate merged into another thread keeps its address, which leads to the other.
    mergedIntoId: integer("merged_into_id").references((): AnyPgColumn => threads.id),
    searchDocument: tsvector("search_document"),
  },
  (t) => [
    // The lists' orders end with the id, so that threads with the same time keep their places
    // from page to page (listThreads, listUnanswered); so do their indexes.
    index("threads_latest_idx").on(t.lastPostedAt.desc().nullsFirst(), t.id.desc().nullsFirst()).where(sql`${t.hiddenAt} is null`),
    // pinned_at itself last, so that PostgreSQL can read a page from the index alone (it does not
    // compute an expression's column from the expression): skipping to a deep page of a category
    // then walks index entries instead of fetching each skipped thread's row.
    index("threads_category_idx")
      .on(t.categoryId, sql`(${t.pinnedAt} is not null) desc`, t.lastPostedAt.desc().nullsFirst(), t.id.desc().nullsFirst(), t.pinnedAt)
      .where(sql`${t.hiddenAt} is null`),
    index("threads_unanswered_idx")
      .on(t.urgent.desc().nullsFirst(), t.createdAt, t.id)
      .where(sql`${t.firstResponseAt} is null and ${t.hiddenAt} is null`),
    // The accepted answers that count (countedAccepts in app/models/answers.server.ts), by time for
    // the leaderboards and by author for profiles and rewards. Each holds what the counts read,
    // the accepted post's id included, so that counting is an index-only scan (on pages vacuum
    // has marked all-visible): a busy member's profile counted hundreds of accepts a heap visit each.
    index("threads_accepted_idx")
      .on(t.acceptedAt, t.acceptedAuthorId, t.acceptedPostId)
      .where(sql`${t.acceptedPostId} is not null and not ${t.acceptedIsSelf} and ${t.hiddenAt} is null`),
    index("threads_accepted_author_idx")
      .on(t.acceptedAuthorId, t.acceptedAt, t.acceptedPostId)
      .where(sql`${t.acceptedPostId} is not null and not ${t.acceptedIsSelf} and ${t.hiddenAt} is null`),
    index("threads_author_idx").on(t.authorId, t.createdAt),
    // The dashboard's weekly first-response figures read the last few months of threads.
    index("threads_created_idx").on(t.createdAt).where(sql`${t.hiddenAt} is null`),
    // With the id beside the words (btree_gin), search finds the matches among the newest threads
    // in the index itself, walking only as much of a common word's long list of threads as the
    // window needs, rather than collecting all of it (SEARCH_WINDOW in app/models/search.server.ts).
    index("threads_search_idx").using("gin", t.searchDocument, t.id),
    check("threads_title_length", sql`char_length(${t.title}) between 1 and 200`),
  ],
);

export const posts = pgTable(
  "posts",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    threadId: integer("thread_id")
      .notNull()
      .references(() => threads.id, { onDelete: "cascade" }),
    postNumber: integer("post_number").notNull(),
    authorId: integer("author_id")
      .notNull()
      .references(() => members.id),
    bodySource: text("body_source").notNull(),
    // Sanitized HTML rendered once when the post is written ("cooked"); pages serve this.
    bodyHtml: text("body_html").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    editedAt: timestamp("edited_at", { withTimezone: true }),
    revisionCount: integer("revision_count").notNull().default(1),
    hiddenAt: timestamp("hidden_at", { withTimezone: true }),
    // Why it is hidden: "flags" (three members flagged it, awaiting review) or "moderator".
    hiddenReason: text("hidden_reason"),
  },
  (t) => [
    uniqueIndex("posts_thread_number_key").on(t.threadId, t.postNumber),
    index("posts_author_idx").on(t.authorId, t.createdAt),
    // Profiles count a member's visible answers: an index-only count instead of a heap visit per post.
    index("posts_visible_answers_by_author_idx").on(t.authorId).where(sql`${t.hiddenAt} is null and ${t.postNumber} > 1`),
    // The few hidden posts, for leaving hidden accepted answers out of counts without reading every post.
    index("posts_hidden_idx").on(t.id).where(sql`${t.hiddenAt} is not null`),
  ],
);

/** Every version of every post, the first included, with who wrote it and why. */
export const postRevisions = pgTable(
  "post_revisions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    postId: integer("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    revision: integer("revision").notNull(),
    editorId: integer("editor_id")
      .notNull()
      .references(() => members.id),
    // For the question (post 1): the thread title at that revision.
    title: text("title"),
    bodySource: text("body_source").notNull(),
    reason: text("reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    // Set when a later edit hid this revision's text (and title) from all but staff: it held
    // something private, such as a password pasted by mistake. Who and when stay public.
    textHiddenAt: timestamp("text_hidden_at", { withTimezone: true }),
    textHiddenById: integer("text_hidden_by_id").references(() => members.id),
  },
  (t) => [
    uniqueIndex("post_revisions_post_revision_key").on(t.postId, t.revision),
    check("post_revisions_text_hidden_check", sql`(${t.textHiddenAt} is null) = (${t.textHiddenById} is null)`),
  ],
);

/** Every accept and unaccept, in order: the record the figures are audited against. */
export const answerAccepts = pgTable(
  "answer_accepts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    threadId: integer("thread_id")
      .notNull()
      .references(() => threads.id, { onDelete: "cascade" }),
    postId: integer("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    action: text("action", { enum: ["accept", "unaccept"] }).notNull(),
    actorId: integer("actor_id")
      .notNull()
      .references(() => members.id),
    isSelfAccept: boolean("is_self_accept").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("answer_accepts_thread_idx").on(t.threadId, t.createdAt),
    check("answer_accepts_action_check", sql`${t.action} in ('accept', 'unaccept')`),
  ],
);

export const threadWatches = pgTable(
  "thread_watches",
  {
    threadId: integer("thread_id")
      .notNull()
      .references(() => threads.id, { onDelete: "cascade" }),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.memberId] }), index("thread_watches_member_idx").on(t.memberId)],
);
