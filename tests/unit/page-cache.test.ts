/**
 * The page cache's own rules, without a server: which paths it may keep, expiry, the byte limit
 * and its order of eviction, and that nothing rendered before a write outlives it.
 * tests/integration/page-cache.test.ts drives it through real HTTP.
 */
import { describe, expect, it } from "vitest";
import { isPublicPagePath, PageCache, splitAt } from "~/server/page-cache";

const page = (text: string) => ({ headers: [["content-type", "text/html; charset=utf-8"]] as [string, string][], parts: [Buffer.from(text)] });
const text = (cache: PageCache, key: string, now?: number) => cache.get(key, now)?.parts.map(String).join("|");

describe("isPublicPagePath", () => {
  it("admits the pages anyone reads, and their single-fetch data", () => {
    for (const path of ["/", "/about", "/leaderboard", "/unanswered", "/c/email", "/u/anna_k", "/t/12", "/t/12/site-down", "/_root.data", "/t/12/site-down.data", "/c/email.data"]) {
      expect(isPublicPagePath(path), path).toBe(true);
    }
  });

  it("keeps out search, forms, accounts and everything behind a sign-in", () => {
    for (const path of ["/search", "/ask", "/login", "/signup", "/account", "/notifications", "/admin", "/mod", "/posts/3/edit", "/t/12/site-down/extra", "/t/x", "/healthz", "/c", "/reset-password/abc", "/search.data"]) {
      expect(isPublicPagePath(path), path).toBe(false);
    }
  });
});

describe("PageCache", () => {
  it("serves a page until it expires", () => {
    const cache = new PageCache(10_000, 1_000_000);
    expect(cache.store("/t/1", cache.ticket(), page("one"), 0)).toBe(true);
    expect(text(cache, "/t/1", 9_999)).toBe("one");
    expect(text(cache, "/t/1", 10_000)).toBeUndefined();
    expect(cache.size).toEqual({ pages: 0, bytes: 0 });
  });

  it("drops every page on a write, and refuses pages rendered before it", () => {
    const cache = new PageCache(10_000, 1_000_000);
    cache.store("/", cache.ticket(), page("home"));
    const ticket = cache.ticket();
    cache.invalidate();
    expect(text(cache, "/")).toBeUndefined();
    // Rendering began before the write finished: it may show the state before it.
    expect(cache.store("/t/1", ticket, page("stale"))).toBe(false);
    expect(text(cache, "/t/1")).toBeUndefined();
    expect(cache.store("/t/1", cache.ticket(), page("fresh"))).toBe(true);
    expect(text(cache, "/t/1")).toBe("fresh");
  });

  it("keeps to its byte limit by dropping the least recently used pages", () => {
    const cache = new PageCache(10_000, 40);
    cache.store("/a", cache.ticket(), page("a".repeat(10)));
    cache.store("/b", cache.ticket(), page("b".repeat(10)));
    cache.store("/c", cache.ticket(), page("c".repeat(10)));
    expect(text(cache, "/a")).toBe("a".repeat(10)); // now the most recently used
    cache.store("/d", cache.ticket(), page("d".repeat(10)));
    cache.store("/e", cache.ticket(), page("e".repeat(10)));
    expect(cache.size).toEqual({ pages: 4, bytes: 40 });
    expect(text(cache, "/b")).toBeUndefined();
    expect(text(cache, "/a")).toBe("a".repeat(10));
    // A page that would take more than a quarter of the cache is not kept at all.
    expect(cache.store("/big", cache.ticket(), page("x".repeat(11)))).toBe(false);
  });

  it("replaces a page stored again under the same key", () => {
    const cache = new PageCache(10_000, 1_000);
    cache.store("/", cache.ticket(), page("old"));
    cache.store("/", cache.ticket(), page("newer"));
    expect(text(cache, "/")).toBe("newer");
    expect(cache.size).toEqual({ pages: 1, bytes: 5 });
  });
});

describe("splitAt", () => {
  it("cuts at every occurrence and leaves the separator out", () => {
    const parts = (body: string) => splitAt(Buffer.from(body), Buffer.from("N0NCE")).map(String);
    expect(parts('<script nonce="N0NCE">a</script><script nonce="N0NCE">')).toEqual(['<script nonce="', '">a</script><script nonce="', '">']);
    expect(parts("no separator")).toEqual(["no separator"]);
    expect(parts("N0NCE")).toEqual(["", ""]);
  });
});
