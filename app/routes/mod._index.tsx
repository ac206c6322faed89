import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Time } from "~/components/time";
import { requireStaff } from "~/lib/http.server";
import { threadPath } from "~/lib/paths";
import { moderatorHome } from "~/models/moderation.server";

export async function loader({ context, request }: LoaderFunctionArgs) {
  const actor = requireStaff(context, request);
  const home = await moderatorHome(actor);
  return { ...home, recentFlags: home.recentFlags.map((f) => ({ ...f, path: threadPath({ id: f.threadId, slug: f.threadSlug }, f.postNumber) })) };
}

const REASONS = { spam: "spam", off_topic: "off topic", abusive: "abusive", other: "other" } as const;

export default function ModeratorHome() {
  const home = useLoaderData<typeof loader>();
  const qualifies = home.acceptedInPeriod >= home.minAccepted;
  return (
    <section>
      <h1>Moderator home</h1>
      <dl className="figures">
        <div>
          <dt>Posts waiting for review</dt>
          <dd>
            <Link to="/mod/flags">{home.queuedPosts}</Link>
          </dd>
        </div>
        <div>
          <dt>Unanswered past target</dt>
          <dd>
            <Link to="/unanswered">{home.breachedThreads}</Link>
          </dd>
        </div>
        <div>
          <dt>Your accepted answers, last {home.periodDays} days</dt>
          <dd>
            {home.acceptedInPeriod} <span className="muted">/ {home.minAccepted}</span>
          </dd>
        </div>
      </dl>
      <p className={qualifies ? "notice" : "notice notice--warning"}>
        {qualifies
          ? `With ${home.acceptedInPeriod} accepted answers in the last ${home.periodDays} days you are a trusted moderator for this period.`
          : `${home.minAccepted - home.acceptedInPeriod} more accepted answers in the last ${home.periodDays} days make you a trusted moderator, eligible for hosting credit.`}{" "}
        <Link to="/account/rewards">Your rewards</Link>
      </p>
      <h2>Recent flags</h2>
      {home.recentFlags.length === 0 ? (
        <p className="empty">No flags waiting. Nice and quiet.</p>
      ) : (
        <ul className="plain-list">
          {home.recentFlags.map((flag, index) => (
            <li key={index}>
              {flag.flaggerName} flagged a post as {REASONS[flag.reason]} in <Link to={flag.path}>{flag.threadTitle}</Link> · <Time value={flag.createdAt} withTime />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
