/**
 * Posting limits by trust level (after Discourse's TL0): new accounts post slowly, with few
 * links, while they prove themselves; everyone else has looser limits; staff have none. The
 * numbers are admin settings; usage is counted from the posts themselves, so the limits hold
 * across app instances with nothing extra stored.
 */
import { sql } from "drizzle-orm";
import type { Executor } from "~db/client";
import { rowsOf } from "~db/rows";
import { describeWait } from "~/auth/rate-limit.server";
import { isNewAccount, isStaff, type Actor } from "./permissions";
import type { PostingLimits } from "./settings.server";

export type PostingCheck = { ok: true } | { ok: false; message: string; retryAfterSeconds?: number };

/** Links in cooked HTML that readers can follow, however the markdown spelled them. */
export function countLinks(html: string): number {
  return (html.match(/<a\s[^>]*\bhref=/g) ?? []).length;
}

/** The links a post may hold at the actor's trust level: for a new post and for an edit alike. */
export function checkLinkLimit(actor: Actor, html: string, allLimits: PostingLimits): PostingCheck {
  if (isStaff(actor)) return { ok: true };
  const isNew = isNewAccount(actor);
  const { linksPerPost } = isNew ? allLimits.new : allLimits.established;
  if (countLinks(html) <= linksPerPost) return { ok: true };
  return { ok: false, message: `${isNew ? "New members" : "Members"} can include at most ${linksPerPost} links in a post. Remove some and try again.` };
}

/**
 * Whether the member may post now. Call inside the posting transaction after locking the
 * member's row, so that two quick posts cannot both slip under a limit; read the limits before
 * the transaction (PGlite has one connection, which the transaction holds).
 */
export async function checkPostingAllowance(tx: Executor, actor: Actor, kind: "thread" | "reply", html: string, allLimits: PostingLimits): Promise<PostingCheck> {
  if (isStaff(actor)) return { ok: true };
  const links = checkLinkLimit(actor, html, allLimits);
  if (!links.ok) return links;
  const isNew = isNewAccount(actor);
  const limits = isNew ? allLimits.new : allLimits.established;
  const result = await tx.execute(sql`
    select
      (select extract(epoch from now() - max(created_at)) from posts where author_id = ${actor.id}) as since_last,
      (select count(*) from threads where author_id = ${actor.id} and created_at > now() - interval '1 day') as threads_today,
      (select min(created_at) from threads where author_id = ${actor.id} and created_at > now() - interval '1 day') as first_thread_today,
      (select count(*) from posts where author_id = ${actor.id} and post_number > 1 and created_at > now() - interval '1 day') as replies_today,
      (select min(created_at) from posts where author_id = ${actor.id} and post_number > 1 and created_at > now() - interval '1 day') as first_reply_today`);
  const [row] = rowsOf<{ since_last: string | null; threads_today: string; first_thread_today: string | Date | null; replies_today: string; first_reply_today: string | Date | null }>(result);
  if (!row) throw new Error("posting allowance query returned no row");
  const sinceLast = row.since_last === null ? Infinity : Number(row.since_last);
  if (sinceLast < limits.secondsBetweenPosts) {
    const wait = Math.ceil(limits.secondsBetweenPosts - sinceLast);
    return { ok: false, message: `You are posting quickly. You can post again in ${describeWait(wait)}.`, retryAfterSeconds: wait };
  }
  const dayLimit = (count: number, max: number, firstToday: string | Date | null, what: string): PostingCheck => {
    if (count < max) return { ok: true };
    const wait = firstToday ? Math.max(1, Math.ceil((new Date(firstToday).getTime() + 86_400_000 - Date.now()) / 1000)) : 86_400;
    return { ok: false, message: `You have reached the limit of ${max} ${what} a day${isNew ? " for new members" : ""}. You can post again in ${describeWait(wait)}.`, retryAfterSeconds: wait };
  };
  if (kind === "thread") return dayLimit(Number(row.threads_today), limits.threadsPerDay, row.first_thread_today, "new threads");
  return dayLimit(Number(row.replies_today), limits.repliesPerDay, row.first_reply_today, "replies");
}
