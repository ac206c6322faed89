/**
 * The thread lists of the home, category and unanswered pages, as HTML strings: thirty threads a
 * page were the largest part of those pages' server time through React, and were sent a second
 * time in the hydration data (see ~/lib/html.server and ~/components/server-markup). Links are
 * plain anchors, followed through the router by the page's click handler (useFollowLinks) and
 * marked with `data-discover` as <Link> would be.
 */
import { timeLabel } from "~/lib/dates";
import { html } from "~/lib/html.server";
import { threadPath } from "~/lib/paths";
import { formatDuration, responseTargetSeconds } from "~/models/forum-rules";
import type { ThreadListItem } from "~/models/threads.server";

/** A thread of a list, and for the unanswered queue the seconds it has waited, counted by PostgreSQL. */
type ListedThread = ThreadListItem & { waitingSeconds?: number };

/** `now`: when the list was read, for how long its threads have waited. */
export function threadListMarkup(threads: ListedThread[], { showCategory = true, now }: { showCategory?: boolean; now: number }): string {
  if (threads.length === 0) return html`<p class="empty">No threads here yet.</p>`.text;
  return html`<ol class="thread-list">${threads.map((thread) => {
    const waiting = thread.firstResponseAt || !thread.question ? null : thread.waitingSeconds ?? Math.max(0, Math.floor((now - new Date(thread.createdAt).getTime()) / 1000));
    const breached = waiting !== null && waiting > responseTargetSeconds(thread.urgent);
    const asked = timeLabel(thread.createdAt);
    return html`
      <li class="thread-list__item">
        <div class="thread-list__main">
          <a href="${threadPath(thread)}" class="thread-list__title" data-discover="true">${thread.title}</a>
          <div class="thread-list__badges">
            ${thread.pinned && html`<span class="badge">Pinned</span>`}
            ${thread.solved && html`<span class="badge badge--solved">Solved</span>`}
            ${thread.urgent && html`<span class="badge badge--urgent">Urgent</span>`}
            ${thread.locked && html`<span class="badge">Locked</span>`}
          </div>
          <p class="thread-list__meta">
            ${showCategory && html`<a href="/c/${thread.categorySlug}" data-discover="true">${thread.categoryName}</a> · `}
            asked by <a href="/u/${thread.authorName}" data-discover="true">${thread.authorName}</a> on <time datetime="${asked.iso}">${asked.text}</time>
          </p>
        </div>
        <div class="thread-list__figures">
          <span>${thread.replyCount} ${thread.replyCount === 1 ? "reply" : "replies"}</span>
          ${waiting !== null && html`<span class="${breached ? "waiting waiting--breached" : "waiting"}">${breached ? "Past target: " : "Waiting "}${formatDuration(waiting)}</span>`}
        </div>
      </li>`;
  })}</ol>`.text;
}
