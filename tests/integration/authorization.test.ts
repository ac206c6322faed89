/**
 * The authorization matrix: every action, tried over HTTP by an anonymous visitor, a new member,
 * an established member, a suspended member, a moderator and an admin, each allowed or refused as
 * the rules say, and refused ones change nothing.
 */
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~db/client";
import { categories, flags, members, posts, threads } from "~db/schema";
import { flagPost, suspendMember } from "~/models/moderation.server";
import { makeMember, makeReply, makeThread } from "../support/factories";
import { startTestApp, Visitor, type TestApp } from "../support/app";

const ACTORS = ["anonymous", "new member", "member", "suspended member", "moderator", "admin"] as const;
type ActorName = (typeof ACTORS)[number];
type Member = Awaited<ReturnType<typeof makeMember>>;

let app: TestApp;
const visitors = new Map<ActorName, Visitor>();
let admin: Member;

beforeAll(async () => {
  app = await startTestApp();
  admin = await makeMember({ role: "admin" });
  const people: Record<Exclude<ActorName, "anonymous">, Member> = {
    "new member": await makeMember(),
    member: await makeMember({ established: true }),
    "suspended member": await makeMember({ established: true }),
    moderator: await makeMember({ role: "moderator" }),
    admin,
  };
  await suspendMember(admin, people["suspended member"].id, "7d", "Authorization matrix");
  visitors.set("anonymous", new Visitor(app));
  for (const [name, person] of Object.entries(people) as Array<[Exclude<ActorName, "anonymous">, Member]>) {
    const visitor = new Visitor(app);
    // A suspended member can still sign in (to read, and to see why they are suspended).
    const signedIn = await visitor.post("/login", { login: person.username, password: person.password });
    expect(signedIn.status).toBe(302);
    visitors.set(name, visitor);
  }
});

afterAll(async () => {
  await app?.close();
});

interface Scene {
  thread: { id: number; slug: string };
  questionId: number;
  replyId: number;
  target: Member;
}

/** A fresh thread by someone else, with a reply by a third member, for each attempt. */
async function scene(): Promise<Scene> {
  const asker = await makeMember();
  const thread = await makeThread(asker);
  const [question] = await db().select({ id: posts.id }).from(posts).where(and(eq(posts.threadId, thread.id), eq(posts.postNumber, 1)));
  const target = await makeMember();
  const reply = await makeReply(target, thread.id);
  return { thread, questionId: question!.id, replyId: reply.id, target };
}

async function threadRow(id: number) {
  const [row] = await db().select().from(threads).where(eq(threads.id, id));
  return row!;
}

interface Rule {
  action: string;
  allowed: ActorName[];
  attempt(visitor: Visitor, s: Scene): Promise<Response>;
  /** Whether the action took effect. */
  happened(s: Scene): Promise<boolean>;
}

const everyoneSignedIn: ActorName[] = ["new member", "member", "moderator", "admin"];
const posters: ActorName[] = everyoneSignedIn;
const staff: ActorName[] = ["moderator", "admin"];
const threadPath = (s: Scene) => `/t/${s.thread.id}/${s.thread.slug}`;

const RULES: Rule[] = [
  {
    action: "ask a question",
    allowed: posters,
    attempt: (v, s) => v.post("/ask", { title: `Matrix question ${s.thread.id}`, body: "Does this work for everyone?", category: "email" }),
    happened: async (s) => (await db().select({ n: count() }).from(threads).where(eq(threads.title, `Matrix question ${s.thread.id}`)))[0]!.n > 0,
  },
  {
    action: "reply",
    allowed: posters,
    attempt: (v, s) => v.post(threadPath(s), { intent: "reply", body: "A reply from the matrix" }),
    happened: async (s) => (await threadRow(s.thread.id)).replyCount > 1,
  },
  {
    action: "accept an answer on someone else's question",
    allowed: staff,
    attempt: (v, s) => v.post(threadPath(s), { intent: "accept", postId: String(s.replyId) }),
    happened: async (s) => (await threadRow(s.thread.id)).acceptedPostId === s.replyId,
  },
  {
    action: "edit someone else's post",
    allowed: staff,
    attempt: (v, s) => v.post(`/posts/${s.replyId}/edit`, { body: "Edited by the matrix", reason: "Checking permissions" }),
    happened: async (s) => (await db().select({ body: posts.bodySource }).from(posts).where(eq(posts.id, s.replyId)))[0]!.body === "Edited by the matrix",
  },
  {
    action: "flag a post",
    allowed: ["member", "moderator", "admin"],
    attempt: (v, s) => v.post(`/posts/${s.replyId}/flag`, { reason: "spam" }),
    happened: async (s) => (await db().select({ n: count() }).from(flags).where(eq(flags.postId, s.replyId)))[0]!.n > 0,
  },
  ...(["pin", "lock", "hide"] as const).map(
    (intent): Rule => ({
      action: `${intent} a thread`,
      allowed: staff,
      attempt: (v, s) => v.post(`/mod/threads/${s.thread.id}`, { intent }),
      happened: async (s) => {
        const row = await threadRow(s.thread.id);
        return Boolean(intent === "pin" ? row.pinnedAt : intent === "lock" ? row.lockedAt : row.hiddenAt);
      },
    }),
  ),
  {
    action: "move a thread",
    allowed: staff,
    attempt: (v, s) => v.post(`/mod/threads/${s.thread.id}`, { intent: "move", category: "billing-account" }),
    happened: async (s) => {
      const [row] = await db().select({ slug: categories.slug }).from(threads).innerJoin(categories, eq(categories.id, threads.categoryId)).where(eq(threads.id, s.thread.id));
      return row!.slug === "billing-account";
    },
  },
  {
    action: "merge a thread",
    allowed: staff,
    attempt: async (v, s) => {
      const other = await makeThread(await makeMember());
      return v.post(`/mod/threads/${s.thread.id}`, { intent: "merge", target: String(other.id) });
    },
    happened: async (s) => (await threadRow(s.thread.id)).mergedIntoId !== null,
  },
  {
    action: "hide a post",
    allowed: staff,
    attempt: (v, s) => v.post(`/mod/posts/${s.replyId}`, { intent: "hide" }),
    happened: async (s) => (await db().select({ hidden: posts.hiddenAt }).from(posts).where(eq(posts.id, s.replyId)))[0]!.hidden !== null,
  },
  {
    action: "resolve flags",
    allowed: staff,
    attempt: async (v, s) => {
      await flagPost(await makeMember({ established: true }), s.replyId, "spam");
      return v.post(`/mod/posts/${s.replyId}`, { intent: "ignore" });
    },
    happened: async (s) => (await db().select({ n: count() }).from(flags).where(and(eq(flags.postId, s.replyId), eq(flags.status, "ignored"))))[0]!.n > 0,
  },
  {
    action: "suspend a member",
    allowed: staff,
    attempt: (v, s) => v.post(`/u/${s.target.username}`, { intent: "suspend", memberId: String(s.target.id), length: "24h", reason: "Matrix" }),
    happened: async (s) => (await db().select({ until: members.suspendedUntil }).from(members).where(eq(members.id, s.target.id)))[0]!.until !== null,
  },
  {
    action: "make a member a moderator",
    allowed: ["admin"],
    attempt: (v, s) => v.post("/admin/members", { memberId: String(s.target.id), role: "moderator" }),
    happened: async (s) => (await db().select({ role: members.role }).from(members).where(eq(members.id, s.target.id)))[0]!.role === "moderator",
  },
];

const PAGES: Array<{ path: string; allowed: ActorName[] }> = [
  { path: "/mod", allowed: staff },
  { path: "/mod/flags", allowed: staff },
  { path: "/mod/log", allowed: ["admin"] },
  { path: "/admin", allowed: ["admin"] },
  { path: "/admin/members", allowed: ["admin"] },
  { path: "/admin/settings", allowed: ["admin"] },
];

describe.each(RULES)("$action", (rule) => {
  it.each(ACTORS)(`%s`, async (actor) => {
    const s = await scene();
    const response = await rule.attempt(visitors.get(actor)!, s);
    await response.body?.cancel();
    const allowed = rule.allowed.includes(actor);
    if (allowed) {
      expect(response.status, `${actor} should be allowed to ${rule.action}`).toBeLessThan(400);
      expect(await rule.happened(s)).toBe(true);
    } else {
      if (actor === "anonymous") {
        expect(response.status).toBe(302);
        expect(response.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
      } else {
        expect(response.status, `${actor} should be refused to ${rule.action}`).toBe(403);
      }
      expect(await rule.happened(s)).toBe(false);
    }
  });
});

describe.each(PAGES)("the page $path", ({ path, allowed }) => {
  it.each(ACTORS)("%s", async (actor) => {
    const response = await visitors.get(actor)!.get(path);
    await response.body?.cancel();
    const expected = allowed.includes(actor) ? 200 : actor === "anonymous" ? 302 : 403;
    expect(response.status).toBe(expected);
  });
});

describe("reading", () => {
  it.each(ACTORS)("%s can read a thread", async (actor) => {
    const s = await scene();
    expect((await visitors.get(actor)!.get(threadPath(s))).status).toBe(200);
  });
});
