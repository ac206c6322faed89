/**
 * The admin dashboard's figures: reward spend per month, grants per moderator, and first-response
 * times per week. Each is one aggregate query; the sums stay SQL numerics and travel as strings,
 * so money is never rounded through floating point.
 */
import { and, type AnyColumn, eq, gt, gte, isNull, lte, type SQL, sql } from "drizzle-orm";
import { db } from "~db/client";
import { members, rewardGrants, rewardLedger, rewardRevocations, threads } from "~db/schema";
import { isQuestion, targetSeconds } from "./response-targets.server";
import { getSetting } from "./settings.server";
import { utcDay } from "~/lib/dates";

export const SPEND_MONTHS = 12;
export const FIRST_RESPONSE_WEEKS = 12;

/** A sum of money exactly as PostgreSQL computed it, e.g. "150.00". */
export interface Money {
  amount: string;
  currency: string;
}

export interface MonthlySpend {
  /** The first day of the month (UTC), as YYYY-MM-DD. */
  month: string;
  granted: string;
  /** What revocations in this month took back: zero or negative. */
  revoked: string;
  net: string;
}

/** One currency's spend, a row for each of the last SPEND_MONTHS months, oldest first. */
export interface CurrencySpend {
  currency: string;
  months: MonthlySpend[];
}

export interface GrantTotals {
  grants: number;
  /** One sum per currency the moderator was granted in. */
  amounts: Money[];
}

/** A moderator's grants that still stand (revoked ones left out). */
export interface ModeratorGrants {
  memberId: number;
  username: string;
  period: GrantTotals;
  allTime: GrantTotals;
}

export interface WeeklyFirstResponse {
  /** The Monday (UTC) that starts the week the threads were asked in, as YYYY-MM-DD. */
  week: string;
  answered: number;
  answeredWithinTarget: number;
  /** Still unanswered and past their target: misses already. */
  waitingPastTarget: number;
  /** Still unanswered but within their target: not counted until answered or past target. */
  waitingWithinTarget: number;
  /** Median seconds to the first response, over the threads answered; null when none was. */
  medianSeconds: number | null;
  /** Answered within target ÷ (answered + waiting past target); null when nothing counts yet. */
  withinTargetShare: number | null;
}

export interface AdminDashboard {
  asOf: string;
  rewardPeriodDays: number;
  spend: CurrencySpend[];
  grants: ModeratorGrants[];
  firstResponse: WeeklyFirstResponse[];
}

/**
 * The dashboard as of `asOf` (now, unless a test fixes the moment): rows after it are left out.
 * Four SQL statements, side by side: the reward period setting, and an aggregate per chart.
 */
export async function adminDashboard(asOf: Date = new Date()): Promise<AdminDashboard> {
  const rewardProgram = getSetting("reward_program");
  const [{ periodDays }, spend, grants, firstResponse] = await Promise.all([
    rewardProgram,
    rewardSpendByMonth(asOf),
    // Only the grants wait for the setting, which holds the reward period.
    rewardProgram.then(({ periodDays }) => grantsPerModerator(asOf, new Date(asOf.getTime() - periodDays * DAY_MS))),
    firstResponseByWeek(asOf),
  ]);
  return { asOf: asOf.toISOString(), rewardPeriodDays: periodDays, spend, grants, firstResponse };
}

/**
 * Net credit per month and currency from the ledger. A revocation counts in the month it was made
 * (the ledger's own date), so a month's figure never changes once the month is over.
 */
export async function rewardSpendByMonth(asOf: Date): Promise<CurrencySpend[]> {
  const months = monthStarts(asOf, SPEND_MONTHS);
  const month = sql<string>`to_char(date_trunc('month', ${rewardLedger.createdAt} at time zone 'UTC'), 'YYYY-MM-DD')`;
  const rows = await db()
    .select({
      month,
      currency: rewardLedger.currency,
      granted: exactSum(rewardLedger.amount, sql`${rewardLedger.kind} = 'grant'`),
      revoked: exactSum(rewardLedger.amount, sql`${rewardLedger.kind} = 'revoke'`),
      net: exactSum(rewardLedger.amount),
    })
    .from(rewardLedger)
    .where(and(gte(rewardLedger.createdAt, utcDay(months[0]!)), lte(rewardLedger.createdAt, asOf)))
    .groupBy(month, rewardLedger.currency);

  const currencies = [...new Set(rows.map((row) => row.currency))].sort();
  return currencies.map((currency) => ({
    currency,
    months: months.map((start) => {
      const row = rows.find((r) => r.currency === currency && r.month === start);
      return { month: start, granted: row?.granted ?? ZERO, revoked: row?.revoked ?? ZERO, net: row?.net ?? ZERO };
    }),
  }));
}

/**
 * Grants that still stand, per moderator who received them: in the reward period (after
 * `periodStart`) and all time, counted and summed per currency. Busiest in the period first.
 */
export async function grantsPerModerator(asOf: Date, periodStart: Date): Promise<ModeratorGrants[]> {
  const inPeriod = gt(rewardGrants.createdAt, periodStart);
  const rows = await db()
    .select({
      memberId: rewardGrants.memberId,
      username: members.username,
      currency: rewardGrants.currency,
      periodGrants: sql<number>`count(*) filter (where ${inPeriod})`.mapWith(Number),
      periodAmount: exactSum(rewardGrants.creditAmount, inPeriod),
      allTimeGrants: sql<number>`count(*)`.mapWith(Number),
      allTimeAmount: exactSum(rewardGrants.creditAmount),
    })
    .from(rewardGrants)
    .innerJoin(members, eq(members.id, rewardGrants.memberId))
    .leftJoin(rewardRevocations, and(eq(rewardRevocations.grantId, rewardGrants.id), lte(rewardRevocations.createdAt, asOf)))
    .where(and(isNull(rewardRevocations.grantId), lte(rewardGrants.createdAt, asOf)))
    .groupBy(rewardGrants.memberId, members.username, rewardGrants.currency)
    .orderBy(rewardGrants.currency);

  const byMember = new Map<number, ModeratorGrants>();
  for (const row of rows) {
    const moderator = byMember.get(row.memberId) ?? {
      memberId: row.memberId,
      username: row.username,
      period: { grants: 0, amounts: [] },
      allTime: { grants: 0, amounts: [] },
    };
    moderator.allTime.grants += row.allTimeGrants;
    moderator.allTime.amounts.push({ amount: row.allTimeAmount, currency: row.currency });
    if (row.periodGrants > 0) {
      moderator.period.grants += row.periodGrants;
      moderator.period.amounts.push({ amount: row.periodAmount, currency: row.currency });
    }
    byMember.set(row.memberId, moderator);
  }
  return [...byMember.values()].sort(
    (a, b) => b.period.grants - a.period.grants || b.allTime.grants - a.allTime.grants || a.username.localeCompare(b.username),
  );
}

/**
 * First responses for the questions asked in each of the last FIRST_RESPONSE_WEEKS weeks (hidden
 * and merged threads and announcements left out). A thread answered within its target (FIRST_RESPONSE_TARGET_SECONDS:
 * an hour when urgent, a day otherwise) is a hit; answered later, or still waiting past its target,
 * a miss. A thread still waiting within its target counts for neither until one of those happens.
 */
export async function firstResponseByWeek(asOf: Date): Promise<WeeklyFirstResponse[]> {
  const weeks = weekStarts(asOf, FIRST_RESPONSE_WEEKS);
  const week = sql<string>`to_char(date_trunc('week', ${threads.createdAt} at time zone 'UTC'), 'YYYY-MM-DD')`;
  const responseSeconds = sql`extract(epoch from ${threads.firstResponseAt} - ${threads.createdAt})`;
  const waitedSeconds = sql`extract(epoch from ${asOf.toISOString()}::timestamptz - ${threads.createdAt})`;
  const answered = sql`${threads.firstResponseAt} is not null`;
  const waiting = sql`${threads.firstResponseAt} is null`;
  const rows = await db()
    .select({
      week,
      answered: sql<number>`count(*) filter (where ${answered})`.mapWith(Number),
      answeredWithinTarget: sql<number>`count(*) filter (where ${responseSeconds} <= ${targetSeconds})`.mapWith(Number),
      waitingPastTarget: sql<number>`count(*) filter (where ${waiting} and ${waitedSeconds} > ${targetSeconds})`.mapWith(Number),
      waitingWithinTarget: sql<number>`count(*) filter (where ${waiting} and ${waitedSeconds} <= ${targetSeconds})`.mapWith(Number),
      medianSeconds: sql<number | null>`percentile_cont(0.5) within group (order by ${responseSeconds}) filter (where ${answered})`.mapWith(
        (value: unknown) => (value === null ? null : Number(value)),
      ),
    })
    .from(threads)
    .where(and(isNull(threads.hiddenAt), isQuestion, gte(threads.createdAt, utcDay(weeks[0]!)), lte(threads.createdAt, asOf)))
    .groupBy(week);

  return weeks.map((start) => {
    const row = rows.find((r) => r.week === start);
    const figures = row ?? { answered: 0, answeredWithinTarget: 0, waitingPastTarget: 0, waitingWithinTarget: 0, medianSeconds: null };
    const counted = figures.answered + figures.waitingPastTarget;
    return { ...figures, week: start, withinTargetShare: counted > 0 ? figures.answeredWithinTarget / counted : null };
  });
}

const DAY_MS = 24 * 60 * 60 * 1000;
const ZERO = "0.00";

/** sum() of a numeric(12,2) column (of the rows `filter` admits) as exact text; "0.00" when there is nothing to add. */
function exactSum(column: AnyColumn, filter?: SQL) {
  return sql<string>`coalesce(sum(${column})${filter ? sql` filter (where ${filter})` : sql``}, 0.00)::text`;
}

/** The first days (UTC) of the `count` months up to and including the one `asOf` falls in. */
export function monthStarts(asOf: Date, count: number): string[] {
  return Array.from({ length: count }, (_, i) => isoDay(new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() - (count - 1 - i), 1))));
}

/** The Mondays (UTC, as PostgreSQL's date_trunc('week') has them) of the last `count` weeks. */
export function weekStarts(asOf: Date, count: number): string[] {
  const daysSinceMonday = (asOf.getUTCDay() + 6) % 7;
  const thisMonday = Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), asOf.getUTCDate() - daysSinceMonday);
  return Array.from({ length: count }, (_, i) => isoDay(new Date(thisMonday - (count - 1 - i) * 7 * DAY_MS)));
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
