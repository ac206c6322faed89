import { timeLabel } from "~/lib/dates";

/** A date in UTC ("5 Sept 2026"), the same on server and browser so hydration agrees. */
export function Time({ value, withTime = false }: { value: string | Date; withTime?: boolean }) {
  const { iso, text } = timeLabel(value, withTime);
  return <time dateTime={iso}>{text}</time>;
}
