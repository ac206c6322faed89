/**
 * Numbers of the forum itself, shared by the server and the pages (field limits, page sizes,
 * targets). The input shapes built from them are in forum-input.server.ts: zod stays on the server.
 */
export const TITLE_MIN = 8;
export const TITLE_MAX = 150;
export const BODY_MIN = 10;
/** A post's longest source; the markdown renderer refuses anything longer (markdown/render.ts). */
export const BODY_MAX = 30_000;
export const REPLY_MIN = 2;
export const EDIT_REASON_MAX = 300;
/** Reasons given for moderation actions and flags. */
export const REASON_MAX = 500;

/** Posts per thread page, and threads per list page. */
export const POSTS_PER_PAGE = 20;
export const THREADS_PER_PAGE = 30;
/**
 * Search results per page: fewer than a list's, as each carries a snippet and is read top-down
 * for the one that fits (Stack Exchange shows 15 too). It also halves the page's work.
 */
export const SEARCH_RESULTS_PER_PAGE = 15;
/** The deepest search page: past it, adding words finds more than paging on. */
export const SEARCH_PAGES = 100;
/**
 * How much of a thread's other replies search reads, besides its title, question and accepted
 * answer: the first 100 visible replies, up to 100,000 characters. Most threads fit whole; a
 * 10,000-reply thread would not fit in one tsvector (PostgreSQL's limit is 1 MB), and rebuilding
 * its document on every reply would cost more than the reply itself. Migration 0011 rebuilt the
 * documents of existing threads with these numbers: changing them needs a migration that does so
 * again.
 */
export const SEARCHED_REPLIES = { count: 100, characters: 100_000 } as const;

/** First-response targets (DESIGN.md): an hour for urgent threads, a day for all. */
export const FIRST_RESPONSE_TARGET_SECONDS = { urgent: 60 * 60, normal: 24 * 60 * 60 } as const;

export const SUSPENSION_LENGTHS = { "24h": "24 hours", "72h": "72 hours", "7d": "7 days", "30d": "30 days", permanent: "permanently" } as const;
export type SuspensionLength = keyof typeof SUSPENSION_LENGTHS;

/** A trusted moderator (DESIGN.md): this many accepted answers in the rolling period. */
export const TRUSTED_MODERATOR = { periodDays: 90, minAccepted: 10 } as const;

export function responseTargetSeconds(urgent: boolean): number {
  return urgent ? FIRST_RESPONSE_TARGET_SECONDS.urgent : FIRST_RESPONSE_TARGET_SECONDS.normal;
}

/** A readable, stable URL part from a title, in any script; "thread" when nothing is left. */
export function slugify(title: string): string {
  const slug = title
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return slug || "thread";
}

/** "3 h 20 min", "2 d 4 h": how long something has waited, for lists. */
export function formatDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1) return "under a minute";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}
