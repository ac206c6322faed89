import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { leaderboard, PERIODS, type Period } from "~/models/answers.server";

export const meta: MetaFunction = () => [{ title: "Leaderboard · HostHelp" }];

const PERIOD_LABELS: Record<Period, string> = { "30d": "Last 30 days", "90d": "Last 90 days", all: "All time" };

export async function loader({ request }: LoaderFunctionArgs) {
  const asked = new URL(request.url).searchParams.get("period");
  const period: Period = asked && Object.hasOwn(PERIODS, asked) ? (asked as Period) : "30d";
  return { period, rows: await leaderboard(period) };
}

export default function Leaderboard() {
  const { period, rows } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>Leaderboard</h1>
      <p className="lead">Members by accepted answers. Answers people accept on their own questions, or accept themselves, do not count.</p>
      <nav aria-label="Period" className="subnav">
        {(Object.keys(PERIOD_LABELS) as Period[]).map((key) => (
          <Link key={key} to={`?period=${key}`} className={key === period ? "active" : undefined} aria-current={key === period ? "page" : undefined}>
            {PERIOD_LABELS[key]}
          </Link>
        ))}
      </nav>
      {rows.length === 0 ? (
        <p className="empty">No accepted answers in this period yet.</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">Accepted answers, {PERIOD_LABELS[period].toLowerCase()}</caption>
          <thead>
            <tr>
              <th scope="col">Rank</th>
              <th scope="col">Member</th>
              <th scope="col">Accepted answers</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={row.memberId}>
                <td>{index + 1}</td>
                <td>
                  <Link to={`/u/${row.username}`}>{row.username}</Link> {row.role !== "member" ? <span className={`badge badge--${row.role}`}>{row.role === "admin" ? "Admin" : "Moderator"}</span> : null}
                </td>
                <td>{row.accepted}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
