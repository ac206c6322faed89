/**
 * The page cache through real HTTP: visitors who are not signed in get public pages from memory,
 * each with a CSP nonce of its own; members never do; a write through the server shows at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeMember, makeThread } from "../support/factories";
import { startTestApp, Visitor, type TestApp } from "../support/app";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ pageCacheSeconds: 60 });
});
afterAll(async () => {
  await app?.close();
});

async function signedIn(member: { username: string; password: string }) {
  const visitor = new Visitor(app);
  expect((await visitor.post("/login", { login: member.username, password: member.password })).status).toBe(302);
  return visitor;
}

/** The nonce the CSP header allows, and every nonce the page's scripts carry. */
async function nonces(response: Response) {
  const header = /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1];
  const body = await response.text();
  const inPage = new Set([...body.matchAll(/nonce="([^"]+)"/g)].map((m) => m[1]));
  return { header, inPage: [...inPage], body };
}

const cacheState = (response: Response) => response.headers.get("x-page-cache");

describe("the page cache", () => {
  it("serves a thread to visitors who are not signed in from memory, each copy with a nonce of its own", async () => {
    const title = `Webmail login loops back ${Date.now()}`;
    const thread = await makeThread(await makeMember(), { title });
    const path = `/t/${thread.id}/${thread.slug}`;
    const visitor = new Visitor(app);

    const first = await visitor.get(path);
    expect([first.status, cacheState(first)]).toEqual([200, "miss"]);
    const rendered = await nonces(first);
    const second = await visitor.get(path);
    expect([second.status, cacheState(second), second.headers.get("x-sql-queries")]).toEqual([200, "hit", "0"]);
    const copy = await nonces(second);

    expect(rendered.inPage).toEqual([rendered.header]);
    expect(copy.inPage).toEqual([copy.header]);
    expect(copy.header).not.toBe(rendered.header);
    expect(copy.body.replaceAll(copy.header!, "")).toBe(rendered.body.replaceAll(rendered.header!, ""));
    expect(copy.body).toContain(title);

    // Compressed on the way out like any page, for clients that accept it.
    const plain = await visitor.get(path, { "Accept-Encoding": "identity" });
    expect([cacheState(plain), plain.headers.get("content-length")]).toEqual(["hit", String(Buffer.byteLength(copy.body))]);
    expect(second.headers.get("content-encoding")).toBe("gzip");

    // Client-side navigation's data, with the headers Remix's client looks at.
    const data = [await visitor.get(`${path}.data`), await visitor.get(`${path}.data`)];
    expect(data.map((r) => [r.status, cacheState(r), r.headers.get("content-type"), r.headers.get("x-remix-response")])).toEqual([
      [200, "miss", "text/x-script; charset=utf-8", "yes"],
      [200, "hit", "text/x-script; charset=utf-8", "yes"],
    ]);
    expect(await data[1]!.text()).toContain(title);

    // HEAD gets the copy's headers and no body.
    const head = await visitor.request("HEAD", path, undefined, { "Accept-Encoding": "identity" });
    expect([head.status, cacheState(head), head.headers.get("content-length"), await head.text()]).toEqual([200, "hit", String(Buffer.byteLength(copy.body)), ""]);
  });

  it("renders a page once for visitors who ask for it at the same moment, the others waiting for that copy", async () => {
    const title = `Outage: every site on the server answers 503 ${Date.now()}`;
    const thread = await makeThread(await makeMember(), { title });
    const path = `/t/${thread.id}/${thread.slug}`;

    const answers = await Promise.all(Array.from({ length: 8 }, () => new Visitor(app).get(path)));
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(answers.map(cacheState).sort()).toEqual(["hit", "hit", "hit", "hit", "hit", "hit", "hit", "miss"]);
    const pages = await Promise.all(answers.map(nonces));
    for (const page of pages) {
      expect(page.inPage).toEqual([page.header]);
      expect(page.body).toContain(title);
    }
    expect(new Set(pages.map((page) => page.header)).size).toBe(8);

    // A page that is not kept (a removed thread's 404) is rendered for each of them in the end.
    const missing = await Promise.all(Array.from({ length: 4 }, () => new Visitor(app).get("/t/2000000000/gone")));
    expect(missing.map((r) => [r.status, cacheState(r)])).toEqual(Array(4).fill([404, "miss"]));
    for (const page of missing) expect(await page.text()).toContain("This thread does not exist or was removed.");
  });

  it("never serves a member's page from it, nor keeps one for others", async () => {
    const member = await makeMember();
    const thread = await makeThread(await makeMember());
    const path = `/t/${thread.id}/${thread.slug}`;
    const memberVisitor = await signedIn(member);

    for (let i = 0; i < 2; i++) {
      const page = await memberVisitor.get(path);
      expect(page.status).toBe(200);
      expect(cacheState(page)).toBeNull();
      expect(await page.text()).toContain(`<summary>${member.username}</summary>`);
    }
    const anonymous = await new Visitor(app).get(path);
    expect(cacheState(anonymous)).toBe("miss");
    expect(await anonymous.text()).not.toContain(member.username);
  });

  it("shows a reply posted through the forum to the very next visitor, and stays whole through refused posts", async () => {
    const thread = await makeThread(await makeMember());
    const path = `/t/${thread.id}/${thread.slug}`;
    // Signing in is a write of its own: done before the pages are stored.
    const replier = await signedIn(await makeMember());
    const visitor = new Visitor(app);
    expect(cacheState(await visitor.get(path))).toBe("miss");
    expect(cacheState(await visitor.get(path))).toBe("hit");

    // Posts that change nothing a public page shows leave the copies: a visitor's (sent to sign
    // in) and a member's refused one.
    const visitorPost = await visitor.post(path, { intent: "reply", body: "Not signed in" });
    expect([visitorPost.status, visitorPost.headers.get("location")?.startsWith("/login")]).toEqual([302, true]);
    expect((await replier.post(path, { intent: "reply", body: "" })).status).toBe(400);
    expect(cacheState(await visitor.get(path))).toBe("hit");

    const reply = `Check the MX record ${Date.now()}.`;
    expect((await replier.post(path, { intent: "reply", body: reply })).status).toBe(302);
    const after = await visitor.get(path);
    expect(cacheState(after)).toBe("miss");
    expect(await after.text()).toContain(reply);
  });

  it("keeps no copy of an address with parameters the pages do not read", async () => {
    const thread = await makeThread(await makeMember());
    const visitor = new Visitor(app);
    const junk = `/t/${thread.id}/${thread.slug}?utm_source=mail`;
    expect([await visitor.get(junk), await visitor.get(junk)].map(cacheState)).toEqual(["miss", "miss"]);
    const paged = `/t/${thread.id}/${thread.slug}?page=1`;
    expect([await visitor.get(paged), await visitor.get(paged)].map(cacheState)).toEqual(["miss", "hit"]);
  });

  it("renders anew for a reload that asks for a fresh page, and never keeps search, refusals or redirects", async () => {
    const thread = await makeThread(await makeMember());
    const visitor = new Visitor(app);
    const path = `/t/${thread.id}/${thread.slug}`;
    await visitor.get(path);
    const reload = await visitor.get(path, { "Cache-Control": "no-cache" });
    expect([reload.status, cacheState(reload), reload.headers.get("x-sql-queries")]).toEqual([200, null, "1"]);

    for (const [target, status] of [
      ["/search?q=webmail", 200],
      ["/t/999999999/gone", 404],
      [`/t/${thread.id}/old-slug`, 301],
    ] as const) {
      const again = [await visitor.get(target), await visitor.get(target)];
      expect(again.map((r) => r.status)).toEqual([status, status]);
      expect(again.map(cacheState)).toEqual(target.startsWith("/search") ? [null, null] : ["miss", "miss"]);
    }
  });
});
