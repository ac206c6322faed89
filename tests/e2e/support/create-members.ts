/**
 * Fixture script, run before the e2e server starts (see `createMembers` in support/members.ts),
 * never imported by a test: creates accounts with the app's own `createMember`, and makes those
 * marked `established` past the new-account limits of app/models/permissions.ts (a day old and
 * NEW_ACCOUNT.minPosts posts), as if they had been around for a while.
 *
 *   node --import tsx tests/e2e/support/create-members.ts '<JSON array of MemberSpec>'
 *
 * Prints one line `created <JSON array of { id, username }>` and closes the database, which must
 * happen before the server opens it (PGlite is single-process).
 */
import { inArray, sql } from "drizzle-orm";
import { closeDatabase, db } from "~db/client";
import { runMigrations } from "~db/migrator";
import { members } from "~db/schema";
import { createMember } from "~/models/members.server";
import { NEW_ACCOUNT } from "~/models/permissions";
import type { MemberSpec } from "./members";

async function main(specs: MemberSpec[]): Promise<void> {
  await runMigrations();
  const created: Array<{ id: number; username: string; established: boolean }> = [];
  for (const spec of specs) {
    const result = await createMember({ username: spec.username, email: spec.email, password: spec.password, role: spec.role });
    if (!result.ok) throw new Error(`Could not create ${spec.username}: ${result.message}`);
    created.push({ id: result.member.id, username: result.member.username, established: spec.established === true });
  }
  const established = created.filter((member) => member.established).map((member) => member.id);
  if (established.length > 0) {
    // Twice the minimum age, so that the clock moving on during a test changes nothing.
    await db()
      .update(members)
      .set({ createdAt: sql`now() - make_interval(secs => ${(2 * NEW_ACCOUNT.minAgeMs) / 1000})`, postCount: NEW_ACCOUNT.minPosts })
      .where(inArray(members.id, established));
  }
  console.log(`created ${JSON.stringify(created.map(({ id, username }) => ({ id, username })))}`);
}

try {
  const specs = JSON.parse(process.argv[2] ?? "[]") as MemberSpec[];
  if (!Array.isArray(specs) || specs.length === 0) throw new Error("Pass the members to create as a JSON array.");
  await main(specs);
  await closeDatabase();
} catch (error) {
  await closeDatabase().catch(() => {});
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
}
