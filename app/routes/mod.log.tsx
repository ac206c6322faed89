import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Pagination } from "~/components/pagination";
import { Time } from "~/components/time";
import { utcDay } from "~/lib/dates";
import { forbidden, requireMember } from "~/lib/http.server";
import { pageParam, queryText } from "~/lib/params";
import { listLog, loggedActions } from "~/models/moderation-log.server";
import { can } from "~/models/permissions";

function dateParam(value: string | null): Date | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = utcDay(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  if (!can(member, "modlog:view")) forbidden("Only admins can read the moderation log.");
  const url = new URL(request.url);
  const text = (name: string) => queryText(url, name, 100) || undefined;
  const filters = { actor: text("actor"), action: text("action"), member: text("member"), from: text("from") ?? "", to: text("to") ?? "" };
  const to = dateParam(filters.to);
  const page = pageParam(url);
  const [{ entries, hasMore }, actions] = await Promise.all([
    listLog({ ...filters, from: dateParam(filters.from), to: to && new Date(to.getTime() + 86_400_000), page }),
    loggedActions(),
  ]);
  return { entries, hasMore, page, filters, actions };
}

export default function ModerationLog() {
  const { entries, hasMore, page, filters, actions } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>Moderation log</h1>
      <p className="lead">Every moderation and administration action, newest first. Entries are never changed or removed.</p>
      <Form method="get" className="search-form" aria-label="Filter the log">
        <div className="field">
          <label htmlFor="log-actor">Done by</label>
          <input id="log-actor" name="actor" defaultValue={filters.actor ?? ""} placeholder="username" />
        </div>
        <div className="field">
          <label htmlFor="log-action">Action</label>
          <select id="log-action" name="action" defaultValue={filters.action ?? ""}>
            <option value="">Any action</option>
            {actions.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="log-member">About member</label>
          <input id="log-member" name="member" defaultValue={filters.member ?? ""} placeholder="username" />
        </div>
        <div className="field">
          <label htmlFor="log-from">From</label>
          <input id="log-from" type="date" name="from" defaultValue={filters.from} />
        </div>
        <div className="field">
          <label htmlFor="log-to">To</label>
          <input id="log-to" type="date" name="to" defaultValue={filters.to} />
        </div>
        <button type="submit">Filter</button>
      </Form>
      {entries.length === 0 ? (
        <p className="empty">No entries match.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td>
                  <Time value={entry.createdAt} withTime />
                </td>
                <td>{entry.actorName ? <Link to={`/u/${entry.actorName}`}>{entry.actorName}</Link> : <span className="muted">system</span>}</td>
                <td>
                  <code>{entry.action}</code>
                </td>
                <td>
                  <TargetLink type={entry.targetType} id={entry.targetId} name={entry.targetName} />
                </td>
                <td>{entry.reason ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination page={page} hasMore={hasMore} />
    </section>
  );
}

function TargetLink({ type, id, name }: { type: string; id: string; name: string | null }) {
  if (type === "member" && name) return <Link to={`/u/${name}`}>{name}</Link>;
  if (type === "thread") return <Link to={`/t/${id}`}>thread {id}</Link>;
  if (type === "post") return <Link to={`/posts/${id}/open`}>post {id}</Link>;
  return (
    <span>
      {type} {id}
    </span>
  );
}
