/**
 * Search against a real database: how it orders a word that many threads contain (see
 * SEARCH_WINDOW; the window is shrunk to a few threads so that a handful of threads shows what a
 * big forum does with thousands), and what its results may show.
 */
import { readFileSync } from "node:fs";
import { and, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "~db/client";
import { posts, searchWordShares, threads } from "~db/schema";
import { createWorker, workerOptionsFromEnv } from "~/jobs/worker.server";
import { acceptAnswer } from "~/models/answers.server";
import { SEARCH_RESULTS_PER_PAGE, SEARCHED_REPLIES } from "~/models/forum-rules";
import { FLAGS_TO_HIDE, flagPost, setPostHidden, toggleThread } from "~/models/moderation.server";
import { refreshSearchWordShares, searchThreads, type SearchWindow } from "~/models/search.server";
import { createReply, deletePost, editPost } from "~/models/threads.server";
import { makeMember, makeReply, makeThread, uniqueName } from "../support/factories";

const word = () => `zq${uniqueName("w").replace(/[^a-z0-9]/g, "")}`;

async function solvedThread(title: string) {
  const asker = await makeMember();
  const thread = await makeThread(asker, { title });
  await acceptAnswer(asker, thread.id, (await makeReply(await makeMember(), thread.id)).id);
  return thread;
}

/** A solved thread with a word twice in its title, then `count` newer threads with it once. */
async function oldSolvedAndNewer(count: number) {
  const marker = word();
  const oldSolved = await solvedThread(`Old answer about ${marker} and ${marker} again`);
  const asker = await makeMember();
  const newer: number[] = [];
  for (let i = 0; i < count; i++) newer.push((await makeThread(asker, { title: `Newer question ${i}`, body: `It mentions ${marker} once.` })).id);
  return { marker, oldSolved, newer };
}

describe("search over a common word", () => {
  it("ranks the newest threads' matches first and keeps every older match reachable on later pages", async () => {
    const { marker, oldSolved, newer } = await oldSolvedAndNewer(3);

    // A rare word: every match is ranked together, so the solved old thread comes first.
    const rare: SearchWindow = { newestThreads: [3], enoughMatches: 4 };
    expect((await searchThreads({ query: marker, page: 1 }, rare)).results.map((r) => r.id)).toEqual([oldSolved.id, ...[...newer].reverse()]);

    // A common word: the newest threads' matches come first, and the old one still follows.
    const common: SearchWindow = { newestThreads: [3], enoughMatches: 2 };
    const ids = (await searchThreads({ query: marker, page: 1 }, common)).results.map((r) => r.id);
    expect(ids.slice(0, 3).sort((a, b) => a - b)).toEqual(newer);
    expect(ids[3]).toBe(oldSolved.id);
  });

  it("ranks first the smallest window of newest threads that holds enough matches", async () => {
    const { marker, oldSolved, newer } = await oldSolvedAndNewer(4);
    const search = async (window: SearchWindow) => (await searchThreads({ query: marker, page: 1 }, window)).results.map((r) => r.id);
    const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

    // The newest two threads hold two matches: enough, so they alone come first. The page goes on
    // with the band the next window adds, then with the rest, the old solved thread.
    const two = await search({ newestThreads: [2, 4], enoughMatches: 2 });
    expect(sorted(two.slice(0, 2))).toEqual(newer.slice(2));
    expect(sorted(two.slice(2, 4))).toEqual(newer.slice(0, 2));
    expect(two[4]).toBe(oldSolved.id);

    // Three are needed: the newest four threads hold them, and the old solved thread follows.
    const four = await search({ newestThreads: [2, 4], enoughMatches: 3 });
    expect(sorted(four.slice(0, 4))).toEqual(newer);
    expect(four[4]).toBe(oldSolved.id);

    // No window holds enough: every match is ranked together, the solved old thread first.
    expect(await search({ newestThreads: [2, 4], enoughMatches: 9 })).toEqual([oldSolved.id, ...[...newer].reverse()]);
  });

  it("pages from the newest matches into the older ones with none lost or repeated", async () => {
    const marker = word();
    const asker = await makeMember();
    const made: number[] = [];
    for (let i = 0; i < SEARCH_RESULTS_PER_PAGE + 5; i++) made.push((await makeThread(asker, { title: `Backup ${marker} number ${i}` })).id);
    const window: SearchWindow = { newestThreads: [SEARCH_RESULTS_PER_PAGE - 2], enoughMatches: 2 };
    const first = await searchThreads({ query: marker, page: 1 }, window);
    const second = await searchThreads({ query: marker, page: 2 }, window);
    expect(first.results).toHaveLength(SEARCH_RESULTS_PER_PAGE);
    expect(first.hasMore).toBe(true);
    expect(second.results).toHaveLength(5);
    expect(second.hasMore).toBe(false);
    // The newest threads lead the first page.
    expect(first.results.slice(0, SEARCH_RESULTS_PER_PAGE - 2).every((r) => made.indexOf(r.id) >= 7)).toBe(true);
    expect([...first.results, ...second.results].map((r) => r.id).sort((a, b) => a - b)).toEqual(made);
  });

  it("pages through the later windows' bands, newest band first, then the rest", async () => {
    const marker = word();
    const asker = await makeMember();
    const made: number[] = [];
    for (let i = 0; i < SEARCH_RESULTS_PER_PAGE + 5; i++) made.push((await makeThread(asker, { title: `Mail ${marker} number ${i}` })).id);
    // The oldest thread is solved and has the word twice: it would lead if everything ranked together.
    await acceptAnswer(asker, made[0]!, (await makeReply(await makeMember(), made[0]!, `${marker} ${marker}`)).id);
    const window: SearchWindow = { newestThreads: [5, 10], enoughMatches: 2 };
    const first = await searchThreads({ query: marker, page: 1 }, window);
    const second = await searchThreads({ query: marker, page: 2 }, window);
    const band = (ids: number[]) => [...ids].sort((a, b) => a - b);
    const found = [...first.results, ...second.results].map((r) => r.id);
    expect(found).toHaveLength(made.length);
    expect(band(found.slice(0, 5))).toEqual(made.slice(-5));
    expect(band(found.slice(5, 10))).toEqual(made.slice(-10, -5));
    expect(found[10]).toBe(made[0]);
    expect(band(found.slice(10))).toEqual(made.slice(0, -10));
    expect(second.hasMore).toBe(false);
  });
});

describe("where search starts, from how common the words are", () => {
  // Other tests in this file search with no shares gathered: every window is read in turn.
  afterEach(async () => {
    await db().delete(searchWordShares);
  });

  /** An old solved thread with a word twice in its title, then four newer ones with it once, the second of them solved. */
  async function oldSolvedAndFourNewer() {
    const marker = word();
    const oldSolved = await solvedThread(`Old answer about ${marker} and ${marker} again`);
    const asker = await makeMember();
    const newer: number[] = [];
    for (let i = 0; i < 4; i++) {
      const thread = await makeThread(asker, { title: `Newer question ${i}`, body: `It mentions ${marker} once.` });
      if (i === 1) await acceptAnswer(asker, thread.id, (await makeReply(await makeMember(), thread.id)).id);
      newer.push(thread.id);
    }
    return { marker, oldSolved, newer: newer as [number, number, number, number] };
  }
  const window: SearchWindow = { newestThreads: [2, 4], enoughMatches: 2 };
  const found = async (query: string) => (await searchThreads({ query, page: 1 }, window)).results.map((r) => r.id);

  it("gathers each word's share of the newest threads, leaving hidden ones out", async () => {
    const marker = word();
    const asker = await makeMember();
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await makeThread(asker, { title: `Share of ${marker} number ${i}` }));
    expect((await toggleThread(await makeMember({ role: "moderator" }), made[0]!.id, "hide")).ok).toBe(true);
    await refreshSearchWordShares();
    const [newest] = await db().select({ id: sql<number>`max(${threads.id})` }).from(threads);
    const shares = await db().select().from(searchWordShares).where(eq(searchWordShares.word, marker));
    // The forum is smaller than the sample, so the share is of every thread id so far.
    expect(shares).toHaveLength(1);
    expect(shares[0]!.share).toBeCloseTo(2 / newest!.id, 6);
  });

  it("has them gathered by the worker's first pass, and hourly after it", async () => {
    const marker = word();
    await makeThread(await makeMember(), { title: `Gathered ${marker}` });
    await createWorker(workerOptionsFromEnv({}, () => {})).runOnce();
    expect(await db().select({ word: searchWordShares.word }).from(searchWordShares).where(eq(searchWordShares.word, marker))).toEqual([{ word: marker }]);
  });

  it("starts at the smallest window expected to hold enough matches", async () => {
    const { marker, oldSolved, newer: [n1, n2, n3, n4] } = await oldSolvedAndFourNewer();
    // With no shares gathered, the newest two threads hold enough and come first on their own.
    expect(await found(marker)).toEqual([n4, n3, n2, n1, oldSolved.id]);

    // In half the newest threads: the newest two are expected to hold one match, the newest four
    // two, enough. So the four rank together, the solved one first.
    await db().insert(searchWordShares).values({ word: marker, share: 0.5 });
    expect(await found(marker)).toEqual([n2, n4, n3, n1, oldSolved.id]);
    // With "or", the words' shares add up: two words in a quarter of them each start there too.
    const other = word();
    await db().insert(searchWordShares).values([{ word: other, share: 0.25 }]);
    await db().update(searchWordShares).set({ share: 0.25 }).where(eq(searchWordShares.word, marker));
    expect(await found(`${marker} or ${other}`)).toEqual([n2, n4, n3, n1, oldSolved.id]);
  });

  it("finds the same, in the same order, whether the index or the matches' rows bound a window", async () => {
    const { marker, oldSolved, newer: [n1, n2, n3, n4] } = await oldSolvedAndFourNewer();
    const byRows: SearchWindow = { ...window, matchCost: 0 };
    const byIndex: SearchWindow = { ...window, matchCost: 1e9 };
    const foundWith = async (through: SearchWindow) => (await searchThreads({ query: marker, page: 1 }, through)).results.map((r) => r.id);

    // In every newest thread: the newest two hold enough and lead, then each band on its own.
    await db().insert(searchWordShares).values({ word: marker, share: 1 });
    expect(await foundWith(byIndex)).toEqual([n4, n3, n2, n1, oldSolved.id]);
    expect(await foundWith(byRows)).toEqual([n4, n3, n2, n1, oldSolved.id]);
    // In half of them: the newest four rank together.
    await db().update(searchWordShares).set({ share: 0.5 }).where(eq(searchWordShares.word, marker));
    expect(await foundWith(byIndex)).toEqual([n2, n4, n3, n1, oldSolved.id]);
    expect(await foundWith(byRows)).toEqual([n2, n4, n3, n1, oldSolved.id]);
  });

  it("ranks every match together at once when not even the widest window is expected to hold enough", async () => {
    const { marker, oldSolved, newer: [n1, n2, n3, n4] } = await oldSolvedAndFourNewer();
    // Five matches among this file's many threads: too rare for four threads to hold two.
    await refreshSearchWordShares();
    expect(await found(marker)).toEqual([oldSolved.id, n2, n4, n3, n1]);
  });
});

describe("search results", () => {
  it("show no snippet of a question hidden after flags", async () => {
    const marker = word();
    const thread = await makeThread(await makeMember(), { title: `Hosting question ${marker}`, body: "My password is hunter2, please help." });
    const [question] = await db().select({ id: posts.id }).from(posts).where(and(eq(posts.threadId, thread.id), eq(posts.postNumber, 1)));
    for (let i = 0; i < FLAGS_TO_HIDE; i++) expect((await flagPost(await makeMember({ established: true }), question!.id, "abusive")).ok).toBe(true);

    const [result] = (await searchThreads({ query: marker, page: 1 })).results;
    expect(result?.id).toBe(thread.id);
    expect(result!.snippet.map((part) => part.text).join("")).not.toContain("hunter2");
  });

  it("show the words in the middle of a long question, with the text around them", async () => {
    const marker = word();
    const paragraph = (n: number) => `Paragraph ${n}: the mail queue on the panel is stuck after the update.\n\n`;
    const before = Array.from({ length: 200 }, (_, n) => paragraph(n)).join("");
    const after = Array.from({ length: 200 }, (_, n) => paragraph(n + 200)).join("");
    const body = `${before}\`\`\`\n${marker}: in a code block, not shown\n\`\`\`\nThe **${marker}** record is missing.\n\n${after}`;
    const thread = await makeThread(await makeMember(), { title: "Long report of a stuck mail queue", body });

    const [result] = (await searchThreads({ query: marker, page: 1 })).results;
    expect(result?.id).toBe(thread.id);
    const text = result!.snippet.map((part) => part.text).join("");
    // From a space about 60 characters before the word to about 240 after that, the code block's copy left out.
    const stuck = "the mail queue on the panel is stuck after the update.";
    expect(text).toBe(`… ${stuck} The ${marker} record is missing. Paragraph 200: ${stuck} Paragraph 201: ${stuck} Paragraph …`);
    expect(result!.snippet.filter((part) => part.match).map((part) => part.text)).toEqual([marker]);
  });
});

describe("search over replies", () => {
  const foundIds = async (query: string) => (await searchThreads({ query, page: 1 })).results.map((r) => r.id);

  it("finds a thread by words in a reply that is not the accepted answer, ranked below a title match", async () => {
    const marker = word();
    const inReply = await makeThread(await makeMember());
    await makeReply(await makeMember(), inReply.id, `Same here: the log says ${marker} after every restart.`);
    const inTitle = await makeThread(await makeMember(), { title: `Restart loop ${marker} on the VPS` });
    expect(await foundIds(marker)).toEqual([inTitle.id, inReply.id]);
  });

  it("shows a reply that matched far down a thread of long replies, among the replies its document holds", async () => {
    const marker = word();
    const thread = await makeThread(await makeMember());
    const replier = await makeMember();
    const filler = "The mail queue on the panel is stuck after the update, again. ".repeat(450);
    // Three replies of 28,350 characters, then one that starts about 85,000 into the replies,
    // inside the document's first 100,000, and ends past them: the word is at its start.
    for (let i = 0; i < 3; i++) await makeReply(replier, thread.id, filler);
    await makeReply(replier, thread.id, `In the end it was ${marker} all along.\n\n${filler}`);

    const [result] = (await searchThreads({ query: marker, page: 1 })).results;
    expect(result?.id).toBe(thread.id);
    expect(result!.snippetFrom).toBe("reply");
    expect(result!.snippet.map((part) => part.text).join("")).toMatch(new RegExp(`^In the end it was ${marker} all along\\. The mail queue`));
  });

  it("follows a reply being edited, hidden, restored and deleted", async () => {
    const [before, after] = [word(), word()];
    const thread = await makeThread(await makeMember());
    const replier = await makeMember();
    const reply = await makeReply(replier, thread.id, `It fails with ${before} here too.`);
    expect(await foundIds(before)).toEqual([thread.id]);

    expect((await editPost(replier, reply.id, { body: `It fails with ${after} here too.` })).ok).toBe(true);
    expect(await foundIds(before)).toEqual([]);
    expect(await foundIds(after)).toEqual([thread.id]);

    const moderator = await makeMember({ role: "moderator" });
    expect((await setPostHidden(moderator, reply.id, true)).ok).toBe(true);
    expect(await foundIds(after)).toEqual([]);
    expect((await setPostHidden(moderator, reply.id, false)).ok).toBe(true);
    expect(await foundIds(after)).toEqual([thread.id]);

    expect((await deletePost(replier, reply.id)).ok).toBe(true);
    expect(await foundIds(after)).toEqual([]);
  });

  it("shows the matching reply as the snippet when neither title nor question has the words, the accepted answer first", async () => {
    const marker = word();
    const asker = await makeMember();
    const thread = await makeThread(asker, { title: "Site down since this morning", body: "Nothing loads, the browser just spins." });
    await makeReply(await makeMember(), thread.id, `Check the error log: mine said ${marker} too.`);
    const answer = await makeReply(await makeMember(), thread.id, `The fix for ${marker} is to raise the PHP memory limit.`);
    const snippetOf = async (query: string) => {
      const [result] = (await searchThreads({ query, page: 1 })).results;
      return { from: result?.snippetFrom, text: result?.snippet.map((part) => part.text).join(""), marked: result?.snippet.filter((part) => part.match).map((part) => part.text) };
    };

    expect(await snippetOf(marker)).toEqual({ from: "reply", text: `Check the error log: mine said ${marker} too.`, marked: [marker] });
    expect((await acceptAnswer(asker, thread.id, answer.id)).ok).toBe(true);
    expect(await snippetOf(marker)).toMatchObject({ from: "accepted answer", marked: [marker] });
    // A word the question has too keeps the question as the snippet, though replies have it.
    const [question] = await db().select({ id: posts.id }).from(posts).where(and(eq(posts.threadId, thread.id), eq(posts.postNumber, 1)));
    expect((await editPost(asker, question!.id, { body: `Nothing loads, the log says ${marker}.` })).ok).toBe(true);
    expect(await snippetOf(marker)).toEqual({ from: "question", text: `Nothing loads, the log says ${marker}.`, marked: [marker] });
  });

  it("shows the first reply with all the words, whatever their case, order or script, and honours or and -word", async () => {
    const [a, b] = [word(), word()];
    const thread = await makeThread(await makeMember(), { title: "Mail stopped after the move", body: "Nothing arrives since Friday." });
    const replier = await makeMember();
    await makeReply(replier, thread.id, `Only ${a} here.`);
    await makeReply(replier, thread.id, `Both, the other way round: ${b} then ${a}.`);
    await makeReply(replier, thread.id, `Serwer w ŁODZI: ${a.toUpperCase()} ${b}, poczta nie działa.`);
    const snippetText = async (query: string) => (await searchThreads({ query, page: 1 })).results[0]?.snippet.map((part) => part.text).join("");

    expect(await snippetText(`${a} ${b}`)).toBe(`Both, the other way round: ${b} then ${a}.`);
    expect(await snippetText(`"${a} ${b}"`)).toBe(`Serwer w ŁODZI: ${a.toUpperCase()} ${b}, poczta nie działa.`);
    expect(await snippetText(`łodzi ${b}`)).toBe(`Serwer w ŁODZI: ${a.toUpperCase()} ${b}, poczta nie działa.`);
    // A hyphenated word is a word and its parts, and a host name a word of its own.
    await makeReply(replier, thread.id, `Try ${a}-${b}.example.com or ${b}-${a}.`);
    expect(await snippetText(`${b}-${a}`)).toBe(`Try ${a}-${b}.example.com or ${b}-${a}.`);
    expect(await snippetText(`${a}-${b}.example.com`)).toBe(`Try ${a}-${b}.example.com or ${b}-${a}.`);
    expect(await snippetText(`${a} or ${b}`)).toBe(`Only ${a} here.`);
    // Words only the title and the replies have between them: no one reply has both.
    expect(await snippetText(`mail ${a}`)).toBe("Nothing arrives since Friday.");
    // "-word" leaves out threads with that word anywhere, so it takes one this thread lacks.
    expect(await snippetText(`${a} -${word()}`)).toBe(`Only ${a} here.`);
  });

  it("tells which part of a thread a phrase, or a word with a quote in it, is in", async () => {
    const [a, b] = [word(), word()];
    const thread = await makeThread(await makeMember(), { title: `Mail for ${a} stopped`, body: `Since Friday ${b} gets nothing.` });
    await makeReply(await makeMember(), thread.id, `Same here: ${a} ${b} bounces.`);
    await makeReply(await makeMember(), thread.id, `The page at ${a}.example/${b}'s fails.`);
    const snippet = async (query: string) => {
      const [result] = (await searchThreads({ query, page: 1 })).results;
      return { from: result?.snippetFrom, text: result?.snippet.map((part) => part.text).join("") };
    };

    // Both words are in the title and the question, but side by side only in a reply.
    expect(await snippet(`${a} ${b}`)).toEqual({ from: "question", text: `Since Friday ${b} gets nothing.` });
    expect(await snippet(`"${a} ${b}"`)).toEqual({ from: "reply", text: `Same here: ${a} ${b} bounces.` });
    // A host and path with a quote in it is a word of its own, quoted in the query.
    expect(await snippet(`${a}.example/${b}'s`)).toEqual({ from: "reply", text: `The page at ${a}.example/${b}'s fails.` });
  });

  it("reads the first replies of a long thread, as far as SEARCHED_REPLIES reaches", async () => {
    const [early, late] = [word(), word()];
    const thread = await makeThread(await makeMember());
    const replier = await makeMember();
    for (let n = 1; n <= SEARCHED_REPLIES.count + 1; n++) {
      const body = n === 1 ? `First reply mentions ${early}.` : n === SEARCHED_REPLIES.count + 1 ? `A late reply mentions ${late}.` : `Reply number ${n}.`;
      expect((await createReply(replier, thread.id, body, { skipPostingLimits: true })).ok).toBe(true);
    }
    expect(await foundIds(early)).toEqual([thread.id]);
    expect(await foundIds(late)).toEqual([]);
  });

  it("has existing threads rebuilt by migration 0011 exactly as refreshSearchDocument builds them", async () => {
    const asker = await makeMember();
    const thread = await makeThread(asker, { title: `Mail bounces ${word()}` });
    const accepted = await makeReply(await makeMember(), thread.id, `Fix the ${word()} record.`);
    await makeReply(await makeMember(), thread.id, `Also check ${word()}.`);
    const hidden = await makeReply(await makeMember(), thread.id, `Spam about ${word()}.`);
    await acceptAnswer(asker, thread.id, accepted.id);
    expect((await setPostHidden(await makeMember({ role: "moderator" }), hidden.id, true)).ok).toBe(true);
    const documentOf = async () => (await db().select({ text: sql<string>`${threads.searchDocument}::text` }).from(threads).where(eq(threads.id, thread.id)))[0]!.text;
    const built = await documentOf();

    await db().update(threads).set({ searchDocument: null }).where(eq(threads.id, thread.id));
    await db().execute(sql.raw(readFileSync(new URL("../../db/migrations/0011_search_over_replies.sql", import.meta.url), "utf8")));
    expect(await documentOf()).toBe(built);
  });
});
