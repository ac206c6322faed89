import { POSTS_PER_PAGE } from "~/models/forum-rules";

/**
 * A thread's address, or a post's: the page it is on and its anchor. The slug is kept in the
 * title's own script ("zażółć-gęślą-jaźń") and percent-encoded here, the one place every link and
 * redirect gets it from: a Location header must be ASCII (Headers.set refuses anything above
 * U+00FF), and browsers show the encoded address decoded again.
 */
export function threadPath(thread: { id: number; slug: string }, postNumber?: number): string {
  const path = `/t/${thread.id}/${encodeURIComponent(thread.slug)}`;
  if (!postNumber || postNumber === 1) return path;
  const page = Math.ceil(postNumber / POSTS_PER_PAGE);
  return `${path}${page > 1 ? `?page=${page}` : ""}#post-${postNumber}`;
}
