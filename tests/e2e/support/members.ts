/**
 * Accounts that exist before the e2e server starts. Accounts signed up during a test are new, and
 * new accounts may not flag (app/models/permissions.ts), so members who have been around for a
 * while, and moderators, are written into the database from a `beforeStart`. So are plain new
 * members when a file needs many: the server takes only 10 sign-ups an hour from one address.
 */
import type { Role } from "~db/schema/members";
import type { Person } from "./forum";
import { runTsx } from "./run-tsx";

export interface MemberSpec extends Person {
  /** "member" unless said; admins come from the command line (support/admin-server.ts). */
  role?: Exclude<Role, "admin">;
  /** Two days old with enough posts to be past the new-account limits; otherwise new, as if just signed up. */
  established?: boolean;
}

/**
 * Creates `people` in the database of `serverEnv` with the app's own createMember
 * (support/create-members.ts). Call it from a suite's `beforeStart`, i.e. before the server
 * opens the database.
 */
export async function createMembers(serverEnv: NodeJS.ProcessEnv, people: MemberSpec[]): Promise<void> {
  const output = await runTsx(serverEnv, "tests/e2e/support/create-members.ts", [JSON.stringify(people)]);
  const line = output.match(/^created (.*)$/m)?.[1];
  const created = line ? (JSON.parse(line) as Array<{ username: string }>).map((member) => member.username) : [];
  const missing = people.filter((person) => !created.includes(person.username));
  if (missing.length > 0) throw new Error(`create-members.ts did not create ${missing.map((person) => person.username).join(", ")}:\n${output}`);
}
