/**
 * `npm run db:seed -- --demo`: fills a fresh forum with believable hosting questions, answers and
 * accepted answers (some in Polish, Turkish, Icelandic and Bengali), through the same model
 * functions the pages use. Categories need no seed: a migration creates them.
 */
import { and, count, eq } from "drizzle-orm";
import { acceptAnswer } from "~/models/answers.server";
import { createMember } from "~/models/members.server";
import { createReply, createThread } from "~/models/threads.server";
import type { Actor } from "~/models/permissions";
import { closeDatabase, db } from "./client";
import { runMigrations } from "./migrator";
import { posts, threads } from "./schema";
import { DEMO_MEMBERS, DEMO_PASSWORD, DEMO_THREADS } from "./demo-content";

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
    people.set(person.username, created.member);
  }
  const who = (name: string) => people.get(name) ?? fail(`unknown demo member ${name}`);
  for (const demo of DEMO_THREADS) {
    const asked = await createThread(who(demo.author), { title: demo.title, body: demo.body, categorySlug: demo.category, urgent: demo.urgent ?? false });
    if (!asked.ok) throw new Error(`${demo.title}: ${asked.message}`);
    const replyIds: number[] = [];
    for (const reply of demo.replies) {
      const posted = await createReply(who(reply.author), asked.thread.id, reply.body);
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
  console.log(`Demo content added: ${DEMO_MEMBERS.length} members and ${DEMO_THREADS.length} threads.`);
  console.log(`The demo members (${DEMO_MEMBERS.map((m) => m.username).join(", ")}) sign in with the password "${DEMO_PASSWORD}".`);
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
  await closeDatabase();
} catch (error) {
  console.error("Seeding failed:", error instanceof Error ? error.message : error);
  await closeDatabase().catch(() => {});
  process.exit(1);
}
