/**
 * `npm run forum -- <command>`: administration from the server's command line.
 *
 *   create-admin --username NAME --email ADDRESS   creates an admin; asks for a password, or
 *                                                  generates one when none is typed or there is
 *                                                  no terminal, and prints it once
 *   set-role --username NAME --role ROLE           member, moderator or admin
 */
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { closeDatabase, db } from "~db/client";
import { runMigrations } from "~db/migrator";
import { members, ROLES, type Role } from "~db/schema";
import { newPasswordSchema } from "~/auth/password-policy.server";
import { emailSchema, usernameSchema } from "~/models/account-input.server";
import { appendToLog } from "~/models/moderation-log.server";
import { createMember, findMemberByUsername } from "~/models/members.server";

class UsageError extends Error {}

const USAGE = `Usage:
  npm run forum -- create-admin --username NAME --email ADDRESS
  npm run forum -- set-role --username NAME --role member|moderator|admin`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { username: { type: "string" }, email: { type: "string" }, role: { type: "string" } },
    strict: true,
  });
  switch (command) {
    case "create-admin":
      return createAdmin(required(values.username, "--username"), required(values.email, "--email"));
    case "set-role":
      return setRoleFromCli(required(values.username, "--username"), required(values.role, "--role"));
    default:
      throw new UsageError(command ? `Unknown command "${command}".` : "Name a command.");
  }
}

function required(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`${flag} is required.`);
  return value;
}

function check<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ message: string }> } } }, value: string, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(`${what}: ${result.error.issues[0]?.message}`);
  return result.data;
}

async function createAdmin(rawUsername: string, rawEmail: string): Promise<void> {
  const username = check(usernameSchema, rawUsername, "Username");
  const email = check(emailSchema, rawEmail, "Email");
  const typed = await askForPassword();
  const password = typed ? check(newPasswordSchema, typed, "Password") : randomBytes(18).toString("base64url");
  await runMigrations();
  const created = await createMember({ username, email, password, role: "admin" });
  if (!created.ok) throw new UsageError(created.message);
  await appendToLog(db(), { actorId: null, action: "member.role_changed", targetType: "member", targetId: created.member.id, reason: "created as admin from the command line", details: { to: "admin" } });
  console.log(`Created admin "${username}".`);
  if (!typed) console.log(`Password (shown only now, store it safely): ${password}`);
}

async function setRoleFromCli(username: string, role: string): Promise<void> {
  if (!(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}.`);
  await runMigrations();
  const member = await findMemberByUsername(username);
  if (!member) throw new UsageError(`There is no member "${username}".`);
  await db().transaction(async (tx) => {
    await tx.update(members).set({ role: role as Role }).where(eq(members.id, member.id));
    await appendToLog(tx, { actorId: null, action: "member.role_changed", targetType: "member", targetId: member.id, reason: "changed from the command line", details: { from: member.role, to: role } });
  });
  console.log(`${member.username} is now ${role}.`);
}

/** Reads a password without echoing it; empty (or no terminal) means "generate one". */
async function askForPassword(): Promise<string> {
  if (!process.stdin.isTTY) return "";
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const output = rl as unknown as { _writeToOutput: (text: string) => void };
  process.stdout.write("Password for the new admin (leave empty to generate one): ");
  let prompting = true;
  output._writeToOutput = (text) => {
    if (!prompting) process.stdout.write(text);
  };
  const answer = await new Promise<string>((resolve) => rl.question("", resolve));
  prompting = false;
  rl.close();
  process.stdout.write("\n");
  return answer;
}

try {
  await main(process.argv.slice(2));
  await closeDatabase();
} catch (error) {
  await closeDatabase().catch(() => {});
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exit(1);
}
