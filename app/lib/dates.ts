/**
 * Dates in words, in UTC, spelled out here rather than left to Intl: browsers' and Node's locale
 * data differ ("Sep" or "Sept"), which would break hydration, and a page of posts formats dozens.
 */
const SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** The start, in UTC, of a day written YYYY-MM-DD. */
export function utcDay(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** "Sept" */
export function shortMonth(date: Date): string {
  return SHORT_MONTHS[date.getUTCMonth()]!;
}

/** "5 Sept" */
export function dayAndMonth(date: Date): string {
  return `${date.getUTCDate()} ${shortMonth(date)}`;
}

/** "5 Sept 2026" */
export function dayMonthAndYear(date: Date): string {
  return `${dayAndMonth(date)} ${date.getUTCFullYear()}`;
}

/**
 * What a <time> element holds: the ISO date for machines and, for readers, the day in words or,
 * `withTime`, the day and minute ("2026-09-05 14:03 UTC"). The same on server and browser.
 */
export function timeLabel(value: string | Date, withTime = false): { iso: string; text: string } {
  const date = new Date(value);
  const iso = date.toISOString();
  return { iso, text: withTime ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : dayMonthAndYear(date) };
}

/** "September 2026" */
export function monthAndYear(date: Date): string {
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/**
 * Labels for a run of weeks (their Mondays, YYYY-MM-DD) on a chart's axis: the month under the
 * first week of each, with the year under the first month shown and under January's. The first
 * week is labelled only when the second is in the same month: side by side, two labels would run
 * into each other.
 */
export function monthLabels(weeks: string[]): (string | undefined)[] {
  let yearShown: string | undefined;
  return weeks.map((week, i) => {
    const month = week.slice(0, 7);
    const startsMonth = i === 0 ? weeks.length === 1 || weeks[1]!.slice(0, 7) === month : weeks[i - 1]!.slice(0, 7) !== month;
    if (!startsMonth) return undefined;
    const year = week.slice(0, 4);
    const name = shortMonth(utcDay(week));
    if (year === yearShown) return name;
    yearShown = year;
    return `${name} ${year}`;
  });
}
