/**
 * HTML written as strings: the `html` template escapes as JSX does; the thread page's posts,
 * written with it, show each viewer the controls the permission rules give them; and they, the
 * search results and the thread lists show any member's text as text.
 */
import { describe, expect, it } from "vitest";
import { searchResultsMarkup } from "~/components/search-results.server";
import { threadListMarkup } from "~/components/thread-list.server";
import { postsMarkup, type PostsViewer } from "~/components/thread-posts.server";
import { escapeHtml, html, trustedHtml } from "~/lib/html.server";
import type { Actor } from "~/models/permissions";
import type { SearchResult } from "~/models/search.server";
import type { PagePost, ThreadListItem } from "~/models/threads.server";

describe("html", () => {
  it("escapes text and attribute values, and keeps what is already HTML", () => {
    const name = `<img src=x onerror="alert('x')">&`;
    expect(html`<a title="${name}">${name}</a>`.text).toBe(
      "<a title=\"&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;\">&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;</a>",
    );
    expect(escapeHtml(name)).toBe("&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;");
    // Nested templates and trusted HTML are put in as they are, not escaped twice.
    expect(html`<p>${html`<b>${"&"}</b>`}${trustedHtml("<i>cooked</i>")}</p>`.text).toBe("<p><b>&amp;</b><i>cooked</i></p>");
  });

  it("shows numbers and lists, and nothing for booleans, null and undefined, as JSX does", () => {
    expect(html`<p>${0}|${3}|${["a", html`<br>`, "<"]}</p>`.text).toBe("<p>0|3|a<br>&lt;</p>");
    const shown = (on: boolean) => html`<p>${false}${true}${null}${undefined}${on && html`<b>on</b>`}</p>`.text;
    expect(shown(false)).toBe("<p></p>");
    expect(shown(true)).toBe("<p><b>on</b></p>");
  });

  it("drops the source's line breaks and their indentation, and keeps spaces on a line", () => {
    const out = html`
      <p>
        <a>one</a> <a>two</a>
        ${"three"}
      </p>`;
    expect(out.text).toBe("<p><a>one</a> <a>two</a>three</p>");
  });
});

const asker: Actor = { id: 1, role: "member" };
const helper: Actor = { id: 2, role: "member" };
const other: Actor = { id: 3, role: "member" };
const moderator: Actor = { id: 4, role: "moderator" };

const thread: PostsViewer["thread"] = {
  id: 10,
  authorId: asker.id,
  title: "Mail bounces",
  slug: "mail-bounces",
  urgent: false,
  createdAt: new Date("2026-11-01T10:00:00Z"),
  replyCount: 2,
  firstResponseAt: new Date("2026-11-01T10:05:00Z"),
  acceptedPostId: null,
  pinnedAt: null,
  lockedAt: null,
  hiddenAt: null,
};

function post(fields: Partial<PagePost> & Pick<PagePost, "id" | "postNumber" | "authorId">): PagePost {
  return {
    authorName: `member${fields.authorId}`,
    authorRole: "member",
    bodyHtml: "<p>Body</p>",
    createdAt: new Date("2026-11-01T10:00:00Z"),
    editedAt: null,
    revisionCount: 1,
    hiddenAt: null,
    hiddenReason: null,
    ...fields,
  };
}

const question = post({ id: 100, postNumber: 1, authorId: asker.id });
const answer = post({ id: 101, postNumber: 2, authorId: helper.id, authorName: "helper", authorRole: "moderator", createdAt: new Date("2026-11-01T10:05:00Z") });

const buttons = (markup: string) => [...markup.matchAll(/<(?:button[^>]*|a[^>]*class="button[^>]*)>([^<]+)</g)].map((m) => m[1]);

describe("the thread page's posts", () => {
  it("write the post's parts: its place, author, role, date and cooked body", () => {
    const markup = postsMarkup([question, answer], { member: null, thread });
    expect(markup).toContain('<article id="post-1" class="post" aria-label="Question">');
    expect(markup).toContain('<article id="post-2" class="post" aria-label="Answer by helper">');
    expect(markup).toContain('<a href="/u/helper" class="post__author" data-discover="true">helper</a><span class="badge badge--moderator">Moderator</span>');
    expect(markup).toContain('<a href="#post-2" class="post__date"><time datetime="2026-11-01T10:05:00.000Z">2026-11-01 10:05 UTC</time></a>');
    expect(markup).toContain('<div class="post__body"><p>Body</p></div>');
    // A visitor has nothing to press.
    expect(markup).not.toContain("<footer");
  });

  it("give each viewer the buttons the permission rules allow them, and mark the accepted answer", () => {
    expect(buttons(postsMarkup([question, answer], { member: asker, thread }))).toEqual(["Edit", "Accept this answer", "Flag"]);
    expect(buttons(postsMarkup([question, answer], { member: other, thread }))).toEqual(["Flag", "Flag"]);
    expect(buttons(postsMarkup([question, answer], { member: helper, thread }))).toEqual(["Flag", "Edit"]);
    const accepted = { ...thread, acceptedPostId: answer.id };
    const askerView = postsMarkup([question, answer], { member: asker, thread: accepted });
    expect(buttons(askerView)).toEqual(["Edit", "Withdraw acceptance", "Flag"]);
    expect(askerView).toContain('<article id="post-2" class="post post--accepted" aria-label="Answer by helper">');
    expect(askerView).toContain('<span class="badge badge--solved">Accepted answer</span>');
    expect(buttons(postsMarkup([answer], { member: moderator, thread: accepted }))).toEqual(["Withdraw acceptance", "Edit", "Flag", "Hide post"]);
    expect(postsMarkup([answer], { member: moderator, thread })).toContain('<form method="post" action="/mod/posts/101" class="inline-form" data-discover="true"><input type="hidden" name="intent" value="hide">');
    // A locked thread: the asker can no longer accept or edit, only flag.
    expect(buttons(postsMarkup([question, answer], { member: asker, thread: { ...thread, lockedAt: new Date() } }))).toEqual(["Flag"]);
  });

  it("show edits and hidden posts", () => {
    const edited = post({ id: 102, postNumber: 3, authorId: helper.id, editedAt: new Date(), revisionCount: 3 });
    const hidden = post({ id: 103, postNumber: 4, authorId: other.id, hiddenAt: new Date(), hiddenReason: "flags" });
    const markup = postsMarkup([edited, hidden], { member: moderator, thread });
    expect(markup).toContain('<a href="/posts/102/revisions" class="post__edited" data-discover="true">edited (2 times)</a>');
    expect(markup).toContain('<article id="post-4" class="post post--hidden"');
    expect(markup).toContain('<span class="badge badge--hidden">Hidden after flags, awaiting review</span>');
    expect(buttons(markup)).toEqual(["Accept this answer", "Edit", "Flag", "Hide post", "Accept this answer", "Edit", "Restore post"]);
  });

  it("show a member's name as text wherever it appears", () => {
    const name = `"><script>alert(1)</script>`;
    const markup = postsMarkup([post({ id: 104, postNumber: 2, authorId: other.id, authorName: name })], { member: null, thread });
    expect(markup).not.toContain("<script>");
    expect(markup).toContain('aria-label="Answer by &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(markup).toContain('class="post__author" data-discover="true">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</a>');
  });
});

describe("the search results' markup", () => {
  const result = (fields: Partial<SearchResult>): SearchResult => ({
    id: 7,
    title: [{ text: "Mail bounces", match: false }],
    slug: "mail-bounces",
    replyCount: 1,
    solved: false,
    categoryName: "Email",
    categorySlug: "email",
    authorName: "asker",
    snippetFrom: "question",
    snippet: [{ text: "My mail bounces", match: false }],
    ...fields,
  });

  it("links each thread and its category, marks the matching words and says where the snippet is from", () => {
    const markup = searchResultsMarkup([
      result({ solved: true, snippetFrom: "accepted answer", snippet: [{ text: "Fix the ", match: false }, { text: "MX", match: true }, { text: " record", match: false }] }),
      result({ id: 8, slug: "quota", title: [{ text: "Quota", match: true }, { text: " exceeded", match: false }], replyCount: 2, snippetFrom: "reply" }),
    ]);
    expect(markup).toBe(
      '<ol class="search-results">' +
        '<li><h2><a href="/t/7/mail-bounces" data-discover="true">Mail bounces</a> <span class="badge badge--solved">Solved</span></h2>' +
        '<p class="search-results__snippet"><span class="search-results__source">From the accepted answer: </span>Fix the <mark>MX</mark> record</p>' +
        '<p class="muted"><a href="/c/email" data-discover="true">Email</a> · 1 reply · asked by asker</p></li>' +
        '<li><h2><a href="/t/8/quota" data-discover="true"><mark>Quota</mark> exceeded</a> </h2>' +
        '<p class="search-results__snippet"><span class="search-results__source">From a reply: </span>My mail bounces</p>' +
        '<p class="muted"><a href="/c/email" data-discover="true">Email</a> · 2 replies · asked by asker</p></li>' +
        "</ol>",
    );
  });

  it("shows titles, snippets and names as text", () => {
    const payload = `"><img src=x onerror=alert(1)>`;
    const markup = searchResultsMarkup([
      result({ title: [{ text: payload, match: false }, { text: payload, match: true }], authorName: payload, snippet: [{ text: payload, match: false }, { text: payload, match: true }] }),
    ]);
    expect(markup).not.toContain("<img");
    expect(markup).toContain('data-discover="true">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;<mark>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</mark></a>');
    expect(markup).toContain("<mark>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</mark>");
    expect(markup).toContain("asked by &quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>");
  });
});

describe("the thread lists' markup", () => {
  const now = Date.parse("2026-11-30T12:00:00Z");
  const item = (fields: Partial<ThreadListItem & { waitingSeconds: number }>): ThreadListItem & { waitingSeconds?: number } => ({
    id: 9,
    title: "DNS not resolving",
    slug: "dns-not-resolving",
    urgent: false,
    replyCount: 0,
    solved: false,
    pinned: false,
    locked: false,
    authorName: "asker",
    categoryName: "Domains & DNS",
    categorySlug: "domains-dns",
    createdAt: new Date("2026-11-30T11:00:00Z"),
    lastPostedAt: new Date("2026-11-30T11:00:00Z"),
    firstResponseAt: null,
    question: true,
    ...fields,
  });

  it("shows each thread's badges, category, asker, replies and how long it has waited", () => {
    const markup = threadListMarkup([item({}), item({ id: 10, slug: "s", urgent: true, solved: true, pinned: true, locked: true, replyCount: 1, firstResponseAt: new Date("2026-11-30T11:30:00Z") })], { now });
    expect(markup).toBe(
      '<ol class="thread-list">' +
        '<li class="thread-list__item"><div class="thread-list__main"><a href="/t/9/dns-not-resolving" class="thread-list__title" data-discover="true">DNS not resolving</a>' +
        '<div class="thread-list__badges"></div>' +
        '<p class="thread-list__meta"><a href="/c/domains-dns" data-discover="true">Domains &amp; DNS</a> · asked by <a href="/u/asker" data-discover="true">asker</a> on <time datetime="2026-11-30T11:00:00.000Z">30 Nov 2026</time></p></div>' +
        '<div class="thread-list__figures"><span>0 replies</span><span class="waiting">Waiting 1 h</span></div></li>' +
        '<li class="thread-list__item"><div class="thread-list__main"><a href="/t/10/s" class="thread-list__title" data-discover="true">DNS not resolving</a>' +
        '<div class="thread-list__badges"><span class="badge">Pinned</span><span class="badge badge--solved">Solved</span><span class="badge badge--urgent">Urgent</span><span class="badge">Locked</span></div>' +
        '<p class="thread-list__meta"><a href="/c/domains-dns" data-discover="true">Domains &amp; DNS</a> · asked by <a href="/u/asker" data-discover="true">asker</a> on <time datetime="2026-11-30T11:00:00.000Z">30 Nov 2026</time></p></div>' +
        '<div class="thread-list__figures"><span>1 reply</span></div></li>' +
        "</ol>",
    );
  });

  it("marks a wait past its target, and shows none for announcements or without the category when asked", () => {
    const urgent = threadListMarkup([item({ urgent: true, waitingSeconds: 2 * 60 * 60 })], { now, showCategory: false });
    expect(urgent).toContain('<span class="waiting waiting--breached">Past target: 2 h</span>');
    expect(urgent).toContain('<p class="thread-list__meta">asked by <a href="/u/asker"');
    expect(threadListMarkup([item({ question: false })], { now })).not.toContain("waiting");
    expect(threadListMarkup([], { now })).toBe('<p class="empty">No threads here yet.</p>');
  });

  it("shows titles and names as text", () => {
    const payload = `"><script>alert(1)</script>`;
    const markup = threadListMarkup([item({ title: payload, authorName: payload, categoryName: payload })], { now });
    expect(markup).not.toContain("<script>");
    // The title, the category, and the asker's name and the address of their profile.
    expect(markup.match(/&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;/g)).toHaveLength(4);
  });
});
