import { Link, useLocation } from "@remix-run/react";
import { withPage } from "~/lib/params";
import { formatDuration, responseTargetSeconds } from "~/models/forum-rules";

export interface ThreadListItem {
  id: number;
  title: string;
  slug: string;
  urgent: boolean;
  replyCount: number;
  solved: boolean;
  pinned?: boolean;
  locked?: boolean;
  authorName: string;
  categoryName: string;
  categorySlug: string;
  createdAt: string | Date;
  lastPostedAt?: string | Date;
  firstResponseAt: string | Date | null;
  /** Seconds since asking, for threads still waiting for an answer. */
  waitingSeconds?: number;
}

export function ThreadList({ threads, showCategory = true, now }: { threads: ThreadListItem[]; showCategory?: boolean; now: number }) {
  if (threads.length === 0) return <p className="empty">No threads here yet.</p>;
  return (
    <ol className="thread-list">
      {threads.map((thread) => {
        const waiting = thread.firstResponseAt ? null : thread.waitingSeconds ?? Math.max(0, Math.floor((now - new Date(thread.createdAt).getTime()) / 1000));
        const breached = waiting !== null && waiting > responseTargetSeconds(thread.urgent);
        return (
          <li key={thread.id} className="thread-list__item">
            <div className="thread-list__main">
              <Link to={`/t/${thread.id}/${thread.slug}`} className="thread-list__title">
                {thread.title}
              </Link>
              <div className="thread-list__badges">
                {thread.pinned ? <span className="badge">Pinned</span> : null}
                {thread.solved ? <span className="badge badge--solved">Solved</span> : null}
                {thread.urgent ? <span className="badge badge--urgent">Urgent</span> : null}
                {thread.locked ? <span className="badge">Locked</span> : null}
              </div>
              <p className="thread-list__meta">
                {showCategory ? (
                  <>
                    <Link to={`/c/${thread.categorySlug}`}>{thread.categoryName}</Link> ·{" "}
                  </>
                ) : null}
                asked by <Link to={`/u/${thread.authorName}`}>{thread.authorName}</Link> on <Time value={thread.createdAt} />
              </p>
            </div>
            <div className="thread-list__figures">
              <span>
                {thread.replyCount} {thread.replyCount === 1 ? "reply" : "replies"}
              </span>
              {waiting !== null ? (
                <span className={breached ? "waiting waiting--breached" : "waiting"}>
                  {breached ? "Past target: " : "Waiting "}
                  {formatDuration(waiting)}
                </span>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

// Made once: building a formatter per date is most of the cost of formatting one.
const DAY = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** A date in UTC, the same on server and browser so hydration agrees. */
export function Time({ value, withTime = false }: { value: string | Date; withTime?: boolean }) {
  const date = new Date(value);
  const text = withTime ? `${date.toISOString().slice(0, 16).replace("T", " ")} UTC` : DAY.format(date);
  return <time dateTime={date.toISOString()}>{text}</time>;
}

/**
 * Previous / next links. By default they keep the current address and query (filters, search
 * words) and change only `page`.
 */
export function Pagination({ page, hasMore, pages, makeLink }: { page: number; hasMore?: boolean; pages?: number; makeLink?: (page: number) => string }) {
  const location = useLocation();
  const linkTo = makeLink ?? ((n: number) => withPage(new URL(`${location.pathname}${location.search}`, "http://local"), n));
  const next = pages ? page < pages : hasMore;
  if (page <= 1 && !next) return null;
  return (
    <nav aria-label="Pages" className="pagination">
      {page > 1 ? (
        <Link to={linkTo(page - 1)} rel="prev">
          ← Previous
        </Link>
      ) : null}
      <span>
        Page {page}
        {pages ? ` of ${pages}` : ""}
      </span>
      {next ? (
        <Link to={linkTo(page + 1)} rel="next">
          Next →
        </Link>
      ) : null}
    </nav>
  );
}
