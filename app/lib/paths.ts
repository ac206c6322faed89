import { POSTS_PER_PAGE } from "~/models/forum-rules";

/** A thread's address, or a post's: the page it is on and its anchor. */
export function threadPath(thread: { id: number; slug: string }, postNumber?: number): string {
  if (!postNumber || postNumber === 1) return `/t/${thread.id}/${thread.slug}`;
  const page = Math.ceil(postNumber / POSTS_PER_PAGE);
  return `/t/${thread.id}/${thread.slug}${page > 1 ? `?page=${page}` : ""}#post-${postNumber}`;
}
