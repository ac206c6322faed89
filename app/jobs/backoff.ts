/** Retry timing for outbox deliveries: 30 s, doubling, capped at an hour, given up after 3 days. */
export const FIRST_RETRY_SECONDS = 30;
export const MAX_RETRY_SECONDS = 60 * 60;
export const GIVE_UP_AFTER_SECONDS = 3 * 24 * 60 * 60;

/** Seconds to wait after the given failed attempt (1 for the first). */
export function retryDelaySeconds(failedAttempts: number): number {
  const exponent = Math.max(0, failedAttempts - 1);
  // 2^7 * 30 s already passes the cap; stopping there keeps the arithmetic finite.
  return Math.min(FIRST_RETRY_SECONDS * 2 ** Math.min(exponent, 7), MAX_RETRY_SECONDS);
}
