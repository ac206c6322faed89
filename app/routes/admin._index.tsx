import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BarChart, ChartNumbers, ColumnChart, formatMoneyTick, formatShare } from "~/components/charts";
import { dayAndMonth, dayMonthAndYear, monthAndYear, monthLabels, shortMonth, utcDay } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { Time } from "~/components/time";
import { requireAdmin } from "~/lib/http.server";
import { adminOverview } from "~/models/admin-overview.server";
import { adminDashboard, type CurrencySpend, type Money, type ModeratorGrants, type WeeklyFirstResponse } from "~/models/dashboard.server";
import { FIRST_RESPONSE_TARGET_SECONDS, formatDuration } from "~/models/forum-rules";

export const meta: MetaFunction = () => [{ title: "Dashboard · Admin · HostHelp" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  const [overview, dashboard] = await Promise.all([adminOverview(), adminDashboard()]);
  return { ...overview, dashboard, smtpConfigured: Boolean(process.env.SMTP_URL) };
}

export default function AdminOverview() {
  const overview = useLoaderData<typeof loader>();
  const { dashboard } = overview;
  return (
    <section>
      <h1>Admin</h1>
      <dl className="figures">
        <div>
          <dt>Members</dt>
          <dd>{overview.members}</dd>
        </div>
        <div>
          <dt>Moderators</dt>
          <dd>{overview.moderators}</dd>
        </div>
        <div>
          <dt>Admins</dt>
          <dd>{overview.admins}</dd>
        </div>
        <div>
          <dt>Emails waiting</dt>
          <dd>{overview.emailPending}</dd>
        </div>
      </dl>
      {overview.smtpConfigured ? null : (
        <p className="notice notice--warning">
          Email is not configured (<code>SMTP_URL</code> is unset). Messages such as password reset links wait in the outbox and are written to the server log instead of being sent.
        </p>
      )}
      {overview.emailFailed > 0 ? <p className="notice notice--warning">{overview.emailFailed} emails could not be delivered after 3 days of retries.</p> : null}
      <RewardSpend spend={dashboard.spend} />
      <GrantsPerModerator grants={dashboard.grants} periodDays={dashboard.rewardPeriodDays} />
      <FirstResponse weeks={dashboard.firstResponse} />
    </section>
  );
}

function RewardSpend({ spend }: { spend: CurrencySpend[] }) {
  return (
    <section aria-labelledby="reward-spend" className="dashboard-panel">
      <h2 id="reward-spend">Reward spend per month</h2>
      <p className="dashboard-panel__lead">Credit granted in each of the last 12 months, less what was revoked that month. Each currency has a chart of its own.</p>
      {spend.length === 0 ? <p className="empty">No credit was granted or revoked in the last 12 months.</p> : null}
      {spend.map(({ currency, months }) => {
        const title = `Net reward credit per month in ${currency}`;
        return (
          <figure key={currency} className="chart-figure">
            <ColumnChart
              title={title}
              description={`Columns for each month from ${monthName(months[0]!.month)} to ${monthName(months.at(-1)!.month)}; the table below has the figures.`}
              columns={months.map((row, i) => ({
                key: row.month,
                label: shortMonth(utcDay(row.month)),
                sublabel: i === 0 || row.month.endsWith("-01-01") ? row.month.slice(0, 4) : undefined,
                name: monthName(row.month),
                value: Number(row.net),
                valueText: formatMoney(row.net, currency),
              }))}
              formatTick={(value) => formatMoneyTick(value, currency)}
            />
            <ChartNumbers caption={title}>
              <thead>
                <tr>
                  <th scope="col">Month</th>
                  <th scope="col">Granted</th>
                  <th scope="col">Revoked</th>
                  <th scope="col">Net</th>
                </tr>
              </thead>
              <tbody>
                {months.map((row) => (
                  <tr key={row.month}>
                    <th scope="row">{monthName(row.month)}</th>
                    <td>{formatMoney(row.granted, currency)}</td>
                    <td>{formatMoney(row.revoked, currency)}</td>
                    <td>{formatMoney(row.net, currency)}</td>
                  </tr>
                ))}
              </tbody>
            </ChartNumbers>
          </figure>
        );
      })}
    </section>
  );
}

function GrantsPerModerator({ grants, periodDays }: { grants: ModeratorGrants[]; periodDays: number }) {
  const period = `Last ${periodDays} days`;
  const title = "Grants per moderator";
  return (
    <section aria-labelledby="grants-per-moderator" className="dashboard-panel">
      <h2 id="grants-per-moderator">{title}</h2>
      <p className="dashboard-panel__lead">Grants that still stand (revoked ones left out), in the reward period of {periodDays} days and all time.</p>
      {grants.length === 0 ? (
        <p className="empty">No grants yet.</p>
      ) : (
        <figure className="chart-figure">
          <BarChart
            title={title}
            description={`A bar for each of ${grants.length} moderators: all their grants, the part made in the last ${periodDays} days darker; the table below has the figures and amounts.`}
            bars={grants.map((moderator) => ({
              key: String(moderator.memberId),
              label: moderator.username,
              value: moderator.allTime.grants,
              part: moderator.period.grants,
              valueText: `${moderator.allTime.grants} (${moderator.period.grants} in period)`,
            }))}
            legend={{ value: "All time", part: period }}
            formatTick={(value) => String(value)}
          />
          <ChartNumbers caption={title}>
            <thead>
              <tr>
                <th scope="col">Moderator</th>
                <th scope="col">Grants, {period.toLowerCase()}</th>
                <th scope="col">Amount, {period.toLowerCase()}</th>
                <th scope="col">Grants, all time</th>
                <th scope="col">Amount, all time</th>
              </tr>
            </thead>
            <tbody>
              {grants.map((moderator) => (
                <tr key={moderator.memberId}>
                  <th scope="row">
                    <Link to={`/u/${moderator.username}`}>{moderator.username}</Link>
                  </th>
                  <td>{moderator.period.grants}</td>
                  <td>{moneyList(moderator.period.amounts)}</td>
                  <td>{moderator.allTime.grants}</td>
                  <td>{moneyList(moderator.allTime.amounts)}</td>
                </tr>
              ))}
            </tbody>
          </ChartNumbers>
        </figure>
      )}
    </section>
  );
}

function FirstResponse({ weeks }: { weeks: WeeklyFirstResponse[] }) {
  const medianTitle = "Median first response per week";
  const shareTitle = "Share answered within target per week";
  const span = `for threads asked in the weeks from ${dayAndMonth(utcDay(weeks[0]!.week))} to ${dayAndMonth(utcDay(weeks.at(-1)!.week))}`;
  // Each week by its day alone, with the months under it: a dozen "21 Sept" labels would run into each other.
  const months = monthLabels(weeks.map((week) => week.week));
  const columns = (value: (week: WeeklyFirstResponse) => number | null, text: (value: number) => string) =>
    weeks.map((week, i) => {
      const figure = value(week);
      return {
        key: week.week,
        label: String(utcDay(week.week).getUTCDate()),
        sublabel: months[i],
        name: `week of ${dayMonthAndYear(utcDay(week.week))}`,
        value: figure,
        valueText: figure === null ? "no data" : text(figure),
      };
    });
  const nothingToMeasure = weeks.every((week) => week.answered + week.waitingPastTarget + week.waitingWithinTarget === 0);
  return (
    <section aria-labelledby="first-response" className="dashboard-panel">
      <h2 id="first-response">First response</h2>
      <p className="dashboard-panel__lead">
        How long threads waited for a reply from someone other than their asker, by the week they were asked (hidden threads left out). The target is{" "}
        {formatDuration(FIRST_RESPONSE_TARGET_SECONDS.urgent)} for urgent threads and {formatDuration(FIRST_RESPONSE_TARGET_SECONDS.normal)} for others. A thread still
        waiting past its target counts as a miss; one still waiting within its target is not counted yet. The median is over the threads answered.
      </p>
      {nothingToMeasure ? (
        <p className="empty">No threads were asked in the last 12 weeks.</p>
      ) : (
        <figure className="chart-figure">
          <ColumnChart
            title={medianTitle}
            description={`Columns for the median time to a first response, in hours, ${span}; the table below has the figures.`}
            // Hours make round ticks; seconds would step in odd minutes.
            columns={columns((week) => (week.medianSeconds === null ? null : week.medianSeconds / 3600), (hours) => formatDuration(hours * 3600))}
            formatTick={formatHoursTick}
          />
          <ColumnChart
            title={shareTitle}
            description={`Columns for the share of threads answered within target, ${span}; the table below has the figures.`}
            columns={columns((week) => week.withinTargetShare, formatShare)}
            formatTick={formatShare}
            domainMax={1}
          />
          <ChartNumbers caption="First response per week">
            <thead>
              <tr>
                <th scope="col">Week of</th>
                <th scope="col">Median first response</th>
                <th scope="col">Share within target</th>
                <th scope="col">Answered</th>
                <th scope="col">Answered within target</th>
                <th scope="col">Waiting past target</th>
                <th scope="col">Waiting, not yet counted</th>
              </tr>
            </thead>
            <tbody>
              {weeks.map((week) => (
                <tr key={week.week}>
                  <th scope="row">
                    <Time value={week.week} />
                  </th>
                  <td>{week.medianSeconds === null ? "–" : formatDuration(week.medianSeconds)}</td>
                  <td>{week.withinTargetShare === null ? "–" : formatShare(week.withinTargetShare)}</td>
                  <td>{week.answered}</td>
                  <td>{week.answeredWithinTarget}</td>
                  <td>{week.waitingPastTarget}</td>
                  <td>{week.waitingWithinTarget}</td>
                </tr>
              ))}
            </tbody>
          </ChartNumbers>
        </figure>
      )}
    </section>
  );
}

// Dates here are UTC days the dashboard model hands over as YYYY-MM-DD.
function monthName(day: string): string {
  return monthAndYear(utcDay(day));
}

/** Axis ticks for durations in hours: "30 min", "1.5 h", "48 h" (days would make odd steps). */
function formatHoursTick(hours: number): string {
  if (hours === 0) return "0";
  return hours < 1 ? `${Math.round(hours * 60)} min` : `${hours} h`;
}

function moneyList(amounts: Money[]): string {
  return amounts.length === 0 ? "–" : amounts.map((money) => formatMoney(money.amount, money.currency)).join(" + ");
}
