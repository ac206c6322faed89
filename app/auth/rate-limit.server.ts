import { isIPv6 } from "node:net";
import { sql } from "drizzle-orm";
import { db } from "~db/client";
import { rateLimits } from "~db/schema";

export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowSeconds: number;
}

export const LIMITS = {
  signInPerAccount: { limit: 10, windowSeconds: 15 * 60 },
  signInPerIp: { limit: 50, windowSeconds: 15 * 60 },
  passwordResetPerEmail: { limit: 3, windowSeconds: 60 * 60 },
  passwordResetPerIp: { limit: 10, windowSeconds: 60 * 60 },
  signUpPerIp: { limit: 10, windowSeconds: 60 * 60 },
} satisfies Record<string, RateLimit>;

/**
 * The key under which guesses at a member's password are counted, wherever they are made: signing
 * in (by username or email) and the account page's current-password check share one allowance.
 */
export function passwordGuessesKey(memberId: number): string {
  return `sign-in:member:${memberId}`;
}

/** The key under which `action` ("sign-in", "sign-up", …) is counted for a client address. */
export function addressKey(action: string, clientIp: string): string {
  return `${action}:ip:${limitedAddress(clientIp)}`;
}

/**
 * The part of a client's address that the limits count: an IPv4 address whole, an IPv6 address
 * by its /64 network. A home or a server is usually given a whole /64, and counting its addresses
 * one by one would let it rotate through 2^64 of them. An IPv4 address written as IPv6
 * (::ffff:192.0.2.7) counts as the IPv4 address.
 */
export function limitedAddress(ip: string): string {
  const address = ip.replace(/%.*$/, "");
  if (!isIPv6(address)) return ip;
  const groups = ipv6Groups(address);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join(".");
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(":")}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, "::" and a dotted IPv4 ending expanded. */
function ipv6Groups(address: string): number[] {
  const parse = (part: string) =>
    part
      .split(":")
      .filter(Boolean)
      .flatMap((group) => {
        if (!group.includes(".")) return [parseInt(group, 16)];
        const [a, b, c, d] = group.split(".").map(Number);
        return [(a! << 8) | b!, (c! << 8) | d!];
      });
  const [head = "", tail] = address.split("::");
  if (tail === undefined) return parse(head);
  const [before, after] = [parse(head), parse(tail)];
  return [...before, ...Array<number>(8 - before.length - after.length).fill(0), ...after];
}

export type RateLimitOutcome = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts one hit against `key` and says whether it is within the limit. One atomic upsert, so
 * concurrent requests on several app instances all see the same count.
 */
export async function hit(key: string, { limit, windowSeconds }: RateLimit): Promise<RateLimitOutcome> {
  const window = sql`make_interval(secs => ${windowSeconds})`;
  const [row] = await db()
    .insert(rateLimits)
    .values({ key, windowStartedAt: sql`now()`, hits: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        hits: sql`case when ${rateLimits.windowStartedAt} <= now() - ${window} then 1 else ${rateLimits.hits} + 1 end`,
        windowStartedAt: sql`case when ${rateLimits.windowStartedAt} <= now() - ${window} then now() else ${rateLimits.windowStartedAt} end`,
      },
    })
    .returning({
      hits: rateLimits.hits,
      retryAfterSeconds: sql<number>`greatest(1, ceil(extract(epoch from (${rateLimits.windowStartedAt} + ${window} - now()))))::int`,
    });
  if (!row || row.hits <= limit) return { allowed: true };
  return { allowed: false, retryAfterSeconds: row.retryAfterSeconds };
}

/** Hits every key (so each is counted) and reports the strictest outcome. */
export async function hitAll(entries: Array<[key: string, limit: RateLimit]>): Promise<RateLimitOutcome> {
  const outcomes = await Promise.all(entries.map(([key, limit]) => hit(key, limit)));
  const refused = outcomes.filter((o): o is Extract<RateLimitOutcome, { allowed: false }> => !o.allowed);
  if (refused.length === 0) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(...refused.map((o) => o.retryAfterSeconds)) };
}

export async function clear(key: string): Promise<void> {
  await db().delete(rateLimits).where(sql`${rateLimits.key} = ${key}`);
}

/** Old windows are useless; the worker sweeps them now and then. */
export async function sweepExpired(olderThanSeconds = 24 * 60 * 60): Promise<void> {
  await db()
    .delete(rateLimits)
    .where(sql`${rateLimits.windowStartedAt} < now() - make_interval(secs => ${olderThanSeconds})`);
}

export function describeWait(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return `${minutes} minutes`;
  return `${Math.ceil(minutes / 60)} hours`;
}
