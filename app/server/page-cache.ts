/**
 * The public pages as a visitor who is not signed in sees them, kept in memory for a few seconds.
 *
 * Most of a support forum's readers are not signed in: they arrive from a search engine at a
 * thread, and when a host has an outage hundreds of them open the same thread at once. Rendering
 * it for each costs milliseconds of the one Node thread; sending a stored copy costs a fraction.
 * Signed-in members always get a fresh page, since theirs carries their name and notifications.
 * When a copy expires, visitors who ask for the page while it is rendered again wait for that one
 * rendering instead of each starting their own.
 *
 * Every stored page is dropped when a signed-in member's form post or action succeeds on this
 * server (only members write what public pages show), so on one server a visitor never sees a
 * page older than the last change. Writes made elsewhere (another server process, the command
 * line) show once the copy expires.
 */
import type { RequestHandler, Response } from "express";

export interface PageCacheOptions {
  /** How long a copy is served. */
  seconds: number;
  /** The most page bytes kept; the least recently used go first. */
  maxBytes?: number;
  /** Whether a request's Cookie header carries a session: such requests are never served from or stored in the cache. */
  hasSession: (cookieHeader: string | undefined) => boolean;
  /** Whether a request was made by a signed-in member, known once the app has read its session: only members write what public pages show. */
  signedIn: (res: Response) => boolean;
  /** Answer X-SQL-Queries: 0 on a copy, as the rendered pages answer their count (benchmarks). */
  reportQueryCounts?: boolean;
}

/**
 * The pages anyone may read, the same for every visitor who is not signed in, and their
 * single-fetch data (`/t/1/slug.data`, `/_root.data` for the home page). Search, forms and
 * everything behind a sign-in are never stored.
 */
const PUBLIC_PAGE = /^\/(?:|about|leaderboard|unanswered|[cu]\/[^/]+|t\/\d+(?:\/[^/]+)?)$/;

export function isPublicPagePath(path: string): boolean {
  if (path === "/_root.data") return true;
  return PUBLIC_PAGE.test(path.endsWith(".data") ? path.slice(0, -".data".length) : path);
}

interface StoredPage {
  /** Content-Type, and Remix's own X-Remix-* headers on single-fetch data. */
  headers: [string, string][];
  /** The body cut where the page's CSP nonce was, so that every copy gets a nonce of its own. */
  parts: Buffer[];
  bytes: number;
  expiresAt: number;
}

export class PageCache {
  private readonly pages = new Map<string, StoredPage>();
  private bytes = 0;
  /** Counts writes: a page rendered while one finished may show the state before it, so it is not kept. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxBytes: number,
  ) {}

  get(key: string, now = Date.now()): StoredPage | undefined {
    const page = this.pages.get(key);
    if (!page) return undefined;
    if (page.expiresAt <= now) {
      this.remove(key, page);
      return undefined;
    }
    // Map order is insertion order: moving a page to the end keeps the least recently used first.
    this.pages.delete(key);
    this.pages.set(key, page);
    return page;
  }

  /** A ticket to store what a request renders, valid only if no write finishes before it is used. */
  ticket(): number {
    return this.generation;
  }

  store(key: string, ticket: number, page: Omit<StoredPage, "bytes" | "expiresAt">, now = Date.now()): boolean {
    if (ticket !== this.generation) return false;
    const bytes = page.parts.reduce((sum, part) => sum + part.byteLength, 0);
    if (bytes > this.maxBytes / 4) return false;
    const old = this.pages.get(key);
    if (old) this.remove(key, old);
    this.pages.set(key, { ...page, bytes, expiresAt: now + this.ttlMs });
    this.bytes += bytes;
    for (const [oldestKey, oldest] of this.pages) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldestKey, oldest);
    }
    return true;
  }

  /** Something was written: every stored page may be out of date, and so may those being rendered. */
  invalidate(): void {
    this.generation += 1;
    this.pages.clear();
    this.bytes = 0;
  }

  get size(): { pages: number; bytes: number } {
    return { pages: this.pages.size, bytes: this.bytes };
  }

  private remove(key: string, page: StoredPage): void {
    this.pages.delete(key);
    this.bytes -= page.bytes;
  }
}

export function anonymousPageCache(options: PageCacheOptions): RequestHandler {
  const cache = new PageCache(options.seconds * 1000, options.maxBytes ?? 32 * 1024 * 1024);
  /** The addresses being rendered for the cache now, each settling once its page is stored or refused, or its answer is cut off. */
  const rendering = new Map<string, Promise<void>>();
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      // Dropped as a member's write is answered (its transaction has committed by then), before
      // the client can ask for the next page. Visitors' posts and refusals (4xx) change nothing a
      // public page shows, so a script posting junk cannot empty the cache; an answer cut off
      // part-way might have written, so it counts.
      const wrote = () => options.signedIn(res) && (res.statusCode < 400 || res.statusCode >= 500);
      const end = res.end.bind(res) as (...args: unknown[]) => Response;
      res.end = ((...args: unknown[]) => {
        if (wrote()) cache.invalidate();
        return end(...args);
      }) as Response["end"];
      res.once("close", () => {
        if (!res.writableFinished && options.signedIn(res)) cache.invalidate();
      });
      return next();
    }
    if (!isPublicPagePath(req.path) || options.hasSession(req.headers.cookie) || asksForFreshPage(req.headers)) return next();

    const key = req.originalUrl;
    const nonce = res.locals.cspNonce as string;
    const serveStored = () => {
      const stored = cache.get(key);
      if (stored) sendStored(res, stored, nonce, req.method === "HEAD", options.reportQueryCounts ?? false);
      return Boolean(stored);
    };
    if (serveStored()) return;
    // Only addresses the pages can tell apart are kept: any other parameter would let a script
    // fill the cache with copies of one page and push out the ones readers want.
    if (!hasOnlyKnownParameters(req.query)) return renderAnew(res, next);

    // When a busy page expires, everyone asking for it meanwhile waits for one rendering rather
    // than rendering it again each. If that one is not kept (a 404, a write meanwhile, its reader
    // leaving) or takes too long, each renders its own; one whose reader has left renders nothing.
    const pending = rendering.get(key);
    if (pending) {
      waitForRendering(pending, res)
        .then((stillWanted) => {
          if (stillWanted && !serveStored()) renderAnew(res, next);
        })
        .catch(next);
      return;
    }
    if (req.method === "HEAD") return renderAnew(res, next);
    // Waiters are let go once the page is stored (or refused), as its last byte is written: not
    // once a slow reader has downloaded it. An answer cut off before its end lets them go too.
    let release!: () => void;
    const rendered = new Promise<void>((resolve) => (release = resolve));
    const over = () => {
      if (rendering.get(key) === rendered) rendering.delete(key);
      release();
    };
    rendering.set(key, rendered);
    res.once("close", over);
    const ticket = cache.ticket();
    captureBody(res, (body) => {
      try {
        if (res.statusCode !== 200 || res.hasHeader("Set-Cookie") || !res.hasHeader("Content-Type")) return;
        const headers = res.getHeaderNames().filter((name) => name === "content-type" || name.startsWith("x-remix-"));
        cache.store(key, ticket, { headers: headers.map((name) => [name, String(res.getHeader(name))]), parts: splitAt(body, Buffer.from(nonce)) });
      } finally {
        over();
      }
    });
    renderAnew(res, next);
  };
}

/** How long a request waits for another's rendering of its page before rendering its own. */
const LONGEST_WAIT_MS = 5_000;

/** Settles once `rendered` does or the wait is over (true), or once this request's reader has left (false). */
function waitForRendering(rendered: Promise<void>, res: Response): Promise<boolean> {
  return new Promise((resolve) => {
    const settle = (stillWanted: boolean) => {
      clearTimeout(timer);
      res.off("close", left);
      resolve(stillWanted);
    };
    const left = () => settle(false);
    const timer = setTimeout(() => settle(true), LONGEST_WAIT_MS);
    res.once("close", left);
    void rendered.then(() => settle(true));
  });
}

function renderAnew(res: Response, next: () => void): void {
  res.setHeader("X-Page-Cache", "miss");
  next();
}

/** The query parameters public pages read: pagination, the leaderboard's period, a notice, and single fetch's route list. */
const KNOWN_PARAMETERS = new Set(["page", "period", "notice", "_routes"]);

function hasOnlyKnownParameters(query: Record<string, unknown>): boolean {
  return Object.keys(query).every((name) => KNOWN_PARAMETERS.has(name));
}

/** A reload that bypasses the browser's cache (and any shared cache) asks for a fresh page. */
function asksForFreshPage(headers: Record<string, string | string[] | undefined>): boolean {
  const cacheControl = headers["cache-control"];
  return (typeof cacheControl === "string" && /\bno-cache\b/.test(cacheControl)) || headers.pragma === "no-cache";
}

function sendStored(res: Response, page: StoredPage, nonce: string, headOnly: boolean, reportQueryCounts: boolean): void {
  const nonceBytes = Buffer.from(nonce);
  const body = page.parts.length === 1 ? page.parts[0]! : Buffer.concat(page.parts.flatMap((part, i) => (i === 0 ? [part] : [nonceBytes, part])));
  res.status(200);
  for (const [name, value] of page.headers) res.setHeader(name, value);
  res.setHeader("Content-Length", String(body.byteLength));
  res.setHeader("X-Page-Cache", "hit");
  if (reportQueryCounts) res.setHeader("X-SQL-Queries", "0");
  res.end(headOnly ? undefined : body);
}

/** Calls `done` with the whole body once the response has been written, passing every write on as it comes. */
function captureBody(res: Response, done: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  const keep = (chunk: unknown, encoding: unknown) => {
    if (typeof chunk === "string") chunks.push(Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8"));
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  };
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as Response["write"];
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (chunk !== undefined && typeof chunk !== "function") keep(chunk, rest[0]);
    const result = end(chunk, ...rest);
    done(Buffer.concat(chunks));
    return result;
  }) as Response["end"];
}

/** `body` cut at every occurrence of `separator`, which is left out. */
export function splitAt(body: Buffer, separator: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = body.indexOf(separator); at !== -1; at = body.indexOf(separator, from)) {
    parts.push(body.subarray(from, at));
    from = at + separator.byteLength;
  }
  parts.push(body.subarray(from));
  return parts;
}
