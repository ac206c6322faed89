/**
 * Moderation against a real database: posting limits by trust level, flags and the review queue,
 * suspensions, curating threads and posts, and the moderation log that records all of it.
 */
import { readFileSync } from "node:fs";
import { and, count, desc, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~db/client";
import { answerAccepts, flags, moderationLog, notifications, posts, sessions, threads } from "~db/schema";
import { startSession } from "~/auth/session.server";
import { acceptAnswer, acceptHistory, memberFigures } from "~/models/answers.server";
import { listLog } from "~/models/moderation-log.server";
import { listNotifications } from "~/models/notifications.server";
import { FLAGS_TO_HIDE, flagPost, mergeThread, moveThread, resolveFlags, reviewQueue, setPostHidden, suspendMember, toggleThread, unsuspendMember } from "~/models/moderation.server";
import { searchThreads } from "~/models/search.server";
import { saveSetting, SETTINGS } from "~/models/settings.server";
import { createReply, createThread, deletePost, editPost, getThreadPage, listThreads, listUnanswered, mergedTarget } from "~/models/threads.server";
import { logFor, makeMember, makeReply, makeThread } from "../support/factories";
import { NO_POSTING_LIMITS } from "../support/database-per-file";
import { runsOnPostgresOnly } from "../support/postgres-only";

async function postById(id: number) {
  const [post] = await db().select().from(posts).where(eq(posts.id, id));
  return post!;
}

async function threadById(id: number) {
  const [thread] = await db().select().from(threads).where(eq(threads.id, id));
  return thread!;
}

let words = 0;
/** A word no other thread holds. */
const searchWord = () => `zqmod${process.pid.toString(36)}${Date.now().toString(36)}${(words += 1)}`;

/** The threads search finds by one word. */
async function foundBy(word: string): Promise<number[]> {
  return (await searchThreads({ query: word, page: 1 })).results.map((r) => r.id);
}


describe("posting limits", () => {
  beforeAll(async () => {
    await saveSetting(null, "posting_limits", SETTINGS.posting_limits.defaults);
    return () => saveSetting(null, "posting_limits", NO_POSTING_LIMITS);
  });

  it("make a new account wait 30 seconds between posts, saying when it may post again", async () => {
    const newcomer = await makeMember();
    const thread = await makeThread(newcomer);
    const second = await createReply(newcomer, thread.id, "Forgot to add: it is a WordPress site.");
    expect(second).toMatchObject({ ok: false, status: 429, message: expect.stringMatching(/post again in \d+ seconds/) });
    if (!second.ok) expect(second.retryAfterSeconds).toBeGreaterThan(25);
    await db().update(posts).set({ createdAt: sql`now() - interval '31 seconds'` }).where(eq(posts.authorId, newcomer.id));
    expect(await createReply(newcomer, thread.id, "Forgot to add: it is a WordPress site.")).toMatchObject({ ok: true });
  });

  it("allow a new account 3 threads a day and 2 links a post", async () => {
    const newcomer = await makeMember();
    for (let i = 0; i < 3; i++) {
      await makeThread(newcomer);
      await db().update(posts).set({ createdAt: sql`now() - interval '1 minute'` }).where(eq(posts.authorId, newcomer.id));
    }
    const fourth = await createThread(newcomer, { title: "A fourth question today", body: "Is there a limit to questions?", categorySlug: "email", urgent: false });
    expect(fourth).toMatchObject({ ok: false, status: 429, message: expect.stringContaining("3 new threads a day for new members") });
    const other = await makeMember();
    const links = await createThread(other, { title: "Three links in one question", body: "See https://a.example, https://b.example and https://c.example", categorySlug: "email", urgent: false });
    expect(links).toMatchObject({ ok: false, status: 400, field: "body", message: expect.stringContaining("at most 2 links") });
  });

  it("hold an edit to the same number of links as a new post", async () => {
    const newcomer = await makeMember();
    const thread = await makeThread(newcomer, { body: "My site is down: https://a.example" });
    const [question] = await db().select().from(posts).where(eq(posts.threadId, thread.id));
    const threeLinks = "See https://a.example, https://b.example and https://c.example";
    expect(await editPost(newcomer, question!.id, { body: threeLinks })).toMatchObject({ ok: false, status: 400, field: "body", message: expect.stringContaining("at most 2 links") });
    expect((await postById(question!.id)).bodySource).toBe("My site is down: https://a.example");
    expect(await editPost(newcomer, question!.id, { body: "See https://a.example and https://b.example" })).toMatchObject({ ok: true });
    expect(await editPost(await makeMember({ role: "moderator" }), question!.id, { body: threeLinks, reason: "Added the mirrors" })).toMatchObject({ ok: true });
  });

  it("give established members 5 seconds between posts and exempt staff", async () => {
    const regular = await makeMember({ established: true });
    const thread = await makeThread(regular, { body: "Links are fine now: https://a.example https://b.example https://c.example" });
    expect(await createReply(regular, thread.id, "Adding details here.")).toMatchObject({ ok: false, status: 429, message: expect.stringContaining("seconds") });
    const moderator = await makeMember({ role: "moderator" });
    for (let i = 0; i < 4; i++) expect(await createReply(moderator, thread.id, `Moderator note ${i}`)).toMatchObject({ ok: true });
  });
});

describe("flags", () => {
  it("hide a post after three members flag it, once each; new accounts and the author cannot flag", async () => {
    const author = await makeMember();
    const thread = await makeThread(author);
    const reply = await makeReply(await makeMember(), thread.id, "Buy cheap hosting at https://spam.example");
    const [a, b, c] = [await makeMember({ established: true }), await makeMember({ established: true }), await makeMember({ established: true })];
    expect(await flagPost(await makeMember(), reply.id, "spam")).toMatchObject({ ok: false, status: 403 });
    expect(await flagPost(a, reply.id, "spam")).toMatchObject({ ok: true });
    expect(await flagPost(a, reply.id, "off_topic")).toMatchObject({ ok: false, status: 409 });
    expect(await flagPost(b, reply.id, "spam")).toMatchObject({ ok: true });
    expect((await postById(reply.id)).hiddenAt).toBeNull();
    expect(await flagPost(c, reply.id, "other", "Advertising")).toMatchObject({ ok: true });
    const hidden = await postById(reply.id);
    expect([Boolean(hidden.hiddenAt), hidden.hiddenReason]).toEqual([true, "flags"]);
    const page = await getThreadPage(thread.id, 1, null);
    expect(page!.posts.map((p) => p.id)).not.toContain(reply.id);
    expect((await logFor("post", reply.id)).map((e) => e.action)).toEqual(["post.hidden_by_flags"]);
  });

  it("allow 20 flags a day", async () => {
    const flagger = await makeMember({ established: true });
    const author = await makeMember();
    const thread = await makeThread(author);
    const replies = [];
    for (let i = 0; i < 21; i++) replies.push(await makeReply(author, thread.id, `Reply number ${i}`));
    for (const reply of replies.slice(0, 20)) expect(await flagPost(flagger, reply.id, "off_topic")).toMatchObject({ ok: true });
    expect(await flagPost(flagger, replies[20]!.id, "off_topic")).toMatchObject({ ok: false, status: 429, retryAfterSeconds: 3600 });
  });

  it("go to the review queue, where agreeing keeps the post hidden and tells its author", async () => {
    const author = await makeMember();
    const thread = await makeThread(await makeMember());
    const reply = await makeReply(author, thread.id, "Rude answer here.");
    for (let i = 0; i < 3; i++) await flagPost(await makeMember({ established: true }), reply.id, "abusive");
    const queued = (await reviewQueue(1000)).find((item) => item.postId === reply.id);
    expect(queued!.flags).toHaveLength(3);
    expect(queued!.authorName).toBe(author.username);
    const moderator = await makeMember({ role: "moderator" });
    expect(await resolveFlags(moderator, reply.id, "agree")).toMatchObject({ ok: true });
    const decided = await postById(reply.id);
    expect([Boolean(decided.hiddenAt), decided.hiddenReason]).toEqual([true, "moderator"]);
    const [told] = await db().select({ n: count() }).from(notifications).where(and(eq(notifications.memberId, author.id), eq(notifications.kind, "post_hidden")));
    expect(told!.n).toBe(1);
    expect((await reviewQueue(1000)).some((item) => item.postId === reply.id)).toBe(false);
  });

  it("restore the post when a moderator disagrees, and give one outcome when two resolve at once", async () => {
    const reply = await makeReply(await makeMember(), (await makeThread(await makeMember())).id, "Perfectly fine answer.");
    for (let i = 0; i < 3; i++) await flagPost(await makeMember({ established: true }), reply.id, "spam");
    const [m1, m2] = [await makeMember({ role: "moderator" }), await makeMember({ role: "admin" })];
    const outcomes = await Promise.all([resolveFlags(m1, reply.id, "disagree"), resolveFlags(m2, reply.id, "agree")]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.find((o) => !o.ok)).toMatchObject({ status: 409 });
    const statuses = await db().select({ status: flags.status }).from(flags).where(eq(flags.postId, reply.id));
    expect(new Set(statuses.map((s) => s.status)).size).toBe(1);
    const decisions = (await logFor("post", reply.id)).filter((e) => e.action.startsWith("flags."));
    expect(decisions).toHaveLength(1);
    const winner = decisions[0]!.action === "flags.disagree" ? null : "hidden";
    expect((await postById(reply.id)).hiddenAt ? "hidden" : null).toBe(winner);
  });
});

describe("suspensions", () => {
  it("end the member's sessions at once and stop posting, flagging and accepting, but not reading", async () => {
    const member = await makeMember({ established: true });
    const thread = await makeThread(member);
    const answer = await makeReply(await makeMember(), thread.id);
    const other = await makeReply(await makeMember(), (await makeThread(await makeMember())).id);
    await startSession(member.id);
    const moderator = await makeMember({ role: "moderator" });
    expect(await suspendMember(moderator, member.id, "7d", "Repeated spam links")).toMatchObject({ ok: true });
    const [left] = await db().select({ n: count() }).from(sessions).where(eq(sessions.userId, member.id));
    expect(left!.n).toBe(0);
    const suspended = { ...member, suspendedUntil: new Date(Date.now() + 7 * 86_400_000) };
    expect(await createReply(suspended, thread.id, "Trying to post")).toMatchObject({ ok: false, status: 403, message: expect.stringContaining("suspended") });
    expect(await createThread(suspended, { title: "Posting while suspended", body: "Should not work at all", categorySlug: "email", urgent: false })).toMatchObject({ ok: false, status: 403 });
    expect(await flagPost(suspended, other.id, "spam")).toMatchObject({ ok: false, status: 403 });
    expect(await acceptAnswer(suspended, thread.id, answer.id)).toMatchObject({ ok: false, status: 403 });
    expect(await getThreadPage(thread.id, 1, suspended)).not.toBeNull();
    expect(await unsuspendMember(moderator, member.id)).toMatchObject({ ok: true });
    expect((await logFor("member", member.id)).map((e) => [e.action, e.reason])).toEqual([
      ["member.suspended", "Repeated spam links"],
      ["member.unsuspended", null],
    ]);
  });

  it("are for moderators to give members, admins also moderators; nobody suspends an admin", async () => {
    const [moderator, otherModerator, admin] = [await makeMember({ role: "moderator" }), await makeMember({ role: "moderator" }), await makeMember({ role: "admin" })];
    expect(await suspendMember(moderator, otherModerator.id, "24h", "x")).toMatchObject({ ok: false, status: 403 });
    expect(await suspendMember(moderator, admin.id, "24h", "x")).toMatchObject({ ok: false, status: 403 });
    expect(await suspendMember(await makeMember({ established: true }), (await makeMember()).id, "24h", "x")).toMatchObject({ ok: false, status: 403 });
    expect(await suspendMember(admin, otherModerator.id, "permanent", "Left the team badly")).toMatchObject({ ok: true });
    expect(await suspendMember(admin, 2_000_000_000, "24h", "x")).toMatchObject({ ok: false, status: 404 });
  });
});

describe("curating", () => {
  it("pins to the top of the category, locks, moves, hides and restores, logging each", async () => {
    const moderator = await makeMember({ role: "moderator" });
    const thread = await makeThread(await makeMember(), { categorySlug: "billing-account" });
    await makeThread(await makeMember(), { categorySlug: "billing-account" });
    expect(await toggleThread(moderator, thread.id, "pin")).toMatchObject({ ok: true });
    const [category] = await db().select({ id: threads.categoryId }).from(threads).where(eq(threads.id, thread.id));
    expect((await listThreads({ categoryId: category!.id, page: 1 })).threads[0]!.id).toBe(thread.id);
    expect(await toggleThread(moderator, thread.id, "lock", "Solved, closing")).toMatchObject({ ok: true });
    expect(await createReply(await makeMember(), thread.id, "Late reply")).toMatchObject({ ok: false, status: 403 });
    expect(await moveThread(moderator, thread.id, "email", "Wrong category")).toMatchObject({ ok: true });
    expect(await moveThread(moderator, thread.id, "nowhere")).toMatchObject({ ok: false, status: 400 });
    expect(await toggleThread(moderator, thread.id, "hide")).toMatchObject({ ok: true });
    expect(await getThreadPage(thread.id, 1, await makeMember())).toBeNull();
    expect(await toggleThread(moderator, thread.id, "restore")).toMatchObject({ ok: true });
    expect((await logFor("thread", thread.id)).map((e) => [e.action, e.reason])).toEqual([
      ["thread.pin", null],
      ["thread.lock", "Solved, closing"],
      ["thread.moved", "Wrong category"],
      ["thread.hide", null],
      ["thread.restore", null],
    ]);
  });

  it("hides a post from everyone but staff and its author, and refuses members", async () => {
    const author = await makeMember();
    const thread = await makeThread(await makeMember());
    const reply = await makeReply(author, thread.id);
    expect(await setPostHidden(await makeMember({ established: true }), reply.id, true)).toMatchObject({ ok: false, status: 403 });
    expect(await setPostHidden(await makeMember({ role: "moderator" }), reply.id, true, "Personal data")).toMatchObject({ ok: true });
    const ids = async (viewer: Parameters<typeof getThreadPage>[2]) => (await getThreadPage(thread.id, 1, viewer))!.posts.map((p) => p.id);
    expect(await ids(null)).not.toContain(reply.id);
    expect(await ids(author)).toContain(reply.id);
    expect(await ids(await makeMember({ role: "moderator" }))).toContain(reply.id);
    // Readers count what they can see.
    const [hiddenCount] = await db().select({ n: threads.replyCount }).from(threads).where(eq(threads.id, thread.id));
    expect(hiddenCount!.n).toBe(0);
    await setPostHidden(await makeMember({ role: "admin" }), reply.id, false);
    const [shownCount] = await db().select({ n: threads.replyCount }).from(threads).where(eq(threads.id, thread.id));
    expect(shownCount!.n).toBe(1);
  });

  it("keeps a hidden thread's posts as they are for the moderators: their authors can no longer edit them", async () => {
    const moderator = await makeMember({ role: "moderator" });
    const asker = await makeMember();
    const thread = await makeThread(asker, { title: "Buy followers cheap" });
    const [question] = await db().select({ id: posts.id }).from(posts).where(and(eq(posts.threadId, thread.id), eq(posts.postNumber, 1)));
    expect(await toggleThread(moderator, thread.id, "hide", "Spam")).toMatchObject({ ok: true });
    expect(await editPost(asker, question!.id, { body: "A harmless question now", title: "A harmless question" })).toMatchObject({
      ok: false,
      status: 403,
      message: expect.stringContaining("A moderator hid this thread"),
    });
    expect((await threadById(thread.id)).title).toBe("Buy followers cheap");
    expect(await editPost(moderator, question!.id, { body: "Removed: spam", reason: "Spam" })).toMatchObject({ ok: true });
  });

  it("withdraws the acceptance when a moderator hides the accepted answer, and leaves it withdrawn on restore", async () => {
    const asker = await makeMember();
    const thread = await makeThread(asker);
    const word = searchWord();
    const answer = await makeReply(await makeMember(), thread.id, `Raise the ${word} limit in php.ini.`);
    expect(await acceptAnswer(asker, thread.id, answer.id)).toMatchObject({ ok: true });
    expect(await foundBy(word)).toEqual([thread.id]);
    const moderator = await makeMember({ role: "moderator" });

    expect(await setPostHidden(moderator, answer.id, true, "Leaks a customer's password")).toMatchObject({ ok: true });
    const row = await threadById(thread.id);
    expect([row.acceptedPostId, row.acceptedAuthorId, row.acceptedAt]).toEqual([null, null, null]);
    const records = await db().select().from(answerAccepts).where(eq(answerAccepts.threadId, thread.id)).orderBy(answerAccepts.id);
    expect(records.map((r) => [r.action, r.postId, r.actorId])).toEqual([
      ["accept", answer.id, asker.id],
      ["unaccept", answer.id, moderator.id],
    ]);
    expect((await logFor("thread", thread.id)).map((e) => [e.action, e.reason])).toEqual([["answer.withdrawn_for_author", "The accepted answer was hidden."]]);
    expect((await listThreads({ page: 1 })).threads.find((t) => t.id === thread.id)!.solved).toBe(false);
    expect(await foundBy(word)).toEqual([]);

    expect(await setPostHidden(moderator, answer.id, false)).toMatchObject({ ok: true });
    expect((await threadById(thread.id)).acceptedPostId).toBeNull();
    expect(await db().select().from(answerAccepts).where(eq(answerAccepts.threadId, thread.id))).toHaveLength(2);
  });

  it("keeps a flagged question or accepted answer out of search while hidden; agreeing withdraws the acceptance", async () => {
    const asker = await makeMember();
    const [questionWord, answerWord] = [searchWord(), searchWord()];
    const thread = await makeThread(asker, { body: `My ${questionWord} mailbox is full of spam.` });
    const answer = await makeReply(await makeMember(), thread.id, `Turn on the ${answerWord} filter.`);
    expect(await acceptAnswer(asker, thread.id, answer.id)).toMatchObject({ ok: true });
    const [question] = await db().select().from(posts).where(and(eq(posts.threadId, thread.id), eq(posts.postNumber, 1)));
    const flagThrice = async (postId: number) => {
      for (let i = 0; i < 3; i++) expect(await flagPost(await makeMember({ established: true }), postId, "spam")).toMatchObject({ ok: true });
    };

    await flagThrice(question!.id);
    expect(await foundBy(questionWord)).toEqual([]);
    const moderator = await makeMember({ role: "moderator" });
    expect(await resolveFlags(moderator, question!.id, "disagree")).toMatchObject({ ok: true });
    expect(await foundBy(questionWord)).toEqual([thread.id]);

    // Hidden by flags alone, the answer leaves search but stays accepted until a moderator decides.
    await flagThrice(answer.id);
    expect(await foundBy(answerWord)).toEqual([]);
    expect((await threadById(thread.id)).acceptedPostId).toBe(answer.id);
    expect(await resolveFlags(moderator, answer.id, "agree")).toMatchObject({ ok: true });
    expect((await threadById(thread.id)).acceptedPostId).toBeNull();
    const [last] = await db().select().from(answerAccepts).where(eq(answerAccepts.threadId, thread.id)).orderBy(desc(answerAccepts.id)).limit(1);
    expect([last!.action, last!.actorId]).toEqual(["unaccept", moderator.id]);
  });

  it("merges a duplicate: its posts follow the target's and its address leads there", async () => {
    const moderator = await makeMember({ role: "moderator" });
    const targetTitle = `Emails to Gmail bounce with 550 ${Date.now()}`;
    const target = await makeThread(await makeMember(), { title: targetTitle });
    await makeReply(await makeMember(), target.id);
    const duplicateAsker = await makeMember();
    const duplicate = await makeThread(duplicateAsker, { title: "Same question asked again" });
    await makeReply(await makeMember(), duplicate.id, "Answer in the duplicate");
    expect(await mergeThread(moderator, duplicate.id, duplicate.id)).toMatchObject({ ok: false, status: 400 });
    expect(await mergeThread(moderator, duplicate.id, target.id, "Duplicate")).toMatchObject({ ok: true });
    const page = await getThreadPage(target.id, 1, null);
    expect(page!.posts.map((p) => p.postNumber)).toEqual([1, 2, 3, 4]);
    expect(page!.thread.replyCount).toBe(3);
    expect(await getThreadPage(duplicate.id, 1, null)).toBeNull();
    expect(await mergedTarget(duplicate.id, null)).toEqual({ id: target.id, slug: target.slug });
    // The notification of the answer names the thread the answer now lives in, where opening it leads.
    expect((await listNotifications(duplicateAsker)).map((n) => [n.kind, n.threadId, n.threadTitle])).toEqual([["reply_on_your_thread", duplicate.id, targetTitle]]);
    expect(await mergeThread(moderator, duplicate.id, target.id)).toMatchObject({ ok: false, status: 409 });

    // Merged on again, the target takes the first duplicate along: both lead to the last thread.
    const finalTitle = `Gmail rejects our mail: 550 5.7.26 ${Date.now()}`;
    const final = await makeThread(await makeMember(), { title: finalTitle });
    expect(await mergeThread(moderator, target.id, final.id, "Same problem")).toMatchObject({ ok: true });
    expect(await mergedTarget(duplicate.id, null)).toEqual({ id: final.id, slug: final.slug });
    expect(await mergedTarget(target.id, null)).toEqual({ id: final.id, slug: final.slug });
    expect((await listNotifications(duplicateAsker)).map((n) => n.threadTitle)).toEqual([finalTitle]);
    expect((await getThreadPage(final.id, 1, null))!.posts).toHaveLength(5);
  });

  it("has chains of merges made before merging carried them along flattened by migration 0012", async () => {
    const [first, second, last, alone] = await Promise.all([1, 2, 3, 4].map(async () => makeThread(await makeMember())));
    // As merges used to leave them: first into second, second into last, and a merge of one step.
    await db().update(threads).set({ mergedIntoId: second!.id, hiddenAt: sql`now()` }).where(eq(threads.id, first!.id));
    await db().update(threads).set({ mergedIntoId: last!.id, hiddenAt: sql`now()` }).where(eq(threads.id, second!.id));
    await db().update(threads).set({ mergedIntoId: last!.id, hiddenAt: sql`now()` }).where(eq(threads.id, alone!.id));
    await db().execute(sql.raw(readFileSync(new URL("../../db/migrations/0012_flatten_merge_chains.sql", import.meta.url), "utf8")));
    const rows = await db().select({ id: threads.id, into: threads.mergedIntoId }).from(threads).where(inArray(threads.id, [first!.id, second!.id, last!.id, alone!.id]));
    expect(Object.fromEntries(rows.map((r) => [r.id, r.into]))).toEqual({ [first!.id]: last!.id, [second!.id]: last!.id, [last!.id]: null, [alone!.id]: last!.id });
  });

  it("answers a moderator acting on a thread deleted meanwhile with 404", async () => {
    const moderator = await makeMember({ role: "moderator" });
    expect(await toggleThread(moderator, 2_000_000_000, "lock")).toMatchObject({ ok: false, status: 404 });
    expect(await setPostHidden(moderator, 2_000_000_000, true)).toMatchObject({ ok: false, status: 404 });
  });
});

describe("merging, and what follows it", () => {
  const unansweredIds = async () => (await listUnanswered({ page: 1 })).threads.map((t) => t.id);

  it("keeps the duplicate's accepted answer when the target has none, and withdraws it on record when the target has one", async () => {
    const moderator = await makeMember({ role: "moderator" });
    const [asker, helper] = [await makeMember(), await makeMember()];
    const duplicate = await makeThread(asker);
    const answer = await makeReply(helper, duplicate.id, "Raise the PHP memory limit to 256M.");
    expect(await acceptAnswer(asker, duplicate.id, answer.id)).toMatchObject({ ok: true });
    const target = await makeThread(await makeMember());
    expect(await mergeThread(moderator, duplicate.id, target.id, "Duplicate")).toMatchObject({ ok: true });
    expect(await threadById(target.id)).toMatchObject({ acceptedPostId: answer.id, acceptedAuthorId: helper.id, acceptedById: asker.id });
    expect((await memberFigures(helper.id)).acceptedAllTime).toBe(1);
    expect((await acceptHistory(target.id)).map((record) => [record.action, record.postId])).toEqual([["accept", answer.id]]);

    // Into a thread solved already: its own answer stands, and the duplicate's is withdrawn by the moderator.
    const [secondAsker, secondHelper] = [await makeMember(), await makeMember()];
    const second = await makeThread(secondAsker);
    const secondAnswer = await makeReply(secondHelper, second.id, "Clear the DNS cache.");
    expect(await acceptAnswer(secondAsker, second.id, secondAnswer.id)).toMatchObject({ ok: true });
    expect(await mergeThread(moderator, second.id, target.id, "Duplicate")).toMatchObject({ ok: true });
    expect((await threadById(target.id)).acceptedPostId).toBe(answer.id);
    expect((await memberFigures(secondHelper.id)).acceptedAllTime).toBe(0);
    expect((await acceptHistory(target.id)).map((record) => [record.action, record.postId, record.actorName])).toEqual([
      ["accept", answer.id, asker.username],
      ["accept", secondAnswer.id, secondAsker.username],
      ["unaccept", secondAnswer.id, moderator.username],
    ]);
  });

  it("counts the duplicate's answers as the target's first response, never before the target was asked", async () => {
    const moderator = await makeMember({ role: "moderator" });
    const asker = await makeMember();
    // The same question asked twice, and answered in the copy asked first.
    const duplicate = await makeThread(asker);
    await db().update(threads).set({ createdAt: sql`now() - interval '2 hours'` }).where(eq(threads.id, duplicate.id));
    await db().update(posts).set({ createdAt: sql`now() - interval '2 hours'` }).where(eq(posts.threadId, duplicate.id));
    const answer = await makeReply(await makeMember(), duplicate.id, "Answered in the copy");
    await db().update(posts).set({ createdAt: sql`now() - interval '1 hour'` }).where(eq(posts.id, answer.id));
    const target = await makeThread(asker);
    expect(await unansweredIds()).toContain(target.id);
    expect(await mergeThread(moderator, duplicate.id, target.id, "Asked twice")).toMatchObject({ ok: true });
    const merged = await threadById(target.id);
    expect(merged.firstResponseAt).toEqual(merged.createdAt);
    expect(await unansweredIds()).not.toContain(target.id);
    // A later reply deleted leaves it as it was.
    const replier = await makeMember();
    const later = await makeReply(replier, target.id, "Me too");
    expect(await deletePost(replier, later.id)).toMatchObject({ ok: true });
    expect((await threadById(target.id)).firstResponseAt).toEqual(merged.createdAt);
  });

  it("has the duplicate's watchers, its asker among them, hear of answers in the target", async () => {
    const moderator = await makeMember({ role: "moderator" });
    const duplicateAsker = await makeMember();
    const target = await makeThread(await makeMember());
    const duplicate = await makeThread(duplicateAsker);
    expect(await mergeThread(moderator, duplicate.id, target.id)).toMatchObject({ ok: true });
    await makeReply(await makeMember(), target.id, "The answer, given in the target");
    expect((await listNotifications(duplicateAsker)).map((n) => [n.kind, n.threadId])).toEqual([["reply_in_watched_thread", target.id]]);
  });

  it("leaves a merged duplicate only leading to the target: no restoring it, replying to it or accepting in it", async () => {
    const moderator = await makeMember({ role: "moderator" });
    const asker = await makeMember();
    const target = await makeThread(await makeMember());
    const duplicate = await makeThread(asker);
    const reply = await makeReply(await makeMember(), duplicate.id);
    expect(await mergeThread(moderator, duplicate.id, target.id)).toMatchObject({ ok: true });
    expect(await toggleThread(moderator, duplicate.id, "restore")).toMatchObject({ ok: false, status: 409 });
    expect(await createReply(moderator, duplicate.id, "From a tab opened before the merge")).toMatchObject({ ok: false, status: 409 });
    expect(await acceptAnswer(moderator, duplicate.id, reply.id)).toMatchObject({ ok: false, status: 409 });
    expect((await listThreads({ page: 1 })).threads.map((t) => t.id)).not.toContain(duplicate.id);
  });

  it("leads a duplicate's address to the target only for those who may see the target", async () => {
    const moderator = await makeMember({ role: "moderator" });
    const target = await makeThread(await makeMember(), { title: "Password pasted here by mistake" });
    const duplicate = await makeThread(await makeMember());
    expect(await mergeThread(moderator, duplicate.id, target.id)).toMatchObject({ ok: true });
    expect(await toggleThread(moderator, target.id, "hide", "Holds a password")).toMatchObject({ ok: true });
    // The address would give the hidden thread's title away.
    expect(await mergedTarget(duplicate.id, null)).toBeNull();
    expect(await mergedTarget(duplicate.id, await makeMember())).toBeNull();
    expect(await mergedTarget(duplicate.id, moderator)).toEqual({ id: target.id, slug: target.slug });
  });

  it("takes a merged duplicate's remains away with the target's question", async () => {
    const moderator = await makeMember({ role: "moderator" });
    const asker = await makeMember();
    const target = await makeThread(asker);
    const duplicateAsker = await makeMember();
    const duplicate = await makeThread(duplicateAsker);
    expect(await mergeThread(moderator, duplicate.id, target.id)).toMatchObject({ ok: true });
    const [moved] = await db().select({ id: posts.id }).from(posts).where(and(eq(posts.threadId, target.id), eq(posts.postNumber, 2)));
    expect(await deletePost(duplicateAsker, moved!.id)).toMatchObject({ ok: true });
    const [question] = await db().select({ id: posts.id }).from(posts).where(and(eq(posts.threadId, target.id), eq(posts.postNumber, 1)));
    expect(await deletePost(asker, question!.id)).toMatchObject({ ok: true });
    expect(await db().select().from(threads).where(inArray(threads.id, [target.id, duplicate.id]))).toEqual([]);
  });
});

describe("a reply hidden or shown again", () => {
  it("puts a thread whose only answer was hidden back in the unanswered queue, and out again when it is restored", async () => {
    const moderator = await makeMember({ role: "moderator" });
    const thread = await makeThread(await makeMember());
    const spam = await makeReply(await makeMember(), thread.id, "Cheap hosting at spam.example");
    const answered = (await threadById(thread.id)).firstResponseAt;
    expect(answered).not.toBeNull();
    expect(await setPostHidden(moderator, spam.id, true, "Spam")).toMatchObject({ ok: true });
    expect((await threadById(thread.id)).firstResponseAt).toBeNull();
    expect((await listUnanswered({ page: 1 })).threads.map((t) => t.id)).toContain(thread.id);
    expect(await setPostHidden(moderator, spam.id, false, "Not spam after all")).toMatchObject({ ok: true });
    expect((await threadById(thread.id)).firstResponseAt).toEqual(answered);
  });

  it("lets a moderator show again a question that flags hid, but hides a question only with its thread", async () => {
    const moderator = await makeMember({ role: "moderator" });
    const thread = await makeThread(await makeMember());
    const [question] = await db().select({ id: posts.id }).from(posts).where(and(eq(posts.threadId, thread.id), eq(posts.postNumber, 1)));
    for (let i = 0; i < FLAGS_TO_HIDE; i++) expect(await flagPost(await makeMember({ established: true }), question!.id, "spam")).toMatchObject({ ok: true });
    expect(await resolveFlags(moderator, question!.id, "agree")).toMatchObject({ ok: true });
    expect((await postById(question!.id)).hiddenAt).not.toBeNull();
    expect(await setPostHidden(moderator, question!.id, false, "The flags were wrong")).toMatchObject({ ok: true });
    expect((await postById(question!.id)).hiddenAt).toBeNull();
    expect(await setPostHidden(moderator, question!.id, true)).toMatchObject({ ok: false, status: 400 });
  });

  it("does not tell a moderator that they hid their own post", async () => {
    const moderator = await makeMember({ role: "moderator", established: true });
    const thread = await makeThread(await makeMember());
    const own = await makeReply(moderator, thread.id, "Buy now at spam.example");
    for (let i = 0; i < FLAGS_TO_HIDE; i++) expect(await flagPost(await makeMember({ established: true }), own.id, "spam")).toMatchObject({ ok: true });
    expect(await resolveFlags(moderator, own.id, "agree")).toMatchObject({ ok: true });
    expect((await listNotifications(moderator)).map((n) => n.kind)).not.toContain("post_hidden");
  });

  it.runIf(runsOnPostgresOnly("accepting an answer while it is deleted or hidden"))("lets an accept and a delete or hide of the same answer at once both finish, one of them refused", async () => {
    const moderator = await makeMember({ role: "moderator" });
    for (let round = 0; round < 8; round++) {
      const asker = await makeMember();
      const helper = await makeMember();
      const thread = await makeThread(asker);
      const answer = await makeReply(helper, thread.id, "An answer");
      const other = round % 2 === 0 ? deletePost(helper, answer.id) : setPostHidden(moderator, answer.id, true, "Spam");
      // Neither throws (a deadlock would), and the answer is never accepted and hidden or gone.
      const outcomes = await Promise.all([acceptAnswer(asker, thread.id, answer.id), other]);
      expect(outcomes.map((outcome) => typeof outcome.ok)).toEqual(["boolean", "boolean"]);
      const [after] = await db().select().from(posts).where(eq(posts.id, answer.id));
      if ((await threadById(thread.id)).acceptedPostId === answer.id) expect(after !== undefined && after.hiddenAt === null).toBe(true);
    }
  });
});

describe("the moderation log", () => {
  it("is filtered by actor, action, member and date, and cannot be edited", async () => {
    const admin = await makeMember({ role: "admin" });
    const member = await makeMember();
    await suspendMember(admin, member.id, "24h", "Testing the log");
    const byActor = await listLog({ actor: admin.username.toUpperCase(), page: 1 });
    expect(byActor.entries.map((e) => e.action)).toEqual(["member.suspended"]);
    expect((await listLog({ member: member.username, page: 1 })).entries).toHaveLength(1);
    expect((await listLog({ action: "member.suspended", actor: admin.username, page: 1 })).entries).toHaveLength(1);
    expect((await listLog({ actor: admin.username, to: new Date("2000-01-01"), page: 1 })).entries).toHaveLength(0);
    await expect(db().delete(moderationLog).where(eq(moderationLog.actorId, admin.id))).rejects.toThrow();
  });
});
