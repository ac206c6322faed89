/**
 * Dates in words, in UTC, spelled out here rather than left to Intl: browsers' and Node's locale
 * data differ ("Sep" or "Sept"), which would break hydration, and a page of posts formats dozens.
 */
const SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

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

/** "September 2026" */
export function monthAndYear(date: Date): string {
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}
