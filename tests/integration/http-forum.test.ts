/**
 * The forum pages through real HTTP, driven like a browser without JavaScript: bad input gets a
 * clear 4xx and writes nothing, user text is escaped, and every page takes a fixed number of
 * SQL statements however big the thread.
 */
import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~db/client";
import { answerAccepts, flags, posts, threads } from "~db/schema";
import { acceptAnswer, withdrawAcceptance } from "~/models/answers.server";
import { FLAGS_TO_HIDE, flagPost } from "~/models/moderation.server";
import { makeMember, makeReply, makeThread, uniqueName } from "../support/factories";
import { startTestApp, Visitor, type TestApp } from "../support/app";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

async function signedIn(member: { username: string; password: string }) {
  const visitor = new Visitor(app);
  const response = await visitor.post("/login", { login: member.username, password: member.password });
  expect(response.status).toBe(302);
  return visitor;
}

async function postCount(threadId: number) {
  const [row] = await db().select({ n: count() }).from(posts).where(eq(posts.threadId, threadId));
  return row!.n;
}

/** Adds replies straight in SQL: only the page's shape is under test, not the writing. */
async function bulkReplies(threadId: number, authorId: number, howMany: number) {
  await db().execute(sql`
    insert into posts (thread_id, post_number, author_id, body_source, body_html)
    select ${threadId}, n + 1, ${authorId}, 'Reply ' || n, '<p>Reply ' || n || '</p>' from generate_series(1, ${howMany}) n`);
  await db().update(threads).set({ replyCount: howMany, nextPostNumber: howMany + 2 }).where(eq(threads.id, threadId));
}

describe("asking through the form", () => {
  it("answers an empty form with 400 and messages by the fields, keeping what was typed", async () => {
    const visitor = await signedIn(await makeMember());
    const response = await visitor.post("/ask", { title: "Short", body: "", category: "email" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Make the title at least 8 characters");
    expect(html).toContain("Describe your question.");
    expect(html).toContain('value="Short"');
  });

  it("stays on the title step, with the message by the field, until the title is long enough", async () => {
    const visitor = await signedIn(await makeMember());
    const short = await (await visitor.get("/ask?title=DNS")).text();
    expect(short).toContain("Make the title at least 8 characters");
    expect(short).toContain('value="DNS"');
    expect(short).not.toContain('id="ask-body"');
    const long = await (await visitor.get(`/ask?title=${encodeURIComponent("DNS changes not visible after a day")}`)).text();
    expect(long).not.toContain("Make the title at least 8 characters");
    expect(long).toContain('id="ask-body"');
  });

  it("keeps an oversized question's text and refuses it with 400", async () => {
    const visitor = await signedIn(await makeMember());
    const body = `${"Very long log output. ".repeat(1400)}END-MARKER`;
    const response = await visitor.post("/ask", { title: "Log file too long to post here", body, category: "cpanel" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Posts are limited to 30,000 characters");
    expect(html).toContain("END-MARKER");
  });

  it("creates the thread and goes to it; the title is escaped wherever it shows", async () => {
    const visitor = await signedIn(await makeMember());
    const title = `Ampersand & <b>tags</b> in "title" ${Date.now()}`;
    const response = await visitor.post("/ask", { title, body: "Does <script>alert(1)</script> break anything?", category: "wordpress-apps", urgent: "on" });
    expect(response.status).toBe(302);
    const location = response.headers.get("location")!;
    expect(location).toMatch(/^\/t\/\d+\/ampersand-b-tags-b-in-title-\d+$/);
    const html = await (await visitor.get(location)).text();
    expect(html).toContain("Ampersand &amp; &lt;b&gt;tags&lt;/b&gt; in &quot;title&quot;");
    expect(html).not.toContain("<script>alert(1)</script>");
    const home = await (await visitor.get("/c/wordpress-apps")).text();
    expect(home).toContain("&lt;b&gt;tags&lt;/b&gt;");
  });

  it("sends visitors who are not signed in to the sign-in page", async () => {
    const response = await new Visitor(app).post("/ask", { title: "Anonymous question here", body: "Hello there forum", category: "email" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
  });
});

describe("replying and accepting through the thread page", () => {
  it("refuses a reply too complex to display with 400, then the member's next for a while with 429, keeping the text", async () => {
    const thread = await makeThread(await makeMember());
    const visitor = await signedIn(await makeMember());
    const path = `/t/${thread.id}/${thread.slug}`;
    const tooComplex = await visitor.post(path, { intent: "reply", body: `${"**_a".repeat(7_400)} COMPLEX-END` });
    expect(tooComplex.status).toBe(400);
    const refused = await visitor.text(tooComplex);
    expect(refused).toContain("This post is too complex to display.");
    expect(refused).toContain("COMPLEX-END");
    const simpler = await visitor.post(path, { intent: "reply", body: "A simpler answer right away." });
    expect(simpler.status).toBe(429);
    expect(Number(simpler.headers.get("retry-after"))).toBeGreaterThan(15);
    const waiting = await visitor.text(simpler);
    expect(waiting).toMatch(/Your last post was too complex to display\. You can send a simpler one in \d+ seconds\./);
    expect(waiting).toContain("A simpler answer right away.");
    expect(await postCount(thread.id)).toBe(1);
  });

  it("refuses an empty reply with 400 and a reply to a locked thread with 403, writing nothing", async () => {
    const asker = await makeMember();
    const thread = await makeThread(asker);
    const visitor = await signedIn(await makeMember());
    const path = `/t/${thread.id}/${thread.slug}`;
    const empty = await visitor.post(path, { intent: "reply", body: "  " });
    expect(empty.status).toBe(400);
    expect(await visitor.text(empty)).toContain("Write your answer.");
    await db().update(threads).set({ lockedAt: sql`now()` }).where(eq(threads.id, thread.id));
    const locked = await visitor.post(path, { intent: "reply", body: "Have you tried turning it off and on?" });
    expect(locked.status).toBe(403);
    const text = await visitor.text(locked);
    expect(text).toContain("This thread is locked");
    expect(text).toContain("Have you tried turning it off and on?");
    expect(await postCount(thread.id)).toBe(1);
  });

  it("posts a reply and lands on it; refuses accepting a reply from another thread", async () => {
    const asker = await makeMember();
    const thread = await makeThread(asker);
    const other = await makeThread(asker);
    const foreign = await makeReply(await makeMember(), other.id);
    const helper = await signedIn(await makeMember());
    const posted = await helper.post(`/t/${thread.id}/${thread.slug}`, { intent: "reply", body: "Look at the **error_log**." });
    expect(posted.status).toBe(302);
    expect(posted.headers.get("location")).toBe(`/t/${thread.id}/${thread.slug}#post-2`);
    const askerVisitor = await signedIn(asker);
    const wrong = await askerVisitor.post(`/t/${thread.id}/${thread.slug}`, { intent: "accept", postId: String(foreign.id) });
    expect(wrong.status).toBe(400);
    expect(await askerVisitor.text(wrong)).toContain("That answer is not in this thread.");
    const [row] = await db().select({ accepted: threads.acceptedPostId }).from(threads).where(eq(threads.id, thread.id));
    expect(row!.accepted).toBeNull();
  });

  it("shows why a malformed accept request is refused", async () => {
    const asker = await makeMember();
    const thread = await makeThread(asker);
    await makeReply(await makeMember(), thread.id);
    const visitor = await signedIn(asker);
    for (const postId of ["", "abc", "1.5", "2147483648"]) {
      const refused = await visitor.post(`/t/${thread.id}/${thread.slug}`, { intent: "accept", postId });
      expect([postId, refused.status]).toEqual([postId, 400]);
      expect(await visitor.text(refused)).toContain("Choose an answer.");
    }
  });

  it("answers unknown and hidden threads with 404 and a wrong slug with a permanent redirect", async () => {
    const asker = await makeMember();
    const thread = await makeThread(asker);
    expect((await new Visitor(app).get("/t/999999999/nothing")).status).toBe(404);
    expect((await new Visitor(app).get("/t/abc/nothing")).status).toBe(404);
    const moved = await new Visitor(app).get(`/t/${thread.id}/old-title?page=1`);
    expect(moved.status).toBe(301);
    expect(moved.headers.get("location")).toBe(`/t/${thread.id}/${thread.slug}?page=1`);
    await db().update(threads).set({ hiddenAt: sql`now()` }).where(eq(threads.id, thread.id));
    expect((await new Visitor(app).get(`/t/${thread.id}/${thread.slug}`)).status).toBe(404);
    const reply = await (await signedIn(await makeMember())).post(`/t/${thread.id}/${thread.slug}`, { intent: "reply", body: "Anyone?" });
    expect(reply.status).toBe(404);
  });
});

describe("the posts on the thread page", () => {
  it("are sent once in a page, in its markup, and in a client navigation's data", async () => {
    const asker = await makeMember();
    const title = `Bodies sent once ${Date.now()}`;
    const thread = await makeThread(asker, { title, body: "Question body: **QBODY-MARK**" });
    const reply = await makeReply(await makeMember(), thread.id, "Answer body: **ABODY-MARK**");
    const other = await makeMember();
    await makeReply(other, thread.id, "Another answer: **OBODY-MARK**");
    const accepted = await acceptAnswer(asker, thread.id, reply.id);
    expect(accepted.ok).toBe(true);
    const path = `/t/${thread.id}/${thread.slug}`;

    const page = await (await new Visitor(app).get(path)).text();
    const hydrationData = page.slice(page.indexOf("streamController.enqueue"));
    expect(hydrationData).toContain(title);
    // Neither the bodies nor the rest of the posts: the other answer's author is named only there.
    expect(hydrationData).not.toContain("MARK");
    expect(hydrationData).not.toContain(other.username);
    expect(page.match(/<strong>QBODY-MARK<\/strong>/g)).toHaveLength(1);
    // In the post, and quoted under the question as the accepted answer.
    expect(page.match(/<strong>ABODY-MARK<\/strong>/g)).toHaveLength(2);
    expect(page).toContain(`aria-label="Answer by ${other.username}"`);

    const data = await (await new Visitor(app).get(`${path}.data`)).text();
    expect(data).toContain("QBODY-MARK");
    expect(data).toContain("ABODY-MARK");
    expect(data).toContain(`aria-label=\\"Answer by ${other.username}\\"`);
  });
});

describe("the thread lists", () => {
  it("are sent once in a page, in its markup, and in a client navigation's data", async () => {
    const asker = await makeMember();
    const title = `Listed once ${Date.now()}`;
    // Urgent, so that it is on the first page of the unanswered queue too.
    const thread = await makeThread(asker, { title, categorySlug: "email", urgent: true });
    const link = `<a href="/t/${thread.id}/${thread.slug}" class="thread-list__title" data-discover="true">${title}</a>`;
    // Signed in, as members get every page rendered (visitors may get it from the page cache).
    const member = await signedIn(await makeMember());
    for (const path of ["/", "/c/email", "/unanswered"]) {
      const page = await (await member.get(path)).text();
      expect(page, path).toContain(link);
      expect(page.slice(page.indexOf("streamController.enqueue")), path).not.toContain(title);
      const data = await (await member.get(`${path === "/" ? "/_root" : path}.data`)).text();
      expect(data, path).toContain(title);
      expect(data, path).toContain(`/u/${asker.username}`);
    }
  });
});

describe("the accept history", () => {
  it("shows moderators every accept and withdrawal, with who, when and self-accepts; members see none of it and pay no query for it", async () => {
    const asker = await makeMember();
    const [alice, bob] = [await makeMember(), await makeMember()];
    const moderator = await makeMember({ role: "moderator" });
    const thread = await makeThread(asker);
    const a = await makeReply(alice, thread.id);
    const b = await makeReply(bob, thread.id, "Also check the MX record.");
    const own = await makeReply(asker, thread.id, "Solved it: the disk was full.");
    expect((await acceptAnswer(asker, thread.id, a.id)).ok).toBe(true);
    expect((await acceptAnswer(moderator, thread.id, b.id)).ok).toBe(true);
    expect((await acceptAnswer(asker, thread.id, own.id)).ok).toBe(true);

    const path = `/t/${thread.id}/${thread.slug}`;
    const staff = await signedIn(moderator);
    const staffPage = await staff.get(path);
    const text = await staff.text(staffPage);
    const history = text.slice(text.indexOf("Accepted answer history"), text.indexOf("Thread number"));
    const lines = [...history.matchAll(/\d{4}-\d\d-\d\d \d\d:\d\d UTC : ([^:]+?)(?= \d{4}-| $)/g)].map((m) => m[1]);
    expect(lines).toEqual([
      `${asker.username} accepted answer #2`,
      `${moderator.username} withdrew the acceptance of answer #2`,
      `${moderator.username} accepted answer #3`,
      `${asker.username} withdrew the acceptance of answer #3`,
      `${asker.username} accepted answer #4 (a self-accept, not counted)`,
    ]);

    const member = await signedIn(await makeMember());
    const memberPage = await member.get(path);
    expect(await member.text(memberPage)).not.toContain("Accepted answer history");
    // The moderator's page adds the move targets and the history; a member's adds neither.
    expect(Number(staffPage.headers.get("x-sql-queries")) - Number(memberPage.headers.get("x-sql-queries"))).toBe(2);
  });
});

describe("a question that flags hid", () => {
  it("offers moderators only to show it again, which the button does", async () => {
    const thread = await makeThread(await makeMember());
    const [question] = await db().select({ id: posts.id }).from(posts).where(and(eq(posts.threadId, thread.id), eq(posts.postNumber, 1)));
    const path = `/t/${thread.id}/${thread.slug}`;
    const staff = await signedIn(await makeMember({ role: "moderator" }));
    // Visible, a question has no button of its own: it is hidden with its thread.
    expect(await staff.text(await staff.get(path))).not.toMatch(/Hide post|Restore post/);
    for (let i = 0; i < FLAGS_TO_HIDE; i++) expect((await flagPost(await makeMember({ established: true }), question!.id, "spam")).ok).toBe(true);
    const page = await (await staff.get(path)).text();
    expect(page).toContain(`action="/mod/posts/${question!.id}"`);
    expect(page).toMatch(/name="intent" value="restore"/);
    expect((await staff.post(`/mod/posts/${question!.id}`, { intent: "restore" })).status).toBe(302);
    expect((await db().select({ hiddenAt: posts.hiddenAt }).from(posts).where(eq(posts.id, question!.id)))[0]!.hiddenAt).toBeNull();
  });
});

describe("threads titled in other scripts", () => {
  it.each([
    ["Polish", "Zażółć gęślą jaźń: poczta nie działa"],
    ["Bengali", "সার্ভার ডাউন হয়ে গেছে আজ সকাল থেকে"],
  ])("in %s: asking, replying, accepting, a notification, an old slug and /t/<id> all lead to the thread", async (_language, words) => {
    const title = `${words} ${Date.now()}`;
    const asker = await makeMember();
    const askerVisitor = await signedIn(asker);
    const asked = await askerVisitor.post("/ask", { title, body: "Nic nie dochodzi od rana. / কোনো মেইল আসছে না।", category: "email" });
    expect(asked.status).toBe(302);
    const path = asked.headers.get("location")!;
    const id = Number(path.split("/")[2]);
    const [thread] = await db().select({ slug: threads.slug }).from(threads).where(eq(threads.id, id));
    expect(thread!.slug).toMatch(/[^\p{ASCII}]/u);
    expect(path).toBe(`/t/${id}/${encodeURIComponent(thread!.slug)}`);
    const page = await askerVisitor.get(path);
    expect(page.status).toBe(200);
    expect(await askerVisitor.text(page)).toContain(title);

    const helper = await signedIn(await makeMember());
    const replied = await helper.post(path, { intent: "reply", body: "Sprawdź rekordy MX. / MX রেকর্ড দেখুন।" });
    expect(replied.status).toBe(302);
    expect(replied.headers.get("location")).toBe(`${path}#post-2`);

    const [reply] = await db().select({ id: posts.id }).from(posts).where(and(eq(posts.threadId, id), eq(posts.postNumber, 2)));
    const accepted = await askerVisitor.post(path, { intent: "accept", postId: String(reply!.id) });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("location")).toBe(`${path}#post-2`);

    const list = await (await askerVisitor.get("/notifications")).text();
    const notification = list.match(/name="id" value="(\d+)"/)![1]!;
    const opened = await askerVisitor.post("/notifications", { id: notification });
    const post = await askerVisitor.get(opened.headers.get("location")!);
    expect(post.status).toBe(302);
    expect(post.headers.get("location")).toBe(`${path}#post-2`);

    const oldSlug = await new Visitor(app).get(`/t/${id}/old-title?page=1`);
    expect(oldSlug.status).toBe(301);
    expect(oldSlug.headers.get("location")).toBe(`${path}?page=1`);
    const bare = await new Visitor(app).get(`/t/${id}`);
    expect(bare.status).toBe(301);
    expect(bare.headers.get("location")).toBe(path);
  });

  it("arrive whole in a long page: every character as written, and no NUL bytes", async () => {
    // React's own server writer sent a buffer's unwritten zero bytes when a multi-byte character
    // did not fit at the end of its 2 KB buffer (patched: .patches/react-dom+18.3.1.patch). Posts
    // of differing lengths in 3-byte Bengali and 4-byte emoji put such ends inside characters.
    const asker = await makeMember();
    const thread = await makeThread(asker, { title: `ইমেইল আসছে না 📭 ${uniqueName("t")}` });
    const bodies = Array.from({ length: 19 }, (_, i) => `${"ডোমেইন ইমেইল ".repeat(i + 3)}📬 উত্তর ${i + 2}`);
    await db().execute(sql`
      insert into posts (thread_id, post_number, author_id, body_source, body_html)
      select ${thread.id}, n + 1, ${asker.id}, body, '<p>' || body || '</p>' from jsonb_array_elements_text(${JSON.stringify(bodies)}::jsonb) with ordinality as b (body, n)`);
    await db().update(threads).set({ replyCount: bodies.length, nextPostNumber: bodies.length + 2 }).where(eq(threads.id, thread.id));

    const page = await new Visitor(app).get(`/t/${thread.id}/${encodeURIComponent(thread.slug)}`);
    expect(page.status).toBe(200);
    const html = Buffer.from(await page.arrayBuffer()).toString("utf8");
    expect(html.length).toBeGreaterThan(10_000);
    expect(html).not.toContain("\0");
    expect(html).not.toContain("\uFFFD");
    for (const body of bodies) expect(html).toContain(`<p>${body}</p>`);
  });
});

describe("NUL characters, which PostgreSQL cannot store", () => {
  it("in the address find nothing: a 404 for a name or slug, search as if they were not there", async () => {
    const member = await makeMember();
    const visitor = new Visitor(app);
    for (const path of ["/c/%00", "/c/email%00", "/u/%00", `/u/${member.username}%00`]) {
      expect([path, (await visitor.get(path)).status]).toEqual([path, 404]);
    }
    for (const path of ["/search?q=%00", "/search?q=mail%00box", "/search?q=mailbox&category=%00", "/search?q=mailbox&category=email%00", "/ask?title=Mail%00bounces%20again&category=%00"]) {
      const response = await (path.startsWith("/ask") ? await signedIn(member) : visitor).get(path);
      expect([path, response.status]).toEqual([path, 200]);
    }
  });

  it("in posted text are refused by the field with 400, the text kept without them, nothing written", async () => {
    const asker = await makeMember();
    const visitor = await signedIn(asker);
    const asked = await visitor.post("/ask", { title: "Mail bounces\0 since Monday", body: "The log says:\0 550 5.7.1 relay denied.", category: "email" });
    expect(asked.status).toBe(400);
    const html = await asked.text();
    expect(html).toContain("This text held a NUL character (\\0), which cannot be saved.");
    expect(html).toContain('value="Mail bounces since Monday"');
    expect(html).toContain("The log says: 550 5.7.1 relay denied.");
    expect(html).not.toContain("\0");
    const [mine] = await db().select({ n: count() }).from(threads).where(eq(threads.authorId, asker.id));
    expect(mine!.n).toBe(0);

    const thread = await makeThread(asker);
    const path = `/t/${thread.id}/${thread.slug}`;
    const reply = await (await signedIn(await makeMember())).post(path, { intent: "reply", body: "Try\0 this." });
    expect(reply.status).toBe(400);
    expect(await visitor.text(reply)).toContain("This text held a NUL character");
    expect(await postCount(thread.id)).toBe(1);

    expect((await new Visitor(app).post("/login", { login: "nobody\0", password: "whatever it is" })).status).toBe(400);
    const moderator = await signedIn(await makeMember({ role: "moderator" }));
    const locked = await moderator.post(`/mod/threads/${thread.id}`, { intent: "lock", reason: "Spam\0" });
    expect(locked.status).toBe(400);
    expect(await locked.text()).toContain("This text held a NUL character");
    const [row] = await db().select({ lockedAt: threads.lockedAt }).from(threads).where(eq(threads.id, thread.id));
    expect(row!.lockedAt).toBeNull();
  });
});

describe("ids beyond PostgreSQL's integer range", () => {
  const TOO_BIG = "2147483648"; // 2^31, one more than the largest integer id

  it("in forms are refused with 400 and a message on the page, changing nothing", async () => {
    const asker = await makeMember();
    const thread = await makeThread(asker);
    await makeReply(await makeMember(), thread.id);
    const path = `/t/${thread.id}/${thread.slug}`;
    expect((await (await signedIn(asker)).post(path, { intent: "accept", postId: TOO_BIG })).status).toBe(400);

    const target = await makeMember();
    const moderator = await signedIn(await makeMember({ role: "moderator" }));
    const suspend = await moderator.post(`/u/${target.username}`, { intent: "suspend", memberId: TOO_BIG, length: "24h", reason: "Spam links" });
    expect(suspend.status).toBe(400);
    const suspendPage = await suspend.text();
    expect(suspendPage).toContain("This form names no member: reload the page and try again.");
    expect(suspendPage).toContain('value="Spam links"');
    const merge = await moderator.post(`/mod/threads/${thread.id}`, { intent: "merge", target: TOO_BIG });
    expect(merge.status).toBe(400);
    expect(await merge.text()).toBe("Enter the number of the thread to merge into.");

    const admin = await signedIn(await makeMember({ role: "admin" }));
    const role = await admin.post("/admin/members", { memberId: TOO_BIG, role: "moderator" });
    expect(role.status).toBe(400);
    expect(await admin.text(role)).toContain("Choose a member.");
    const grant = await admin.post("/admin/rewards/grant", { idempotencyKey: crypto.randomUUID(), packageId: TOO_BIG, memberId: TOO_BIG, reason: "Thanks" });
    expect(grant.status).toBe(400);

    const [row] = await db().select({ accepted: threads.acceptedPostId, mergedInto: threads.mergedIntoId }).from(threads).where(eq(threads.id, thread.id));
    expect(row).toEqual({ accepted: null, mergedInto: null });
  });

  it("in addresses are not found", async () => {
    const visitor = new Visitor(app);
    for (const path of ["/t/2147483647/x", `/t/${TOO_BIG}/x`, `/t/${TOO_BIG}`, `/posts/${TOO_BIG}/open`, `/posts/${TOO_BIG}/revisions`]) {
      expect([path, (await visitor.get(path)).status]).toEqual([path, 404]);
    }
  });
});

describe("editing through the form", () => {
  it("refuses another member's post id with 403, in the page and in the form post", async () => {
    const author = await makeMember();
    const thread = await makeThread(author);
    const [question] = await db().select({ id: posts.id }).from(posts).where(eq(posts.threadId, thread.id));
    const intruder = await signedIn(await makeMember());
    expect((await intruder.get(`/posts/${question!.id}/edit`)).status).toBe(403);
    const forged = await intruder.post(`/posts/${question!.id}/edit`, { body: "Hijacked post text" });
    expect(forged.status).toBe(403);
    const [after] = await db().select({ body: posts.bodySource }).from(posts).where(eq(posts.id, question!.id));
    expect(after!.body).not.toContain("Hijacked");
    const own = await signedIn(author);
    const edited = await own.post(`/posts/${question!.id}/edit`, { title: "A clearer title for this", body: "Clearer question text." });
    expect(edited.status).toBe(302);
    expect(await (await own.get(`/posts/${question!.id}/revisions`)).text()).toContain("Clearer question text.");
  });

  it("hides earlier versions' text from other members when the edit asks, keeping who and when", async () => {
    const asker = await makeMember();
    const thread = await makeThread(asker);
    const author = await makeMember();
    const reply = await makeReply(author, thread.id, "Log in with my cPanel password hunter2-SECRET and look at the error_log.");
    const authorVisitor = await signedIn(author);
    const edit = (fields: Record<string, string>) => authorVisitor.post(`/posts/${reply.id}/edit`, fields);
    expect((await edit({ body: "Look at the error_log in public_html.", reason: "Removed my password", hideEarlierText: "on" })).status).toBe(302);
    expect((await edit({ body: "Look at the error_log in public_html, then at php.ini." })).status).toBe(302);

    const revisionsPath = `/posts/${reply.id}/revisions`;
    const moderator = await signedIn(await makeMember({ role: "moderator" }));
    const other = await signedIn(await makeMember());
    for (const [who, visitor] of [["a visitor", new Visitor(app)], ["another member", other]] as const) {
      // The whole answer, the hydration data included, and a client navigation's data.
      for (const path of [revisionsPath, `${revisionsPath}.data`]) {
        const raw = await (await visitor.get(path)).text();
        expect([who, path, raw.includes("hunter2-SECRET")]).toEqual([who, path, false]);
      }
      const page = await visitor.text(await visitor.get(revisionsPath));
      expect(page).toContain(`The text of this version was hidden by ${author.username}`);
      // Later versions, and the reasons, stay readable.
      expect(page).toContain("Look at the error_log in public_html.");
      expect(page).toContain("then at php.ini.");
      expect(page).toContain("Removed my password");
    }
    for (const visitor of [authorVisitor, moderator]) {
      const page = await visitor.text(await visitor.get(revisionsPath));
      expect(page).toContain("hunter2-SECRET");
      expect(page).toContain("Hidden from other members by");
    }
  });
});

describe("deleting through the edit page", () => {
  const remove = (visitor: Visitor, postId: number) => visitor.post(`/posts/${postId}/edit`, { intent: "delete" });
  const threadRow = async (id: number) => (await db().select().from(threads).where(eq(threads.id, id)))[0]!;

  it("deletes one's own last reply, and the thread's page count shrinks with it", async () => {
    const asker = await makeMember();
    const helper = await makeMember();
    const thread = await makeThread(asker);
    await bulkReplies(thread.id, asker.id, 19); // posts 2 to 20 fill page 1
    const last = await makeReply(helper, thread.id, "A reply alone on page 2.");
    expect(last.postNumber).toBe(21);
    const path = `/t/${thread.id}/${thread.slug}`;
    expect((await new Visitor(app).get(`${path}?page=2`)).status).toBe(200);

    const helperVisitor = await signedIn(helper);
    expect(await helperVisitor.text(await helperVisitor.get(`/posts/${last.id}/edit`))).toContain("Delete answer");
    const deleted = await remove(helperVisitor, last.id);
    expect(deleted.status).toBe(302);
    expect(deleted.headers.get("location")).toBe(path);
    const row = await threadRow(thread.id);
    expect([row.replyCount, row.nextPostNumber]).toEqual([19, 21]);
    expect((await new Visitor(app).get(`${path}?page=2`)).status).toBe(404);
    expect(await (await new Visitor(app).get(path)).text()).not.toContain('rel="next"');
  });

  it("refuses another member's post with 403, and a post with replies after it with 409", async () => {
    const asker = await makeMember();
    const thread = await makeThread(asker);
    const reply = await makeReply(await makeMember(), thread.id);
    const intruder = await signedIn(await makeMember());
    const foreign = await remove(intruder, reply.id);
    expect(foreign.status).toBe(403);
    expect(await intruder.text(foreign)).toContain("You can only delete your own posts.");
    const [question] = await db().select({ id: posts.id }).from(posts).where(and(eq(posts.threadId, thread.id), eq(posts.postNumber, 1)));
    const askerVisitor = await signedIn(asker);
    const answered = await remove(askerVisitor, question!.id);
    expect(answered.status).toBe(409);
    expect(await askerVisitor.text(answered)).toContain("Posts can only be deleted while nobody has replied after them.");
    expect(await postCount(thread.id)).toBe(2);
  });

  it("refuses the author's own hidden reply, keeping its reply count and flags", async () => {
    const asker = await makeMember();
    const thread = await makeThread(asker);
    const author = await makeMember();
    const reply = await makeReply(author, thread.id, "Buy cheap hosting at spam.example!");
    for (let i = 0; i < FLAGS_TO_HIDE; i++) {
      expect((await flagPost(await makeMember({ established: true }), reply.id, "spam")).ok).toBe(true);
    }
    expect((await threadRow(thread.id)).replyCount).toBe(0);
    const authorVisitor = await signedIn(author);
    const refused = await remove(authorVisitor, reply.id);
    expect(refused.status).toBe(403);
    expect(await authorVisitor.text(refused)).toContain("A moderator hid this post, so it can no longer be deleted");
    expect((await threadRow(thread.id)).replyCount).toBe(0);
    const [pending] = await db().select({ n: count() }).from(flags).where(and(eq(flags.postId, reply.id), eq(flags.status, "pending")));
    expect(pending!.n).toBe(FLAGS_TO_HIDE);
  });

  it("refuses a question whose thread a moderator hid or locked, and a reply with a flag awaiting review", async () => {
    const hiddenAsker = await makeMember();
    const hidden = await makeThread(hiddenAsker, { title: `Cheap hosting deals ${uniqueName("spam")}` });
    await db().update(threads).set({ hiddenAt: sql`now()` }).where(eq(threads.id, hidden.id));
    const lockedAsker = await makeMember();
    const locked = await makeThread(lockedAsker);
    await db().update(threads).set({ lockedAt: sql`now()` }).where(eq(threads.id, locked.id));
    const questionOf = async (threadId: number) => (await db().select({ id: posts.id }).from(posts).where(and(eq(posts.threadId, threadId), eq(posts.postNumber, 1))))[0]!.id;
    for (const [asker, thread, message] of [
      [hiddenAsker, hidden, "A moderator hid this thread, so its posts can no longer be deleted"],
      [lockedAsker, locked, "This thread is locked: its posts can no longer be deleted."],
    ] as const) {
      const visitor = await signedIn(asker);
      const refused = await remove(visitor, await questionOf(thread.id));
      expect(refused.status).toBe(403);
      expect(await visitor.text(refused)).toContain(message);
      expect(await postCount(thread.id)).toBe(1);
    }

    const open = await makeThread(await makeMember());
    const author = await makeMember();
    const reply = await makeReply(author, open.id, "Visit my-cheap-hosting.example for a deal.");
    expect((await flagPost(await makeMember({ established: true }), reply.id, "spam")).ok).toBe(true);
    const authorVisitor = await signedIn(author);
    const refused = await remove(authorVisitor, reply.id);
    expect(refused.status).toBe(409);
    expect(await authorVisitor.text(refused)).toContain("Members flagged this post for a moderator");
    expect(await postCount(open.id)).toBe(2);
  });

  it("refuses an answer that was ever accepted, keeping its accept records", async () => {
    const asker = await makeMember();
    const thread = await makeThread(asker);
    const author = await makeMember();
    const reply = await makeReply(author, thread.id);
    expect((await acceptAnswer(asker, thread.id, reply.id)).ok).toBe(true);
    expect((await withdrawAcceptance(asker, thread.id)).ok).toBe(true);
    const authorVisitor = await signedIn(author);
    // The edit page says why instead of offering a button that would be refused.
    const editPage = await authorVisitor.text(await authorVisitor.get(`/posts/${reply.id}/edit`));
    expect(editPage).toContain("This answer was accepted, so it cannot be deleted");
    expect(editPage).not.toContain("Delete answer");
    const refused = await remove(authorVisitor, reply.id);
    expect(refused.status).toBe(409);
    expect(await authorVisitor.text(refused)).toContain("This answer was accepted, so it cannot be deleted");
    const records = await db().select({ action: answerAccepts.action }).from(answerAccepts).where(eq(answerAccepts.postId, reply.id));
    expect(records.map((r) => r.action)).toEqual(["accept", "unaccept"]);
  });

  it("deletes an unanswered question with its thread and goes to the category", async () => {
    const asker = await makeMember();
    const thread = await makeThread(asker, { categorySlug: "email" });
    const [question] = await db().select({ id: posts.id }).from(posts).where(eq(posts.threadId, thread.id));
    const deleted = await remove(await signedIn(asker), question!.id);
    expect(deleted.status).toBe(302);
    expect(deleted.headers.get("location")).toBe("/c/email");
    expect(await db().select().from(threads).where(eq(threads.id, thread.id))).toEqual([]);
  });
});

describe("search through the page", () => {
  it("shows the query as text, never as markup", async () => {
    const response = await new Visitor(app).get(`/search?q=${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toContain("<img src=x onerror=alert(1)>");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("answers a query with a word that folds to nothing, marking the others", async () => {
    const word = uniqueName("folds").replaceAll("_", "");
    const thread = await makeThread(await makeMember(), { title: `Where is ${word} configured` });
    // A lone combining dot above (U+0307): a word to the query's pattern, nothing once folded.
    const response = await new Visitor(app).get(`/search?q=${encodeURIComponent(`${word} \u0307`)}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`<a href="/t/${thread.id}/${thread.slug}" data-discover="true">Where is <mark>${word}</mark> configured</a>`);
  });

  it("sends the results once, in the page's markup, and in a client navigation's data", async () => {
    const word = uniqueName("sendonce").replaceAll("_", "");
    const asker = await makeMember();
    const thread = await makeThread(asker, { title: `Where is ${word} configured`, body: `The ${word} setting is gone from the panel.` });
    const path = `/search?q=${word}`;

    const page = await (await new Visitor(app).get(path)).text();
    // The word is marked in the title and in the snippet.
    expect(page).toContain(`<a href="/t/${thread.id}/${thread.slug}" data-discover="true">Where is <mark>${word}</mark> configured</a>`);
    expect(page).toContain(`The <mark>${word}</mark> setting is gone`);
    // The asker is named only in the result.
    expect(page.match(new RegExp(asker.username, "g"))).toHaveLength(1);
    expect(page.slice(page.indexOf("streamController.enqueue"))).not.toContain(asker.username);

    const data = await (await new Visitor(app).get(`/search.data?q=${word}`)).text();
    expect(data).toContain(`asked by ${asker.username}`);
    expect(data).toContain(`<mark>${word}</mark>`);
  });
});

describe("accessibility", () => {
  it("names the thread page's two page navigations apart, and its watch button says what it does without aria-pressed", async () => {
    const asker = await makeMember();
    const thread = await makeThread(asker);
    await bulkReplies(thread.id, asker.id, 30);
    const html = await (await (await signedIn(asker)).get(`/t/${thread.id}/${thread.slug}`)).text();
    expect([...html.matchAll(/<nav aria-label="([^"]+)" class="pagination"/g)].map((m) => m[1])).toEqual(["Answer pages, top", "Answer pages, bottom"]);
    expect(html).toContain("Watching: stop notifications</button>");
    expect(html).not.toContain("aria-pressed");
  });

  it("labels the moderators' move and merge reasons visibly", async () => {
    const thread = await makeThread(await makeMember());
    const html = await (await (await signedIn(await makeMember({ role: "moderator" }))).get(`/t/${thread.id}/${thread.slug}`)).text();
    expect(html).toContain('<label for="move-reason">Reason for moving (logged)</label>');
    expect(html).toContain('<label for="merge-reason">Reason for merging (logged)</label>');
  });

  it("has the live region for suggestions on /ask before any arrive", async () => {
    const html = await (await (await signedIn(await makeMember())).get("/ask")).text();
    expect(html).toContain('<div aria-live="polite"></div>');
  });

  it("offers to ask in a staff-only category only to staff", async () => {
    const askLink = async (visitor: Visitor, slug: string) => (await (await visitor.get(`/c/${slug}`)).text()).includes(`href="/ask?category=${slug}"`);
    const member = await signedIn(await makeMember());
    const moderator = await signedIn(await makeMember({ role: "moderator" }));
    const anonymous = new Visitor(app);
    expect([await askLink(anonymous, "announcements"), await askLink(member, "announcements"), await askLink(moderator, "announcements")]).toEqual([false, false, true]);
    expect([await askLink(anonymous, "email"), await askLink(member, "email"), await askLink(moderator, "email")]).toEqual([true, true, true]);
  });
});

describe("SQL round trips", () => {
  it("are the same for a thread of 50 replies and one of 10,000, first page or last", async () => {
    const asker = await makeMember();
    const helper = await makeMember();
    const small = await makeThread(asker);
    const big = await makeThread(asker);
    await bulkReplies(small.id, helper.id, 50);
    await bulkReplies(big.id, helper.id, 10_000);
    const queries = async (path: string) => {
      const response = await new Visitor(app).get(path);
      expect(response.status).toBe(200);
      await response.text();
      return Number(response.headers.get("x-sql-queries"));
    };
    const counts = [
      await queries(`/t/${small.id}/${small.slug}`),
      await queries(`/t/${big.id}/${big.slug}`),
      await queries(`/t/${big.id}/${big.slug}?page=500`),
      await queries(`/t/${big.id}/${big.slug}?page=251`),
    ];
    expect(counts[0]).toBeGreaterThan(0);
    expect(new Set(counts).size).toBe(1);
    const lastPage = await (await new Visitor(app).get(`/t/${big.id}/${big.slug}?page=501`)).text();
    expect(lastPage).toContain("Reply 10000");
  });

  it("are fixed for lists, search, profiles and the leaderboard", async () => {
    const member = await makeMember();
    const visitor = await signedIn(member);
    for (const path of ["/", "/c/email", "/unanswered", "/search?q=mailbox", `/u/${member.username}`, "/notifications"]) {
      const first = await visitor.get(path);
      await first.text();
      await makeThread(member);
      const second = await visitor.get(path);
      await second.text();
      expect([path, second.headers.get("x-sql-queries")]).toEqual([path, first.headers.get("x-sql-queries")]);
    }
    // The leaderboard is computed at most once a minute: one query more than the layout, or none.
    const board = async () => {
      const response = await visitor.get("/leaderboard?period=all");
      await response.text();
      return Number(response.headers.get("x-sql-queries"));
    };
    const layout = Number((await visitor.get("/about")).headers.get("x-sql-queries"));
    const [fresh, cached] = [await board(), await board()];
    expect(fresh - layout).toBeLessThanOrEqual(1);
    expect(cached).toBe(layout);
  });
});

describe("notifications through the pages", () => {
  it("show an unread count in the header and open the post, marking it read", async () => {
    const asker = await makeMember();
    const thread = await makeThread(asker);
    await makeReply(await makeMember(), thread.id);
    const visitor = await signedIn(asker);
    const home = await (await visitor.get("/")).text();
    expect(home).toContain('aria-label="Notifications, 1 unread"');
    const list = await (await visitor.get("/notifications")).text();
    const id = list.match(/name="id" value="(\d+)"/)![1]!;
    const opened = await visitor.post("/notifications", { id });
    expect(opened.status).toBe(302);
    const postPath = opened.headers.get("location")!;
    const thread302 = await visitor.get(postPath);
    expect(thread302.headers.get("location")).toBe(`/t/${thread.id}/${thread.slug}#post-2`);
    expect(await (await visitor.get("/")).text()).not.toContain('aria-label="Notifications,');
    expect((await visitor.post("/notifications", { id: "999999999" })).status).toBe(404);
  });
});
