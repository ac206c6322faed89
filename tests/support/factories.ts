import { eq } from "drizzle-orm";
import { db } from "~db/client";
import { members, type Role } from "~db/schema";
import { createMember } from "~/models/members.server";

let sequence = 0;

/** A name no other test in this run uses (tests share the PostgreSQL database). */
export function uniqueName(prefix = "user"): string {
  sequence += 1;
  return `${prefix}_${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}${sequence}`.slice(0, 24);
}

export const GOOD_PASSWORD = "violet staple gravity 42";

export async function makeMember(options: { role?: Role; password?: string; username?: string } = {}) {
  const username = options.username ?? uniqueName();
  const email = `${username}@example.test`;
  const password = options.password ?? GOOD_PASSWORD;
  const created = await createMember({ username, email, password, role: options.role ?? "member" });
  if (!created.ok) throw new Error(created.message);
  return { ...created.member, email, password };
}

export async function roleOf(memberId: number): Promise<Role | undefined> {
  const [row] = await db().select({ role: members.role }).from(members).where(eq(members.id, memberId));
  return row?.role;
}
