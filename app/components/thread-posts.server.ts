/**
 * A thread page's posts, as HTML strings: the page's hot path (see ~/lib/html.server for why not
 * React). The markup is what the React component it replaced gave, but for the forms that post to
 * the page itself: they have no action attribute, which means the page's own address. The page
 * hydrates around it. Its links and forms work without JavaScript; with it, they go through the
 * router, from the thread page's click handler and from ServerMarkup (~/components/server-markup).
 * Links and forms carry `data-discover`, as Remix's <Link> and <Form> do, so that the routes they
 * lead to are known before they are followed.
 */
import { timeLabel } from "~/lib/dates";
import { html, trustedHtml, type Html } from "~/lib/html.server";
import { can, type Actor } from "~/models/permissions";
import type { PagePost, ThreadPage } from "~/models/threads.server";

/** Who is looking, and at which thread: what decides the badges and buttons. */
export interface PostsViewer {
  member: Actor | null;
  thread: ThreadPage["thread"];
}

export function postsMarkup(posts: PagePost[], viewer: PostsViewer): string {
  const canAccept = can(viewer.member, "answer:accept", { thread: viewer.thread });
  return posts.map((post) => postMarkup(post, viewer, canAccept).text).join("");
}

const ROLE_BADGES = { member: null, moderator: "Moderator", admin: "Admin" } as const;

function postMarkup(post: PagePost, { member, thread }: PostsViewer, canAccept: boolean): Html {
  const isAccepted = post.id === thread.acceptedPostId;
  const isQuestion = post.postNumber === 1;
  const showAccept = !isQuestion && canAccept;
  const showEdit = Boolean(member) && can(member, "post:edit", { post, thread });
  const showFlag = can(member, "post:flag", { post });
  // A question is hidden with its thread, so its own button only shows it again (after flags hid it).
  const showModerate = (!isQuestion || Boolean(post.hiddenAt)) && can(member, "thread:moderate");
  const className = `post${isAccepted ? " post--accepted" : ""}${post.hiddenAt ? " post--hidden" : ""}`;
  const role = ROLE_BADGES[post.authorRole];
  const created = timeLabel(post.createdAt, true);
  const edits = post.revisionCount - 1;
  return html`
    <article id="post-${post.postNumber}" class="${className}" aria-label="${isQuestion ? "Question" : `Answer by ${post.authorName}`}">
      <header class="post__header">
        <a href="/u/${post.authorName}" class="post__author" data-discover="true">${post.authorName}</a>
        ${role && html`<span class="badge badge--${post.authorRole}">${role}</span>`}
        <a href="#post-${post.postNumber}" class="post__date"><time datetime="${created.iso}">${created.text}</time></a>
        ${post.editedAt && html`<a href="/posts/${post.id}/revisions" class="post__edited" data-discover="true">edited (${edits} ${edits === 1 ? "time" : "times"})</a>`}
        ${isAccepted && html`<span class="badge badge--solved">Accepted answer</span>`}
        ${post.hiddenAt && html`<span class="badge badge--hidden">${post.hiddenReason === "flags" ? "Hidden after flags, awaiting review" : "Hidden"}</span>`}
      </header>
      <div class="post__body">${trustedHtml(post.bodyHtml)}</div>
      ${(showAccept || showEdit || showFlag || showModerate) && html`
        <footer class="post__actions">
          ${showAccept && (isAccepted ? withdrawForm() : acceptForm(post, thread.acceptedPostId, member))}
          ${showEdit && html`<a href="/posts/${post.id}/edit" class="button button--secondary button--small" data-discover="true">Edit</a>`}
          ${showFlag && html`<a href="/posts/${post.id}/flag" class="button button--secondary button--small" data-discover="true">Flag</a>`}
          ${showModerate && moderateForm(post)}
        </footer>`}
    </article>`;
}

function withdrawForm(): Html {
  return html`
    <form method="post" class="inline-form" data-discover="true">
      <input type="hidden" name="intent" value="unaccept">
      <button type="submit" class="button--secondary button--small">Withdraw acceptance</button>
    </form>`;
}

function acceptForm(post: PagePost, acceptedPostId: number | null, member: Actor | null): Html {
  // Quiet when another answer is accepted already, or for one's own reply (a self-accept, never counted).
  const quiet = acceptedPostId !== null || post.authorId === member?.id;
  return html`
    <form method="post" class="inline-form" data-discover="true">
      <input type="hidden" name="intent" value="accept">
      <input type="hidden" name="postId" value="${post.id}">
      <button type="submit" class="${quiet ? "button--secondary button--small" : "button--small"}">${acceptedPostId ? "Accept this answer instead" : "Accept this answer"}</button>
    </form>`;
}

function moderateForm(post: PagePost): Html {
  return html`
    <form method="post" action="/mod/posts/${post.id}" class="inline-form" data-discover="true">
      <input type="hidden" name="intent" value="${post.hiddenAt ? "restore" : "hide"}">
      <button type="submit" class="button--secondary button--small">${post.hiddenAt ? "Restore post" : "Hide post"}</button>
    </form>`;
}
