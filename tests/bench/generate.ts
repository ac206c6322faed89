/**
 * The benchmark data set: members, threads with a long-tailed number of replies, accepted
 * answers (some self-accepted), first responses, unanswered and urgent threads, watches and
 * notifications, in five languages. Deterministic for a seed and sizes (timestamps are relative
 * to the moment of generation).
 *
 * Fast because nothing goes through the app's models: the whole forum is planned in memory
 * (typed arrays, a few tens of MB for a million posts), then streamed with COPY, with foreign
 * key triggers off and secondary indexes dropped during the load and rebuilt afterwards.
 * The same code writes to PostgreSQL (postgres.js COPY FROM STDIN) and to PGlite
 * (COPY FROM '/dev/blob').
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { SEARCHED_REPLIES, slugify } from "~/models/forum-rules";
import { renderMarkdown } from "~/models/markdown/render";
import { refreshSearchDocument } from "~/models/threads.server";
import { type Database, PGLITE_EXTENSIONS } from "~db/client";
import { acquireDataDirLock } from "~db/data-dir-lock";
import {
  CATEGORY_SLUGS,
  CATEGORY_WEIGHTS,
  type CategorySlug,
  composeQuestion,
  composeReply,
  composeTitle,
  LANGUAGE_WEIGHTS,
  LANGUAGES,
  renderBody,
  USERNAME_STEMS,
  USERNAME_SUFFIXES,
} from "./corpus";
import { mixSeed, permutation, Random, zipfCumulative } from "./random";

/**
 * Bump when the generated data changes shape, so that cached bench databases are rebuilt. Also
 * when a migration rewrites much of it (5: 0019 rewrote every thread's row): autovacuum may be
 * off (it is on the CI machines), and the old rows would otherwise stay in the measured tables.
 */
export const GENERATOR_VERSION = 5;
export const DEFAULT_SEED = 20_240_611;

export interface Sizes {
  members: number;
  threads: number;
  /** All posts, questions included. */
  posts: number;
  /** Replies of the one very long thread (page 1 and its last page are measured). */
  bigThreadReplies: number;
}

export const POSTGRES_SIZES: Sizes = { members: 10_000, threads: 100_000, posts: 1_000_000, bigThreadReplies: 10_000 };
// PGlite is single-threaded WASM inside the server process: a smaller forum.
export const PGLITE_SIZES: Sizes = { members: 1_000, threads: 5_000, posts: 50_000, bigThreadReplies: 10_000 };

/** Every generated member's password is "bench-password" (argon2id as the app hashes it, computed once). */
export const BENCH_PASSWORD = "bench-password";
const BENCH_PASSWORD_HASH = "$argon2id$v=19$m=19456,t=2,p=1$N2lHGrQGuOOXzE7nxtsCsQ$tcrjxL5TCVl6kPzbEs5lKrVLY9xWFylCVmoHyX64Lh4";

/** What the harness needs to find its pages, stored beside the data in `bench_meta`. */
export interface Generated {
  version: number;
  seed: number;
  sizes: Sizes;
  /** The "now" every timestamp was generated relative to. */
  anchor: string;
  timingsMs: Record<string, number>;
  threads: {
    fiftyReplies: BenchThread;
    fiveReplies: BenchThread;
    big: BenchThread;
  };
  /** The category with the most threads. */
  busiestCategory: string;
  /** The member with the most accepted answers, and one with a single post. */
  busiestMember: string;
  quietMember: string;
  stats: Record<string, number>;
}

export interface BenchThread {
  id: number;
  slug: string;
  replies: number;
  title: string;
}

/** A database opened for bulk loading: one session, so that SET commands hold for the load. */
export interface BulkTarget {
  driver: "postgres" | "pglite";
  exec(statement: string): Promise<void>;
  rows<T extends Record<string, unknown>>(query: string): Promise<T[]>;
  /** Streams rows in PostgreSQL's COPY text format (tab-separated, \N for null, one row per line). */
  copy(table: string, columns: readonly string[], chunks: Iterable<string>): Promise<void>;
  close(): Promise<void>;
}

export function postgresTarget(url: string): BulkTarget {
  const client = postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: "hosthelp-bench-generate" } });
  return {
    driver: "postgres",
    async exec(statement) {
      await client.unsafe(statement);
    },
    async rows<T extends Record<string, unknown>>(query: string) {
      return (await client.unsafe(query)) as unknown as T[];
    },
    async copy(table, columns, chunks) {
      const writable = await client.unsafe(`copy ${table} (${columns.join(", ")}) from stdin`).writable();
      await pipeline(Readable.from(chunks), writable);
    },
    close: () => client.end({ timeout: 5 }),
  };
}

export function pgliteTarget(dir: string): BulkTarget {
  const release = acquireDataDirLock(dir);
  const client = new PGlite(dir, { extensions: PGLITE_EXTENSIONS });
  // PGlite takes COPY input as one Blob per statement; batches keep memory bounded.
  const BATCH_CHARS = 16 * 1024 * 1024;
  return {
    driver: "pglite",
    async exec(statement) {
      await client.exec(statement);
    },
    async rows<T extends Record<string, unknown>>(query: string) {
      return (await client.query<T>(query)).rows;
    },
    async copy(table, columns, chunks) {
      const statement = `copy ${table} (${columns.join(", ")}) from '/dev/blob'`;
      let batch: string[] = [];
      let size = 0;
      const flush = async () => {
        if (batch.length) await client.query(statement, [], { blob: new Blob(batch) });
        batch = [];
        size = 0;
      };
      for (const chunk of chunks) {
        batch.push(chunk);
        size += chunk.length;
        if (size >= BATCH_CHARS) await flush();
      }
      await flush();
    },
    async close() {
      await client.close();
      release();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The marker: a cached database is reused only when it was completely generated by this
// version with the same seed and sizes.

export async function readMarker(target: BulkTarget): Promise<Generated | null> {
  const [exists] = await target.rows<{ found: boolean }>(`select to_regclass('public.bench_meta') is not null as found`);
  if (!exists?.found) return null;
  const [row] = await target.rows<{ value: Generated | string }>(`select value from bench_meta where key = 'generated'`);
  if (!row) return null;
  return typeof row.value === "string" ? (JSON.parse(row.value) as Generated) : row.value;
}

export function markerMatches(marker: Generated | null, sizes: Sizes, seed: number): marker is Generated {
  return (
    marker !== null &&
    marker.version === GENERATOR_VERSION &&
    marker.seed === seed &&
    // Key by key: jsonb does not keep the order of keys.
    (Object.keys(sizes) as (keyof Sizes)[]).every((key) => marker.sizes[key] === sizes[key])
  );
}

// ---------------------------------------------------------------------------------------------
// The plan: every row's numbers, in memory.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FORUM_AGE = 3 * 365 * DAY;

// memberRole values index ROLE_NAMES; 0 (member) is the typed array's default.
const ROLE_NAMES = ["member", "moderator", "admin"];
const ROLE_MODERATOR = 1;
const ROLE_ADMIN = 2;

interface Plan {
  anchor: number;
  // Members (index i is member id i + 1).
  memberRole: Uint8Array;
  memberCreated: Float64Array;
  usernames: string[];
  moderators: Int32Array;
  // Threads, in creation order (index i is thread id i + 1).
  threadCategory: Uint8Array;
  threadLanguage: Uint8Array;
  threadAuthor: Int32Array;
  threadCreated: Float64Array;
  threadUrgent: Uint8Array;
  threadReplies: Int32Array;
  /** Index of the thread's question in the post arrays; its replies follow contiguously. */
  threadFirstPost: Int32Array;
  threadPinned: Float64Array;
  threadLocked: Float64Array;
  threadHidden: Float64Array;
  /** Post index of the accepted answer, or -1. */
  threadAccepted: Int32Array;
  threadAcceptedBy: Int32Array;
  threadAcceptedAt: Float64Array;
  threadAcceptedSelf: Uint8Array;
  /** Post index of an answer accepted earlier and then withdrawn (the accept history), or -1. */
  threadPreviousAccept: Int32Array;
  specialTitles: Map<number, string>;
  special: { fiftyReplies: number; fiveReplies: number; big: number };
  // Posts, grouped by thread (index order), with their ids assigned in time order.
  postThread: Int32Array;
  postNumber: Int32Array;
  postAuthor: Int32Array;
  postTime: Float64Array;
  postHidden: Uint8Array;
  postId: Int32Array;
  /** Post indexes in id order. */
  postOrder: Uint32Array;
}

function makePlan(sizes: Sizes, seed: number, anchor: number): Plan {
  const random = new Random(seed);
  const M = sizes.members;
  const T = sizes.threads;
  const P = sizes.posts;
  if (M < 50) throw new Error("At least 50 members are needed.");
  if (T < 20) throw new Error("At least 20 threads are needed.");
  const start = anchor - FORUM_AGE;

  // --- Members: a few admins, moderators among the most active answerers, the rest members.
  const memberRole = new Uint8Array(M);
  const adminCount = 3;
  const moderatorCount = Math.max(5, Math.round(M * 0.004));
  for (let i = 0; i < adminCount; i++) memberRole[i] = ROLE_ADMIN;
  for (let i = adminCount; i < adminCount + moderatorCount; i++) memberRole[i] = ROLE_MODERATOR;
  const moderators = new Int32Array(moderatorCount).map((_, i) => adminCount + i);
  const staff = Int32Array.from({ length: adminCount + moderatorCount }, (_, i) => i);
  const usernames = makeUsernames(M, random);
  const memberCreated = new Float64Array(M);
  for (let i = 0; i < M; i++) memberCreated[i] = i < adminCount ? start - 30 * DAY : start + random.next() * (anchor - start);

  // Who answers: a Zipf distribution over a ranking in which moderators sit near the top
  // (every third rank of the first ones), so that some qualify as trusted moderators.
  const others = permutation(M - adminCount - moderatorCount, random).map((i) => i + adminCount + moderatorCount);
  const answerRank = new Int32Array(M);
  for (let rank = 0, mod = 0, other = 0; rank < M; rank++) {
    if (rank < adminCount) answerRank[rank] = rank;
    else if (mod < moderatorCount && (rank - adminCount) % 3 === 0) answerRank[rank] = moderators[mod++]!;
    else answerRank[rank] = others[other++]!;
  }
  // Admins answer less than the busiest members: move them down the ranking.
  for (let a = 0; a < adminCount; a++) {
    const to = Math.min(M - 1, 40 + a * 7);
    [answerRank[a], answerRank[to]] = [answerRank[to]!, answerRank[a]!];
  }
  // With 10,000 members the busiest answerer writes about 2% of the replies, the top 100 about 40%.
  const answerZipf = zipfCumulative(M, 1.05, 8);
  // Who asks: flatter, most members ask a little.
  const askRank = permutation(M, random);
  const askZipf = zipfCumulative(M, 0.6);

  // --- Threads: creation times dense towards now (the forum grows), sorted, so ids follow time.
  const threadCreated = new Float64Array(T);
  for (let i = 0; i < T; i++) threadCreated[i] = start + (anchor - HOUR - start) * Math.pow(random.next(), 1 / 1.6);
  threadCreated.sort();

  // The threads the harness measures, at realistic ages.
  const taken = new Set<number>();
  const nearest = (time: number) => {
    let lo = 0;
    let hi = T - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (threadCreated[mid]! < time) lo = mid + 1;
      else hi = mid;
    }
    while (taken.has(lo)) lo = lo + 1 < T ? lo + 1 : 0;
    taken.add(lo);
    return lo;
  };
  const special = { fiftyReplies: nearest(anchor - 2 * DAY), fiveReplies: nearest(anchor - 9 * DAY), big: nearest(anchor - 400 * DAY) };
  const specialTitles = new Map<number, string>([
    [special.fiftyReplies, "Contact form emails land in spam at Gmail and Outlook"],
    [special.fiveReplies, "MX record for a subdomain is not picked up"],
    [special.big, "WordPress site slow after moving to the new servers: collected reports"],
  ]);
  const specialReplies = new Map<number, number>([
    [special.fiftyReplies, 50],
    [special.fiveReplies, 5],
    [special.big, sizes.bigThreadReplies],
  ]);

  const categoryCumulative = cumulative(CATEGORY_SLUGS.map((slug) => CATEGORY_WEIGHTS[slug]));
  const languageCumulative = cumulative(LANGUAGES.map((language) => LANGUAGE_WEIGHTS[language]));
  const threadCategory = new Uint8Array(T);
  const threadLanguage = new Uint8Array(T);
  const threadAuthor = new Int32Array(T);
  const threadUrgent = new Uint8Array(T);
  const announcements = CATEGORY_SLUGS.indexOf("announcements");
  for (let i = 0; i < T; i++) {
    threadCategory[i] = random.weighted(categoryCumulative);
    threadLanguage[i] = random.weighted(languageCumulative);
    threadAuthor[i] = threadCategory[i] === announcements ? staff[random.int(staff.length)]! : askRank[random.weighted(askZipf)]!;
    threadUrgent[i] = threadCategory[i] !== announcements && random.chance(0.08) ? 1 : 0;
  }
  const forced: [number, CategorySlug][] = [
    [special.fiftyReplies, "email"],
    [special.fiveReplies, "domains-dns"],
    [special.big, "wordpress-apps"],
  ];
  for (const [i, slug] of forced) {
    threadCategory[i] = CATEGORY_SLUGS.indexOf(slug);
    threadLanguage[i] = 0;
    threadUrgent[i] = 0;
    threadAuthor[i] = others[i % others.length]!;
  }

  // --- Reply counts: 10% of threads get none, 2% only the asker's own follow-ups, the rest a
  // Pareto tail scaled so that the total comes out at exactly the requested number of posts.
  const threadReplies = new Int32Array(T);
  const authorOnly = new Uint8Array(T);
  const raw = new Float64Array(T);
  let fixedReplies = 0;
  let tailThreads = 0;
  for (let i = 0; i < T; i++) {
    const forcedCount = specialReplies.get(i);
    if (forcedCount !== undefined) {
      threadReplies[i] = forcedCount;
      fixedReplies += forcedCount;
    } else if (random.chance(0.1)) {
      threadReplies[i] = 0;
    } else if (random.chance(0.02)) {
      threadReplies[i] = random.between(1, 2);
      authorOnly[i] = 1;
      fixedReplies += threadReplies[i]!;
    } else {
      raw[i] = random.pareto(1.3);
      tailThreads++;
    }
  }
  const tailTotal = P - T - fixedReplies;
  if (tailTotal < tailThreads) throw new Error(`${P} posts are too few for ${T} threads: raise the number of posts.`);
  // No ordinary thread outgrows the big one.
  const cap = Math.max(60, Math.floor(sizes.bigThreadReplies / 4));
  const tailCount = (scale: number, assign: boolean) => {
    let sum = 0;
    for (let i = 0; i < T; i++) {
      if (raw[i] === 0) continue;
      const n = Math.min(cap, Math.max(1, Math.floor(raw[i]! * scale)));
      if (assign) threadReplies[i] = n;
      sum += n;
    }
    return sum;
  };
  let low = 0;
  let high = tailTotal;
  for (let step = 0; step < 60; step++) {
    const mid = (low + high) / 2;
    if (tailCount(mid, false) < tailTotal) low = mid;
    else high = mid;
  }
  let missing = tailTotal - tailCount(low, true);
  // The remainder (the floor() losses), one reply at a time to random tail threads.
  for (let guard = 0; missing !== 0 && guard < 100 * T; guard++) {
    const i = random.int(T);
    if (raw[i] === 0) continue;
    if (missing > 0 && threadReplies[i]! < cap) {
      threadReplies[i]!++;
      missing--;
    } else if (missing < 0 && threadReplies[i]! > 1) {
      threadReplies[i]!--;
      missing++;
    }
  }
  if (missing !== 0) throw new Error("Could not distribute the replies: adjust the sizes.");

  // --- Posts: authors and times, thread by thread.
  const postThread = new Int32Array(P);
  const postNumber = new Int32Array(P);
  const postAuthor = new Int32Array(P);
  const postTime = new Float64Array(P);
  const postHidden = new Uint8Array(P);
  const threadFirstPost = new Int32Array(T);
  const firstActivity = new Float64Array(M).fill(Infinity);
  const offsets: number[] = [];
  let p = 0;
  for (let i = 0; i < T; i++) {
    const author = threadAuthor[i]!;
    const created = threadCreated[i]!;
    const replies = threadReplies[i]!;
    const threadRandom = new Random(mixSeed(seed, i, 1));
    threadFirstPost[i] = p;
    postThread[p] = i;
    postNumber[p] = 1;
    postAuthor[p] = author;
    postTime[p] = created;
    p++;
    // Gaps between posts: the first answer comes within hours (faster when urgent).
    offsets.length = 0;
    let offset = 0;
    for (let k = 0; k < replies; k++) {
      offset += k === 0 ? threadRandom.logNormal(threadUrgent[i] ? 0.7 * HOUR : 3 * HOUR, 1.3) : threadRandom.logNormal(1.5 * HOUR, 1.6);
      offsets.push(offset);
    }
    // Squeeze the conversation into the time left before now.
    const room = anchor - 60_000 - created;
    const squeeze = offset > room ? room / offset : 1;
    for (let k = 0; k < replies; k++) {
      let replier: number;
      if (authorOnly[i] || (k > 0 && threadRandom.chance(0.12))) replier = author;
      else {
        replier = answerRank[threadRandom.weighted(answerZipf)]!;
        for (let retry = 0; replier === author && retry < 5; retry++) replier = answerRank[threadRandom.weighted(answerZipf)]!;
      }
      postThread[p] = i;
      postNumber[p] = k + 2;
      postAuthor[p] = replier;
      postTime[p] = created + Math.max(1_000 * (k + 1), offsets[k]! * squeeze);
      postHidden[p] = threadRandom.chance(0.003) ? 1 : 0;
      p++;
    }
  }
  for (let q = 0; q < P; q++) {
    const a = postAuthor[q]!;
    if (postTime[q]! < firstActivity[a]!) firstActivity[a] = postTime[q]!;
  }
  // Nobody posts before they joined.
  for (let m = 0; m < M; m++) {
    if (firstActivity[m]! <= memberCreated[m]!) memberCreated[m] = firstActivity[m]! - (1 + random.next() * 30) * DAY;
  }

  // --- Post ids in time order, as a live forum assigns them (a thread's posts are spread out).
  const postOrder = new Uint32Array(P);
  for (let q = 0; q < P; q++) postOrder[q] = q;
  postOrder.sort((a, b) => postTime[a]! - postTime[b]! || a - b);
  const postId = new Int32Array(P);
  for (let rank = 0; rank < P; rank++) postId[postOrder[rank]!] = rank + 1;

  // --- Moderation state and accepted answers.
  const threadPinned = new Float64Array(T).fill(NaN);
  const threadLocked = new Float64Array(T).fill(NaN);
  const threadHidden = new Float64Array(T).fill(NaN);
  const threadAccepted = new Int32Array(T).fill(-1);
  const threadAcceptedBy = new Int32Array(T).fill(-1);
  const threadAcceptedAt = new Float64Array(T).fill(NaN);
  const threadAcceptedSelf = new Uint8Array(T);
  const threadPreviousAccept = new Int32Array(T).fill(-1);
  const specials = new Set(specialReplies.keys());
  const pinnedPerCategory = new Array<number>(CATEGORY_SLUGS.length).fill(0);
  for (let i = T - 1; i >= 0; i--) {
    const threadRandom = new Random(mixSeed(seed, i, 2));
    const first = threadFirstPost[i]!;
    const replies = threadReplies[i]!;
    const last = first + replies;
    const category = threadCategory[i]!;
    if (!specials.has(i)) {
      // Two pinned threads per category, among the recent ones.
      if (pinnedPerCategory[category]! < 2 && threadRandom.chance(0.02)) {
        threadPinned[i] = threadCreated[i]! + HOUR;
        pinnedPerCategory[category]!++;
      }
      if (anchor - threadCreated[i]! > 180 * DAY && threadRandom.chance(0.015)) threadLocked[i] = Math.min(anchor - HOUR, postTime[last]! + 30 * DAY);
      if (threadRandom.chance(0.001)) threadHidden[i] = threadCreated[i]! + 2 * HOUR;
    }
    if (category === announcements) continue;
    const author = threadAuthor[i]!;
    const candidates: number[] = [];
    let ownReply = -1;
    for (let q = first + 1; q <= last; q++) {
      if (postHidden[q]) continue;
      if (postAuthor[q] === author) ownReply = ownReply < 0 ? q : ownReply;
      else candidates.push(q);
    }
    if (candidates.length === 0) continue;
    const mustAccept = i === special.fiftyReplies || i === special.big;
    if (!mustAccept && !threadRandom.chance(category === CATEGORY_SLUGS.indexOf("billing-account") ? 0.4 : 0.58)) continue;
    // Mostly one of the first answers; sometimes the asker's own fix (a self-accept).
    let accepted = candidates[Math.min(candidates.length - 1, Math.floor(threadRandom.pareto(1.5)) - 1)]!;
    if (ownReply >= 0 && threadRandom.chance(0.08)) accepted = ownReply;
    const acceptor = threadRandom.chance(0.85) ? author : moderators[threadRandom.int(moderators.length)]!;
    threadAccepted[i] = accepted;
    threadAcceptedBy[i] = acceptor;
    threadAcceptedSelf[i] = postAuthor[accepted] === author || postAuthor[accepted] === acceptor ? 1 : 0;
    threadAcceptedAt[i] = Math.min(anchor - 60_000, Math.max(postTime[accepted]!, postTime[accepted]! + threadRandom.logNormal(5 * HOUR, 1.2)));
    // A few accepts replaced an earlier one (accept, unaccept, accept in the history).
    if (candidates.length > 1 && threadRandom.chance(0.04)) {
      const previous = candidates.find((q) => q !== accepted)!;
      if (postTime[previous]! < threadAcceptedAt[i]! - 2 * 60_000) threadPreviousAccept[i] = previous;
    }
  }

  return {
    anchor,
    memberRole,
    memberCreated,
    usernames,
    moderators,
    threadCategory,
    threadLanguage,
    threadAuthor,
    threadCreated,
    threadUrgent,
    threadReplies,
    threadFirstPost,
    threadPinned,
    threadLocked,
    threadHidden,
    threadAccepted,
    threadAcceptedBy,
    threadAcceptedAt,
    threadAcceptedSelf,
    threadPreviousAccept,
    specialTitles,
    special,
    postThread,
    postNumber,
    postAuthor,
    postTime,
    postHidden,
    postId,
    postOrder,
  };
}

function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((weight, i) => (out[i] = total += weight));
  return out;
}

function makeUsernames(count: number, random: Random): string[] {
  const seen = new Set<string>(["admin", "administrator", "moderator", "mod", "staff", "support", "system", "hosthelp", "root", "null", "undefined"]);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    let name = `${random.pick(USERNAME_STEMS)}${random.pick(USERNAME_SUFFIXES)}`;
    if (seen.has(name.toLowerCase())) name = `${name}${random.between(2, 9999)}`;
    while (seen.has(name.toLowerCase())) name = `${name}${random.int(10)}`;
    seen.add(name.toLowerCase());
    names.push(name);
  }
  return names;
}

// ---------------------------------------------------------------------------------------------
// Rows in COPY text format.

const NULL = "\\N";
const ROWS_PER_CHUNK = 2_000;

function copyText(value: string): string {
  return value.replace(/[\\\n\r\t]/g, (c) => (c === "\\" ? "\\\\" : c === "\n" ? "\\n" : c === "\r" ? "\\r" : "\\t"));
}
const time = (ms: number) => (Number.isNaN(ms) ? NULL : new Date(ms).toISOString());
const bool = (b: boolean | number) => (b ? "t" : "f");

function* chunked(count: number, row: (i: number) => string | null): Generator<string> {
  let lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const line = row(i);
    if (line !== null) lines.push(line);
    if (lines.length >= ROWS_PER_CHUNK) {
      yield lines.join("\n") + "\n";
      lines = [];
    }
  }
  if (lines.length) yield lines.join("\n") + "\n";
}

function threadTitle(plan: Plan, seed: number, i: number): string {
  return plan.specialTitles.get(i) ?? composeTitle(new Random(mixSeed(seed, i, 3)), LANGUAGES[plan.threadLanguage[i]!]!, CATEGORY_SLUGS[plan.threadCategory[i]!]!);
}

/** A post's markdown, a function of the seed, its thread and its number only. */
function postSource(plan: Plan, seed: number, q: number): string {
  const thread = plan.postThread[q]!;
  const number = plan.postNumber[q]!;
  const random = new Random(mixSeed(seed, thread, number + 16));
  const category = CATEGORY_SLUGS[plan.threadCategory[thread]!]!;
  // Replies mostly in the thread's language; some members answer in English.
  const language = number === 1 || random.chance(0.85) ? LANGUAGES[plan.threadLanguage[thread]!]! : "en";
  if (number === 1) return composeQuestion(random, language, category);
  return composeReply(random, language, category, plan.postAuthor[q] === plan.threadAuthor[thread]);
}

// ---------------------------------------------------------------------------------------------

export interface GenerateOptions {
  sizes: Sizes;
  seed?: number;
  log?: (message: string) => void;
}

/**
 * Fills a freshly migrated, empty forum database (the categories seeded by the migrations).
 * Returns what the harness needs to find its pages; also stores it in `bench_meta`.
 */
export async function generate(target: BulkTarget, options: GenerateOptions): Promise<Generated> {
  const { sizes } = options;
  const seed = options.seed ?? DEFAULT_SEED;
  const log = options.log ?? (() => {});
  const timings: Record<string, number> = {};
  const began = performance.now();
  let lap = began;
  const step = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - lap);
    log(`  ${name}: ${((now - lap) / 1000).toFixed(1)} s`);
    lap = now;
  };

  const categoryRows = await target.rows<{ id: number; slug: string }>(`select id, slug from categories`);
  const categoryIds = CATEGORY_SLUGS.map((slug) => {
    const row = categoryRows.find((c) => c.slug === slug);
    if (!row) throw new Error(`Category "${slug}" is missing: the migrations should have seeded it.`);
    return row.id;
  });
  const [existing] = await target.rows<{ n: number }>(`select count(*)::int as n from threads`);
  if (existing!.n > 0) throw new Error("The database already holds threads; the generator fills an empty forum.");

  // Minutes, not milliseconds: a cached data set and its marker agree on "now" to the minute.
  const anchor = Math.floor(Date.now() / 60_000) * 60_000;
  const plan = makePlan(sizes, seed, anchor);
  checkRendering(plan, seed, log);
  step("plan");

  // One session for the load: foreign-key triggers off (the plan is consistent by construction,
  // and checked below), no waiting for WAL flushes, room for index builds.
  await target.exec(`set session_replication_role = replica`);
  if (target.driver === "postgres") {
    await target.exec(`set synchronous_commit = off`);
    await target.exec(`set maintenance_work_mem = '512MB'`);
  }
  const loadedTables = ["threads", "posts", "answer_accepts", "thread_watches", "notifications"];
  const indexes = await target.rows<{ name: string; definition: string }>(`
    select i.indexname as name, i.indexdef as definition
    from pg_indexes i
    where i.schemaname = 'public' and i.tablename in (${loadedTables.map((t) => `'${t}'`).join(", ")})
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)
    order by i.tablename, i.indexname`);
  for (const index of indexes) await target.exec(`drop index "${index.name}"`);
  step("drop indexes");

  const M = sizes.members;
  const P = sizes.posts;
  // members.post_count counts every post written, hidden ones included (as startPosting keeps it).
  const postsByMember = new Int32Array(M);
  for (let q = 0; q < P; q++) postsByMember[plan.postAuthor[q]!]!++;
  await target.copy(
    "members",
    ["id", "username", "email", "password_hash", "role", "created_at", "password_changed_at", "email_notifications", "post_count"],
    chunked(M, (m) => {
      const created = time(plan.memberCreated[m]!);
      const name = plan.usernames[m]!;
      return `${m + 1}\t${name}\t${name.toLowerCase()}@example.net\t${BENCH_PASSWORD_HASH}\t${ROLE_NAMES[plan.memberRole[m]!]}\t${created}\t${created}\t${bool(m % 10 !== 0)}\t${postsByMember[m]}`;
    }),
  );
  step("members");

  const T = sizes.threads;
  const slugs: string[] = new Array(T);
  await target.copy(
    "threads",
    [
      "id", "category_id", "author_id", "title", "slug", "urgent", "created_at", "last_posted_at", "last_poster_id", "reply_count",
      "next_post_number", "first_response_at", "accepted_post_id", "accepted_author_id", "accepted_by_id", "accepted_at",
      "accepted_is_self", "pinned_at", "locked_at", "hidden_at",
    ],
    chunked(T, (i) => {
      const title = threadTitle(plan, seed, i);
      const slug = slugify(title);
      slugs[i] = slug;
      const first = plan.threadFirstPost[i]!;
      const replies = plan.threadReplies[i]!;
      const last = first + replies;
      const author = plan.threadAuthor[i]!;
      let firstResponse = NaN;
      // Hidden replies leave the reply count (as moderation does); post numbers stay.
      let visibleReplies = 0;
      for (let q = first + 1; q <= last; q++) {
        if (!plan.postHidden[q]) visibleReplies++;
        if (Number.isNaN(firstResponse) && plan.postAuthor[q] !== author) firstResponse = plan.postTime[q]!;
      }
      const accepted = plan.threadAccepted[i]!;
      const acceptedColumns =
        accepted < 0
          ? `${NULL}\t${NULL}\t${NULL}\t${NULL}\tf`
          : `${plan.postId[accepted]}\t${plan.postAuthor[accepted]! + 1}\t${plan.threadAcceptedBy[i]! + 1}\t${time(plan.threadAcceptedAt[i]!)}\t${bool(plan.threadAcceptedSelf[i]!)}`;
      return [
        i + 1,
        categoryIds[plan.threadCategory[i]!],
        author + 1,
        copyText(title),
        copyText(slug),
        bool(plan.threadUrgent[i]!),
        time(plan.threadCreated[i]!),
        time(plan.postTime[last]!),
        plan.postAuthor[last]! + 1,
        visibleReplies,
        replies + 2,
        time(firstResponse),
        acceptedColumns,
        time(plan.threadPinned[i]!),
        time(plan.threadLocked[i]!),
        time(plan.threadHidden[i]!),
      ].join("\t");
    }),
  );
  step("threads");

  let sourceChars = 0;
  await target.copy(
    "posts",
    ["id", "thread_id", "post_number", "author_id", "body_source", "body_html", "created_at", "hidden_at", "hidden_reason"],
    chunked(P, (rank) => {
      const q = plan.postOrder[rank]!;
      const source = postSource(plan, seed, q);
      sourceChars += source.length;
      const created = plan.postTime[q]!;
      return `${rank + 1}\t${plan.postThread[q]! + 1}\t${plan.postNumber[q]}\t${plan.postAuthor[q]! + 1}\t${copyText(source)}\t${copyText(renderBody(source))}\t${time(created)}\t${plan.postHidden[q] ? `${time(created + 6 * HOUR)}\tSpam (flagged by members)` : `${NULL}\t${NULL}`}`;
    }),
  );
  step("posts");

  // The accept history: an accept per accepted answer, preceded now and then by an earlier
  // accept of another reply and its withdrawal.
  await target.copy(
    "answer_accepts",
    ["thread_id", "post_id", "action", "actor_id", "is_self_accept", "created_at"],
    chunked(T, (i) => {
      const accepted = plan.threadAccepted[i]!;
      if (accepted < 0) return null;
      const by = plan.threadAcceptedBy[i]! + 1;
      const at = plan.threadAcceptedAt[i]!;
      const lines: string[] = [];
      const previous = plan.threadPreviousAccept[i]!;
      if (previous >= 0) {
        const selfPrevious = bool(plan.postAuthor[previous] === plan.threadAuthor[i] || plan.postAuthor[previous] === plan.threadAcceptedBy[i]);
        const from = Math.max(plan.postTime[previous]!, at - 60 * 60_000);
        lines.push(`${i + 1}\t${plan.postId[previous]}\taccept\t${by}\t${selfPrevious}\t${time(from)}`);
        lines.push(`${i + 1}\t${plan.postId[previous]}\tunaccept\t${by}\t${selfPrevious}\t${time((from + at) / 2)}`);
      }
      lines.push(`${i + 1}\t${plan.postId[accepted]}\taccept\t${by}\t${bool(plan.threadAcceptedSelf[i]!)}\t${time(at)}`);
      return lines.join("\n");
    }),
  );
  step("answer_accepts");

  // Everyone who wrote in a thread watches it (as createThread and createReply arrange).
  let watchCount = 0;
  await target.copy(
    "thread_watches",
    ["thread_id", "member_id", "created_at"],
    chunked(T, (i) => {
      const first = plan.threadFirstPost[i]!;
      const seen = new Set<number>();
      const lines: string[] = [];
      for (let q = first; q <= first + plan.threadReplies[i]!; q++) {
        const author = plan.postAuthor[q]!;
        if (seen.has(author)) continue;
        seen.add(author);
        lines.push(`${i + 1}\t${author + 1}\t${time(plan.postTime[q]!)}`);
      }
      watchCount += lines.length;
      return lines.join("\n");
    }),
  );
  step("thread_watches");

  // Notifications: the asker hears of the first answers, an answerer of their accepted answer;
  // those older than three days have been read.
  let notificationCount = 0;
  const readAt = (at: number) => (plan.anchor - at > 3 * DAY ? time(at + HOUR) : NULL);
  await target.copy(
    "notifications",
    ["member_id", "kind", "thread_id", "post_id", "actor_id", "created_at", "read_at"],
    chunked(T, (i) => {
      const first = plan.threadFirstPost[i]!;
      const author = plan.threadAuthor[i]!;
      const lines: string[] = [];
      for (let q = first + 1; q <= first + plan.threadReplies[i]! && lines.length < 2; q++) {
        if (plan.postAuthor[q] === author) continue;
        lines.push(`${author + 1}\treply_on_your_thread\t${i + 1}\t${plan.postId[q]}\t${plan.postAuthor[q]! + 1}\t${time(plan.postTime[q]!)}\t${readAt(plan.postTime[q]!)}`);
      }
      const accepted = plan.threadAccepted[i]!;
      if (accepted >= 0 && !plan.threadAcceptedSelf[i]) {
        const at = plan.threadAcceptedAt[i]!;
        lines.push(`${plan.postAuthor[accepted]! + 1}\tanswer_accepted\t${i + 1}\t${plan.postId[accepted]}\t${plan.threadAcceptedBy[i]! + 1}\t${time(at)}\t${readAt(at)}`);
      }
      notificationCount += lines.length;
      return lines.length ? lines.join("\n") : null;
    }),
  );
  step("notifications");

  // The search document: the expression of refreshSearchDocument (threads.server.ts), written
  // as one join instead of a correlated subquery per thread; verifySearchDocuments compares the
  // two on a sample. Before the indexes come back, so that the update maintains none.
  // The other replies are numbered per thread in one sort (the indexes are gone here).
  await target.exec(`
    update threads t set search_document =
      setweight(to_tsvector('simple', t.title), 'A') ||
      setweight(to_tsvector('simple', coalesce(s.question, '')), 'B') ||
      setweight(to_tsvector('simple', coalesce(s.answer, '')), 'C') ||
      setweight(to_tsvector('simple', coalesce(s.replies, '')), 'D')
    from (
      select th.id, q.body_source as question, a.body_source as answer, r.replies
      from threads th
      left join posts q on q.thread_id = th.id and q.post_number = 1 and q.hidden_at is null
      left join posts a on a.id = th.accepted_post_id and a.hidden_at is null
      left join (
        select thread_id, left(string_agg(body_source, ' ' order by post_number), ${SEARCHED_REPLIES.characters}) as replies
        from (
          select p.thread_id, p.post_number, p.body_source, row_number() over (partition by p.thread_id order by p.post_number) as n
          from posts p inner join threads pt on pt.id = p.thread_id
          where p.post_number > 1 and p.hidden_at is null and p.id is distinct from pt.accepted_post_id
        ) numbered
        where n <= ${SEARCHED_REPLIES.count}
        group by thread_id
      ) r on r.thread_id = th.id
    ) s
    where s.id = t.id`);
  // The update left a dead version of every thread row behind: rewrite the table compactly.
  await target.exec(`vacuum full threads`);
  step("search documents");

  for (const index of indexes) await target.exec(index.definition);
  step("rebuild indexes");

  for (const table of ["members", "threads", "posts", "answer_accepts", "notifications"]) {
    await target.exec(`select setval(pg_get_serial_sequence('${table}', 'id'), greatest(1, (select max(id) from ${table})))`);
  }
  await target.exec(`set session_replication_role = origin`);

  // The counters must agree with the posts, and every reference must resolve.
  const [check] = await target.rows<{ bad_counters: number; orphans: number; posts: number }>(`
    select
      (select count(*)::int from threads t join (
         select thread_id, count(*) filter (where post_number > 1 and hidden_at is null) as visible_replies,
           max(post_number) as last, max(created_at) as last_at
         from posts group by thread_id
       ) p on p.thread_id = t.id
       where t.reply_count <> p.visible_replies or t.next_post_number <> p.last + 1 or t.last_posted_at <> p.last_at) +
      (select count(*)::int from members m
       where m.post_count <> (select count(*) from posts p where p.author_id = m.id)) as bad_counters,
      (select count(*)::int from posts p where not exists (select 1 from members m where m.id = p.author_id)
         or not exists (select 1 from threads t where t.id = p.thread_id)) +
      (select count(*)::int from threads t where t.accepted_post_id is not null
         and not exists (select 1 from posts p where p.id = t.accepted_post_id and p.thread_id = t.id)) as orphans,
      (select count(*)::int from posts) as posts`);
  if (!check || check.bad_counters !== 0 || check.orphans !== 0 || check.posts !== P) {
    throw new Error(`Generated data failed its consistency check: ${JSON.stringify(check)}`);
  }
  step("consistency check");

  await target.exec(`vacuum analyze`);
  step("vacuum analyze");

  const categoryCounts = new Array<number>(CATEGORY_SLUGS.length).fill(0);
  for (let i = 0; i < T; i++) categoryCounts[plan.threadCategory[i]!]!++;
  const busiest = categoryCounts.indexOf(Math.max(...categoryCounts));
  const acceptedBy = new Map<number, number>();
  let acceptedCount = 0;
  let selfAccepts = 0;
  let unanswered = 0;
  let urgent = 0;
  for (let i = 0; i < T; i++) {
    if (plan.threadUrgent[i]) urgent++;
    const accepted = plan.threadAccepted[i]!;
    if (accepted >= 0) {
      acceptedCount++;
      if (plan.threadAcceptedSelf[i]) selfAccepts++;
      else acceptedBy.set(plan.postAuthor[accepted]!, (acceptedBy.get(plan.postAuthor[accepted]!) ?? 0) + 1);
    }
    let answered = false;
    for (let q = plan.threadFirstPost[i]! + 1; q <= plan.threadFirstPost[i]! + plan.threadReplies[i]!; q++) {
      if (plan.postAuthor[q] !== plan.threadAuthor[i]) {
        answered = true;
        break;
      }
    }
    if (!answered) unanswered++;
  }
  const busiestMember = [...acceptedBy.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
  let quietMember = postsByMember.findIndex((n) => n === 1);
  if (quietMember < 0) quietMember = postsByMember.findIndex((n) => n > 0);
  const bench = (i: number): BenchThread => ({ id: i + 1, slug: slugs[i]!, replies: plan.threadReplies[i]!, title: threadTitle(plan, seed, i) });

  timings.total = Math.round(performance.now() - began);
  const generated: Generated = {
    version: GENERATOR_VERSION,
    seed,
    sizes,
    anchor: new Date(anchor).toISOString(),
    timingsMs: timings,
    threads: { fiftyReplies: bench(plan.special.fiftyReplies), fiveReplies: bench(plan.special.fiveReplies), big: bench(plan.special.big) },
    busiestCategory: CATEGORY_SLUGS[busiest]!,
    busiestMember: plan.usernames[busiestMember]!,
    quietMember: plan.usernames[quietMember]!,
    stats: {
      members: M,
      moderators: plan.moderators.length,
      threads: T,
      posts: P,
      acceptedThreads: acceptedCount,
      selfAccepts,
      unansweredThreads: unanswered,
      urgentThreads: urgent,
      watches: watchCount,
      notifications: notificationCount,
      averagePostChars: Math.round(sourceChars / P),
      maxRepliesOrdinaryThread: Math.max(...Array.from(plan.threadReplies).filter((_, i) => i !== plan.special.big)),
    },
  };
  // Written last: a database without this row was not completely generated.
  await target.exec(`create table if not exists bench_meta (key text primary key, value jsonb not null)`);
  await target.exec(`insert into bench_meta (key, value) values ('generated', '${JSON.stringify(generated).replace(/'/g, "''")}'::jsonb)
    on conflict (key) do update set value = excluded.value`);
  return generated;
}

/** Compares the generator's HTML with the app's real renderer on a sample of posts. */
function checkRendering(plan: Plan, seed: number, log: (message: string) => void): void {
  const sample = Math.min(300, plan.postThread.length);
  let mismatches = 0;
  let example = "";
  for (let k = 0; k < sample; k++) {
    const q = Math.floor((k * plan.postThread.length) / sample);
    const source = postSource(plan, seed, q);
    const expected = renderMarkdown(source);
    if (renderBody(source) !== expected) {
      mismatches++;
      example ||= `${JSON.stringify(source)}\n    app:       ${JSON.stringify(expected)}\n    generator: ${JSON.stringify(renderBody(source))}`;
    }
  }
  if (mismatches) log(`  warning: ${mismatches} of ${sample} sampled posts render differently from the app's renderer, e.g.\n    ${example}`);
}

/**
 * Runs the app's own refreshSearchDocument on a sample of threads (in a transaction that is
 * rolled back) and checks it yields the documents the generator wrote: if the app's expression
 * changes, this says so. Returns the number of mismatches.
 */
export async function verifySearchDocuments(db: Database, threadIds: number[]): Promise<number> {
  let mismatches = 0;
  class Rollback extends Error {}
  for (const id of threadIds) {
    try {
      await db.transaction(async (tx) => {
        const read = async () =>
          ((await tx.execute(sql`select search_document::text as doc from threads where id = ${id}`)) as unknown as { rows?: { doc: string }[] } & { doc: string }[]);
        const before = rowsOf(await read())[0]?.doc;
        await refreshSearchDocument(tx, id);
        const after = rowsOf(await read())[0]?.doc;
        if (before !== after) mismatches++;
        throw new Rollback();
      });
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
    }
  }
  return mismatches;
}

/** drizzle's execute returns rows directly on postgres.js and as `{ rows }` on PGlite. */
export function rowsOf<T>(result: T[] | { rows?: T[] }): T[] {
  return Array.isArray(result) ? result : (result.rows ?? []);
}
