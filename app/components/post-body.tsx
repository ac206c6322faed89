/**
 * A post's cooked body, sent once per page.
 *
 * A page's HTML holds every post's body in its markup. Remix would send each body a second time
 * in the page's hydration data, which for a thread of long answers is as heavy as the page
 * itself. So on a request for a whole page, the loader hands the bodies to the server's render
 * through the load context (`bodiesForMarkup`) and leaves them out of its data; in the browser,
 * they are read back from the markup before hydration (`bodiesInMarkup`). A client navigation's
 * data request carries the bodies in its data as usual.
 *
 * Reading a body back from the DOM and setting it again, should React ever render it anew,
 * gives the same elements: cooked HTML holds only plain elements (see markdown/render.ts), none
 * of those whose serialization can change their meaning (svg, math, style, noscript, template).
 */
import { createContext, useContext } from "react";

/** Cooked HTML by post id. */
export type PostBodies = Map<number, string>;

const BodiesInMarkup = createContext<PostBodies | null>(null);
export const PostBodiesProvider = BodiesInMarkup.Provider;

/** `bodyHtml` is null when the page's markup carries the body (see above). */
export function PostBody({ postId, bodyHtml }: { postId: number; bodyHtml: string | null }) {
  const inMarkup = useContext(BodiesInMarkup);
  return <div className="post__body" data-post-body={postId} dangerouslySetInnerHTML={{ __html: bodyHtml ?? inMarkup?.get(postId) ?? "" }} />;
}

/**
 * A post as a loader returns it: on a request for a whole page (`markup` present) its body moves
 * into `markup`, for the server's render, and out of the data.
 */
export function bodyLeftToMarkup<T extends { id: number; bodyHtml: string }>(post: T, markup: PostBodies | null): Omit<T, "bodyHtml"> & { bodyHtml: string | null } {
  if (!markup) return post;
  markup.set(post.id, post.bodyHtml);
  return { ...post, bodyHtml: null };
}

/** In the browser, before hydration: the bodies the server's markup carries. */
export function bodiesInMarkup(root: ParentNode): PostBodies {
  const bodies: PostBodies = new Map();
  for (const element of root.querySelectorAll<HTMLElement>("[data-post-body]")) bodies.set(Number(element.dataset.postBody), element.innerHTML);
  return bodies;
}
