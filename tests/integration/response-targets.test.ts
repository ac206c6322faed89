/**
 * Moderators hear of a question that waits past its first-response target: once per thread, in
 * the app and by email, within a day of the breach, and never of an answered or hidden thread.
 * Threads are backdated in the database to put them either side of their targets.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~db/client";
import { members, notifications, outboxEvents, threads } from "~db/schema";
import { EMAIL_TOPIC } from "~/jobs/email.server";
import { moderatorHome, toggleThread } from "~/models/moderation.server";
import { announceBreachedTargets } from "~/models/response-targets.server";
import { startTestApp, Visitor, type TestApp } from "../support/app";
import { makeMember, makeReply, makeThread, uniqueName } from "../support/factories";

type Member = Awaited<ReturnType<typeof makeMember>>;

async function askedMinutesAgo(asker: Member, minutes: number, urgent = false, categorySlug = "email") {
  const title = `Mail bounces since the move ${uniqueName("t")}`;
  const created = await makeThread(asker, { urgent, title, categorySlug });
  const thread = { ...created, title };
  await db()
    .update(threads)
    .set({ createdAt: sql`now() - make_interval(mins => ${minutes})` })
    .where(eq(threads.id, thread.id));
  return thread;
}

/** Who was told of each of the threads, as "thread id:member id" pairs. */
async function toldOf(threadIds: number[], memberIds: number[]): Promise<string[]> {
  const rows = await db()
    .select({ threadId: notifications.threadId, memberId: notifications.memberId })
    .from(notifications)
    .where(and(eq(notifications.kind, "target_breached"), inArray(notifications.threadId, threadIds), inArray(notifications.memberId, memberIds)));
  return rows.map((row) => `${row.threadId}:${row.memberId}`).sort();
}

async function breachEmailsTo(email: string): Promise<string[]> {
  const rows = await db()
    .select({ payload: outboxEvents.payload })
    .from(outboxEvents)
    .where(and(eq(outboxEvents.topic, EMAIL_TOPIC), sql`${outboxEvents.payload}->>'to' = ${email}`, sql`${outboxEvents.payload}->>'subject' like 'Waiting past target:%'`));
  return rows.map((row) => String((row.payload as { subject: string }).subject)).sort();
}

describe("a question past its first-response target", () => {
  let moderator: Member;
  let admin: Member;
  let member: Member;
  let suspended: Member;
  let asker: Member;

  beforeAll(async () => {
    moderator = await makeMember({ role: "moderator" });
    admin = await makeMember({ role: "admin" });
    member = await makeMember({ established: true });
    suspended = await makeMember({ role: "moderator" });
    await db().update(members).set({ suspendedUntil: sql`now() + interval '1 day'` }).where(eq(members.id, suspended.id));
    asker = await makeMember({ established: true });
  });

  it("is told once to moderators and admins, in the app and by email, within a day of the breach", async () => {
    const urgent = await askedMinutesAgo(asker, 61, true);
    const normal = await askedMinutesAgo(asker, 24 * 60 + 5);
    const urgentInTime = await askedMinutesAgo(asker, 59, true);
    const normalInTime = await askedMinutesAgo(asker, 23 * 60);
    const longAgo = await askedMinutesAgo(asker, 3 * 24 * 60);
    const answered = await askedMinutesAgo(asker, 24 * 60 + 5);
    await makeReply(member, answered.id);
    const hidden = await askedMinutesAgo(asker, 24 * 60 + 5);
    expect((await toggleThread(moderator, hidden.id, "hide", "Spam")).ok).toBe(true);
    const byModerator = await askedMinutesAgo(moderator, 2 * 60, true);

    await announceBreachedTargets();

    const all = [urgent, normal, urgentInTime, normalInTime, longAgo, answered, hidden, byModerator].map((t) => t.id);
    const people = [moderator, admin, member, suspended, asker].map((m) => m.id);
    expect(await toldOf(all, people)).toEqual(
      [`${urgent.id}:${moderator.id}`, `${urgent.id}:${admin.id}`, `${normal.id}:${moderator.id}`, `${normal.id}:${admin.id}`, `${byModerator.id}:${admin.id}`].sort(),
    );
    expect(await breachEmailsTo(moderator.email)).toEqual([`Waiting past target: ${normal.title}`, `Waiting past target: ${urgent.title}`].sort());
    expect(await breachEmailsTo(member.email)).toEqual([]);

    // A second pass (another worker, or the next minute) tells nobody again.
    await announceBreachedTargets();
    expect(await toldOf(all, people)).toHaveLength(5);
    expect(await breachEmailsTo(moderator.email)).toHaveLength(2);
  });

  it("is never an announcement, on the notices or the moderator home", async () => {
    const pastTarget = async () => (await moderatorHome(moderator)).breachedThreads;
    const before = await pastTarget();
    const announcement = await askedMinutesAgo(moderator, 24 * 60 + 5, false, "announcements");
    const urgentAnnouncement = await askedMinutesAgo(admin, 90, true, "announcements");
    expect(await pastTarget()).toBe(before);
    await announceBreachedTargets();
    expect(await toldOf([announcement.id, urgentAnnouncement.id], [moderator.id, admin.id])).toEqual([]);
    await askedMinutesAgo(asker, 24 * 60 + 5);
    expect(await pastTarget()).toBe(before + 1);
  });

  describe("on the notifications page", () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp();
    });
    afterAll(async () => {
      await app.close();
    });

    it("names the thread and its asker and opens the thread", async () => {
      const thread = await askedMinutesAgo(asker, 90, true);
      await announceBreachedTargets();
      const visitor = new Visitor(app);
      expect((await visitor.post("/login", { login: moderator.username, password: moderator.password })).status).toBe(302);
      const text = await visitor.text(await visitor.get("/notifications"));
      expect(text).toContain(`“${thread.title}”, asked by ${asker.username}, waits past its first-response target`);

      const [notification] = await db()
        .select({ id: notifications.id })
        .from(notifications)
        .where(and(eq(notifications.memberId, moderator.id), eq(notifications.threadId, thread.id)));
      const opened = await visitor.post("/notifications", { id: String(notification!.id) });
      expect(opened.status).toBe(302);
      expect(opened.headers.get("location")).toBe(`/t/${thread.id}`);
    });
  });
});
