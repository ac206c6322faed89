/**
 * The outbox worker and email: a real SMTP server receives the reset message, the test follows
 * its link; failures back off, crashed claims come back, stale messages expire.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~db/client";
import { outboxEvents } from "~db/schema";
import { enqueueEmail, EMAIL_TOPIC } from "~/jobs/email.server";
import { claimDue, enqueue } from "~/jobs/outbox.server";
import { createWorker, workerOptionsFromEnv } from "~/jobs/worker.server";
import { makeMember, uniqueName } from "../support/factories";
import { startTestApp, Visitor, type TestApp } from "../support/app";
import { startMailbox, type TestMailbox } from "../support/smtp";

let app: TestApp;
let mailbox: TestMailbox;
beforeAll(async () => {
  [app, mailbox] = await Promise.all([startTestApp(), startMailbox()]);
});
afterAll(async () => {
  await Promise.all([app?.close(), mailbox?.close()]);
});

async function eventById(id: string) {
  const [event] = await db().select().from(outboxEvents).where(eq(outboxEvents.id, id));
  return event!;
}

const testEmail = (to: string) => ({ to, subject: "Test message", text: `Hello ${to}` });

describe("password reset by email", () => {
  it("sends the link through SMTP; following it sets a new password and signs in", async () => {
    const member = await makeMember();
    const visitor = new Visitor(app);
    await visitor.post("/reset-password", { email: member.email });

    const worker = createWorker(workerOptionsFromEnv({ SMTP_URL: mailbox.url }, () => {}));
    expect(await worker.runOnce()).toBeGreaterThanOrEqual(1);
    const mail = await mailbox.waitFor(member.email);
    expect(mail.subject).toBe("Reset your HostHelp password");
    const link = new URL(mail.text!.match(/https?:\/\/\S+\/reset-password\/\S+/)![0]);

    const form = await visitor.get(link.pathname);
    expect(form.status).toBe(200);
    expect(await visitor.text(form)).toContain("Choose a new password");
    const done = await visitor.post(link.pathname, { password: "chosen after reset 7" });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/?notice=password-reset");
    expect((await visitor.get("/account")).status).toBe(200);

    const again = await new Visitor(app).get(link.pathname);
    expect(again.status).toBe(410);
    const signIn = await new Visitor(app).post("/login", { login: member.username, password: "chosen after reset 7" });
    expect(signIn.status).toBe(302);

    // Once sent, the one-time link no longer sits in the database.
    const [event] = await db()
      .select()
      .from(outboxEvents)
      .where(and(eq(outboxEvents.topic, EMAIL_TOPIC), sql`${outboxEvents.payload}->>'to' = ${member.email}`));
    expect(event!.status).toBe("delivered");
    expect(JSON.stringify(event!.payload)).not.toContain(link.pathname);
  });
});

describe("without SMTP_URL", () => {
  it("writes the message to the log once and keeps it in the outbox", async () => {
    const to = `${uniqueName()}@example.test`;
    const id = await enqueueEmail(db(), testEmail(to));
    const lines: string[] = [];
    const worker = createWorker(workerOptionsFromEnv({}, (line) => lines.push(line)));
    await worker.runOnce();
    await worker.runOnce();
    const ours = lines.filter((line) => line.includes(id));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toContain("SMTP_URL is not set");
    expect(ours[0]).toContain(`To: ${to}`);
    expect(ours[0]).toContain(`Hello ${to}`);
    const event = await eventById(id);
    expect(event.status).toBe("pending");
    expect(event.loggedAt).not.toBeNull();
  });
});

describe("delivery failures", () => {
  it("retry after 30 s when the SMTP server is down, recording the error", async () => {
    const id = await enqueueEmail(db(), testEmail(`${uniqueName()}@example.test`));
    const down = createWorker(workerOptionsFromEnv({ SMTP_URL: "smtp://127.0.0.1:9" }, () => {}));
    await down.runOnce();
    const event = await eventById(id);
    expect(event.status).toBe("pending");
    expect(event.attempts).toBe(1);
    expect(event.lastError).toMatch(/ECONNREFUSED|connect/i);
    const [{ delay }] = (await db()
      .select({ delay: sql<number>`extract(epoch from ${outboxEvents.nextAttemptAt} - now())::int` })
      .from(outboxEvents)
      .where(eq(outboxEvents.id, id))) as [{ delay: number }];
    expect(delay).toBeGreaterThan(25);
    expect(delay).toBeLessThanOrEqual(30);
  });

  it("give up three days after the first attempt and mark the event failed", async () => {
    const id = await enqueueEmail(db(), testEmail(`${uniqueName()}@example.test`));
    await db().update(outboxEvents).set({ firstAttemptAt: sql`now() - interval '3 days'`, attempts: 40 }).where(eq(outboxEvents.id, id));
    await createWorker(workerOptionsFromEnv({ SMTP_URL: "smtp://127.0.0.1:9" }, () => {})).runOnce();
    expect((await eventById(id)).status).toBe("failed");
  });

  it("hand back an event whose worker died mid-delivery once its claim lapses", async () => {
    const to = `${uniqueName()}@example.test`;
    const id = await enqueueEmail(db(), testEmail(to));
    // A worker claimed it and died: status delivering, lease already over.
    await db().update(outboxEvents).set({ status: "delivering", attempts: 1, lockedUntil: sql`now() - interval '1 second'` }).where(eq(outboxEvents.id, id));
    await createWorker(workerOptionsFromEnv({ SMTP_URL: mailbox.url }, () => {})).runOnce();
    await mailbox.waitFor(to);
    const event = await eventById(id);
    expect(event.status).toBe("delivered");
    expect(event.attempts).toBe(2);
  });

  it("leave an event alone while another worker's claim holds", async () => {
    const id = await enqueueEmail(db(), testEmail(`${uniqueName()}@example.test`));
    await db().update(outboxEvents).set({ status: "delivering", lockedUntil: sql`now() + interval '1 minute'` }).where(eq(outboxEvents.id, id));
    await createWorker(workerOptionsFromEnv({ SMTP_URL: mailbox.url }, () => {})).runOnce();
    expect((await eventById(id)).status).toBe("delivering");
  });

  it("drop messages that expired before they could be sent", async () => {
    const id = await enqueueEmail(db(), testEmail(`${uniqueName()}@example.test`), { expiresAt: new Date(Date.now() - 1000) });
    await createWorker(workerOptionsFromEnv({ SMTP_URL: mailbox.url }, () => {})).runOnce();
    expect((await eventById(id)).status).toBe("expired");
  });
});

describe("claims", () => {
  it("never hand one event to two workers claiming at once", async () => {
    const topic = `test.${uniqueName()}`;
    const ids = await Promise.all(Array.from({ length: 30 }, (_, n) => enqueue(db(), { topic, payload: { n } })));
    const claims = await Promise.all(Array.from({ length: 4 }, () => claimDue([topic], 10)));
    const claimed = claims.flat().map((event) => event.id);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.length).toBeGreaterThan(0);
    const rows = await db().select().from(outboxEvents).where(inArray(outboxEvents.id, ids));
    expect(rows.filter((row) => row.status === "delivering").map((row) => row.id).sort()).toEqual([...claimed].sort());
  });
});

describe("the in-process worker", () => {
  it("delivers a new message at once, without waiting for the next poll", async () => {
    const to = `${uniqueName()}@example.test`;
    const worker = createWorker({ ...workerOptionsFromEnv({ SMTP_URL: mailbox.url }, () => {}), pollMs: 60_000 });
    worker.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await enqueueEmail(db(), testEmail(to));
      expect((await mailbox.waitFor(to, 5000)).subject).toBe("Test message");
    } finally {
      await worker.stop();
    }
  });
});
