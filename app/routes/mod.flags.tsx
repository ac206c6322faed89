import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Time } from "~/components/time";
import { requireStaff } from "~/lib/http.server";
import { threadPath } from "~/lib/paths";
import { reviewQueue } from "~/models/moderation.server";

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireStaff(context, request);
  const queue = await reviewQueue();
  return { queue: queue.map((item) => ({ ...item, path: threadPath({ id: item.threadId, slug: item.threadSlug }, item.postNumber) })) };
}

const REASONS = { spam: "Spam", off_topic: "Off topic", abusive: "Abusive", other: "Other" } as const;

export default function ReviewQueue() {
  const { queue } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>Review queue</h1>
      <p className="lead">Flagged posts, oldest first. Agree to keep the post hidden (its author is told), disagree to show it again, or ignore to close the flags without a verdict.</p>
      {queue.length === 0 ? (
        <p className="empty">Nothing to review.</p>
      ) : (
        <ol className="review-queue">
          {queue.map((item) => (
            <li key={item.postId} className="review-item">
              <article aria-labelledby={`review-${item.postId}`}>
                <h2 id={`review-${item.postId}`}>
                  Post by <Link to={`/u/${item.authorName}`}>{item.authorName}</Link> in <Link to={item.path}>{item.threadTitle}</Link>
                </h2>
                <p className="muted">
                  {item.hiddenAt ? "Hidden until reviewed. " : "Still visible. "}
                  First flagged <Time value={item.firstFlaggedAt} withTime />. Author: joined <Time value={item.authorJoined} />, {item.authorPosts} posts, {item.authorAgreedFlags} earlier posts hidden after flags
                  {item.authorSuspendedUntil ? ", currently suspended" : ""}.
                </p>
                <div className="post__body review-item__post" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
                <h3>Flags</h3>
                <ul className="plain-list">
                  {item.flags.map((flag, index) => (
                    <li key={index}>
                      <strong>{REASONS[flag.reason]}</strong> from {flag.flaggerName}, <Time value={flag.createdAt} withTime />
                      {flag.note ? <>: “{flag.note}”</> : null}
                    </li>
                  ))}
                </ul>
                <div className="post__actions">
                  {(["agree", "disagree", "ignore"] as const).map((decision) => (
                    <Form key={decision} method="post" action={`/mod/posts/${item.postId}`} className="inline-form">
                      <input type="hidden" name="intent" value={decision} />
                      <button type="submit" className={decision === "agree" ? "button--small" : "button--secondary button--small"}>
                        {decision === "agree" ? "Agree: keep hidden" : decision === "disagree" ? "Disagree: restore" : "Ignore"}
                      </button>
                    </Form>
                  ))}
                </div>
              </article>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
