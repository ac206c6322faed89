/**
 * `npm run db:seed -- --demo`: fills a fresh forum with believable hosting questions, answers and
 * accepted answers (some in Polish, Turkish, Icelandic and Bengali), through the same model
 * functions the pages use. Categories need no seed: a migration creates them.
 */
import { and, count, eq, sql } from "drizzle-orm";
import { acceptAnswer } from "~/models/answers.server";
import { stopMarkdownWorker } from "~/models/markdown/cook.server";
import { createMember } from "~/models/members.server";
import { setEmailNotifications } from "~/models/notifications.server";
import { createReply, createThread } from "~/models/threads.server";
import type { Actor } from "~/models/permissions";
import { closeDatabase, db } from "./client";
import { runMigrations } from "./migrator";
import { posts, threads } from "./schema";
import { DEMO_MEMBERS, DEMO_PASSWORD, DEMO_THREADS } from "./demo-content";

// The demo is a month of history written at once: the posting limits are for people, not for it.
const HISTORY = { skipPostingLimits: true };

async function seedDemo(): Promise<void> {
  await runMigrations();
  const [existing] = await db().select({ n: count() }).from(threads);
  if (existing!.n > 0) {
    console.log("The forum already has threads; demo content only goes into a fresh forum. Nothing was changed.");
    return;
  }
  const people = new Map<string, Actor>();
  for (const person of DEMO_MEMBERS) {
    const created = await createMember({ username: person.username, email: `${person.username}@demo.hosthelp.invalid`, password: DEMO_PASSWORD, role: person.role });
    if (!created.ok) throw new Error(`${person.username}: ${created.message}`);
    // Their addresses lead nowhere: with SMTP_URL set, every demo answer would queue mail that bounces.
    await setEmailNotifications(created.member.id, false);
    people.set(person.username, created.member);
  }
  const who = (name: string) => people.get(name) ?? fail(`unknown demo member ${name}`);
  for (const demo of DEMO_THREADS) {
    const asked = await createThread(who(demo.author), { title: demo.title, body: demo.body, categorySlug: demo.category, urgent: demo.urgent ?? false }, HISTORY);
    if (!asked.ok) throw new Error(`${demo.title}: ${asked.message}`);
    const replyIds: number[] = [];
    for (const reply of demo.replies) {
      const posted = await createReply(who(reply.author), asked.thread.id, reply.body, HISTORY);
      if (!posted.ok) throw new Error(`${demo.title}: ${posted.message}`);
      replyIds.push(posted.postNumber);
    }
    if (demo.accepted !== undefined) {
      const [post] = await db().select({ id: posts.id }).from(posts).where(and(eq(posts.threadId, asked.thread.id), eq(posts.postNumber, replyIds[demo.accepted]!)));
      const accepter = demo.acceptedBy ? who(demo.acceptedBy) : who(demo.author);
      const accepted = await acceptAnswer(accepter, asked.thread.id, post!.id);
      if (!accepted.ok) throw new Error(`${demo.title}: ${accepted.message}`);
    }
  }
  await spreadOverTime();
  console.log(`Demo content added: ${DEMO_MEMBERS.length} members and ${DEMO_THREADS.length} threads.`);
  console.log(`The demo members (${DEMO_MEMBERS.map((m) => m.username).join(", ")}) sign in with the password "${DEMO_PASSWORD}".`);
}

/**
 * Everything above was written within seconds; a living forum's history spans weeks. Threads are
 * spread over the past month (a day or so apart, in the order written) and each answer comes 47
 * minutes after the post before it, with every derived time (last activity, first response,
 * acceptance, notifications) following.
 */
async function spreadOverTime(): Promise<void> {
  const statements = [
    sql`update members set created_at = now() - interval '60 days'`,
    sql`with spread as (select id, now() - (count(*) over () - row_number() over (order by id)) * interval '31 hours' - interval '3 hours' as at from threads)
        update threads set created_at = spread.at from spread where threads.id = spread.id`,
    sql`update posts set created_at = threads.created_at + (posts.post_number - 1) * interval '47 minutes' from threads where threads.id = posts.thread_id`,
    sql`update post_revisions set created_at = posts.created_at from posts where posts.id = post_revisions.post_id`,
    sql`update threads set
          last_posted_at = (select max(created_at) from posts where thread_id = threads.id),
          first_response_at = (select min(created_at) from posts where thread_id = threads.id and author_id <> threads.author_id),
          accepted_at = (select created_at + interval '2 hours' from posts where id = threads.accepted_post_id)`,
    sql`update answer_accepts set created_at = threads.accepted_at from threads where threads.id = answer_accepts.thread_id and threads.accepted_at is not null`,
    sql`update notifications set created_at = posts.created_at from posts where posts.id = notifications.post_id`,
  ];
  for (const statement of statements) await db().execute(statement);
}

function fail(message: string): never {
  throw new Error(message);
}

const args = process.argv.slice(2);
if (!args.includes("--demo")) {
  console.error("Usage: npm run db:seed -- --demo   (adds demo members and threads to a fresh forum)");
  process.exit(1);
}
try {
  await seedDemo();
} catch (error) {
  console.error("Seeding failed:", error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await stopMarkdownWorker();
  await closeDatabase().catch(() => {});
}
