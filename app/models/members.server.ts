import { and, asc, count, eq, ilike, isNull, or, sql } from "drizzle-orm";
import { db, type Executor, preparedStatement } from "~db/client";
import { violatedUniqueConstraint } from "~db/errors";
import { members, passwordResets, type Role } from "~db/schema";
import { hashPassword, verifyPassword } from "~/auth/password.server";
import { clear, describeWait, hit, LIMITS, passwordGuessesKey } from "~/auth/rate-limit.server";
import { endAllSessions, type CurrentMember } from "~/auth/session.server";
import { can, type Actor, type AssignableRole } from "./permissions";
import { appendToLog } from "./moderation-log.server";

/** A member as the models pass them around: what a session knows, plus the suspension's reason. */
export interface PublicMember extends CurrentMember {
  suspensionReason: string | null;
}

const publicColumns = {
  id: members.id,
  username: members.username,
  role: members.role,
  createdAt: members.createdAt,
  postCount: members.postCount,
  suspendedUntil: members.suspendedUntil,
  suspensionReason: members.suspensionReason,
};

const byUsername = (username: string) => eq(sql`lower(${members.username})`, username.toLowerCase());
const byEmail = (email: string) => eq(sql`lower(${members.email})`, email.toLowerCase());

export type CreateMemberResult =
  | { ok: true; member: PublicMember }
  | { ok: false; field: "username" | "email"; message: string };

const USERNAME_TAKEN = "That username is taken. Choose another.";
const EMAIL_IN_USE = "That email address is already registered. Sign in, or reset your password.";

export async function createMember(input: {
  username: string;
  email: string;
  password: string;
  role?: Role;
}): Promise<CreateMemberResult> {
  // Checked first to answer without spending a password hash; the unique indexes decide races.
  const [clash] = await db()
    .select({ username: members.username })
    .from(members)
    .where(or(byUsername(input.username), byEmail(input.email)))
    .limit(1);
  if (clash) {
    return clash.username.toLowerCase() === input.username.toLowerCase()
      ? { ok: false, field: "username", message: USERNAME_TAKEN }
      : { ok: false, field: "email", message: EMAIL_IN_USE };
  }
  try {
    const [member] = await db()
      .insert(members)
      .values({
        username: input.username,
        email: input.email,
        passwordHash: await hashPassword(input.password),
        role: input.role ?? "member",
      })
      .returning(publicColumns);
    return { ok: true, member: member! };
  } catch (error) {
    const constraint = violatedUniqueConstraint(error);
    if (constraint === "members_username_lower_key") return { ok: false, field: "username", message: USERNAME_TAKEN };
    if (constraint === "members_email_lower_key") return { ok: false, field: "email", message: EMAIL_IN_USE };
    throw error;
  }
}

/** A member by username or email, with the password hash, for signing in. */
export async function findForSignIn(login: string): Promise<(PublicMember & { passwordHash: string }) | null> {
  const [found] = await db()
    .select({ ...publicColumns, passwordHash: members.passwordHash })
    .from(members)
    .where(login.includes("@") ? byEmail(login) : byUsername(login))
    .limit(1);
  return found ?? null;
}

// Every profile page starts here: prepared once (see preparedStatement).
const memberByUsername = preparedStatement((database) =>
  database
    .select(publicColumns)
    .from(members)
    .where(eq(sql`lower(${members.username})`, sql.placeholder("username")))
    .limit(1)
    .prepare("member_by_username"),
);

export async function findMemberByUsername(username: string): Promise<PublicMember | null> {
  const [member] = await memberByUsername().execute({ username: username.toLowerCase() });
  return member ?? null;
}

/** What admins see of a member on their admin page: the public columns plus contact and billing. */
export async function findMemberForAdmin(username: string) {
  const [member] = await db()
    .select({ ...publicColumns, email: members.email, billingClientId: members.billingClientId })
    .from(members)
    .where(byUsername(username))
    .limit(1);
  return member ?? null;
}

export async function findMemberById(id: number): Promise<PublicMember | null> {
  const [member] = await db().select(publicColumns).from(members).where(eq(members.id, id)).limit(1);
  return member ?? null;
}

export async function findMemberByEmail(email: string): Promise<(PublicMember & { email: string }) | null> {
  const [member] = await db()
    .select({ ...publicColumns, email: members.email })
    .from(members)
    .where(byEmail(email))
    .limit(1);
  return member ?? null;
}

export async function accountSettings(memberId: number): Promise<{ email: string; emailNotifications: boolean }> {
  const [row] = await db().select({ email: members.email, emailNotifications: members.emailNotifications }).from(members).where(eq(members.id, memberId));
  return row!;
}

/**
 * Replaces a member's password and ends every session they have; the caller starts a fresh one
 * for the browser that made the change.
 */
export async function setPassword(memberId: number, newPassword: string): Promise<void> {
  await writePasswordHash(db(), memberId, await hashPassword(newPassword));
  await endAllSessions(memberId);
}

/** A new password also spends every reset link sent before it: one forwarded or read over a shoulder opens nothing. */
export async function writePasswordHash(tx: Executor, memberId: number, passwordHash: string): Promise<void> {
  await tx.update(members).set({ passwordHash, passwordChangedAt: sql`now()` }).where(eq(members.id, memberId));
  await spendResetLinks(memberId, tx);
}

/** Makes a member's unused reset links useless: on a new password, and when they sign out everywhere. */
export async function spendResetLinks(memberId: number, executor: Executor = db()): Promise<void> {
  await executor.update(passwordResets).set({ usedAt: sql`now()` }).where(and(eq(passwordResets.memberId, memberId), isNull(passwordResets.usedAt)));
}

export type ChangePasswordResult = { ok: true } | { ok: false; field: "currentPassword"; message: string; retryAfterSeconds?: number };

/**
 * Changes the password when the current one is right. The check draws on the allowance that
 * signing in does (10 tries in 15 minutes), so a borrowed session cannot guess faster here.
 */
export async function changePassword(memberId: number, currentPassword: string, newPassword: string): Promise<ChangePasswordResult> {
  const allowance = await hit(passwordGuessesKey(memberId), LIMITS.signInPerAccount);
  if (!allowance.allowed) {
    const wait = allowance.retryAfterSeconds;
    return { ok: false, field: "currentPassword", message: `Too many wrong passwords. Try again in ${describeWait(wait)}.`, retryAfterSeconds: wait };
  }
  const [row] = await db().select({ passwordHash: members.passwordHash }).from(members).where(eq(members.id, memberId));
  if (!row || !(await verifyPassword(row.passwordHash, currentPassword))) {
    return { ok: false, field: "currentPassword", message: "That is not your current password." };
  }
  await clear(passwordGuessesKey(memberId));
  await setPassword(memberId, newPassword);
  return { ok: true };
}

export const MEMBERS_PAGE_SIZE = 50;

export async function listMembers({ query, page }: { query?: string; page: number }) {
  const filter = query ? or(ilike(members.username, `%${escapeLike(query)}%`), ilike(members.email, `%${escapeLike(query)}%`)) : undefined;
  const [rows, [total]] = await Promise.all([
    db()
      .select({ ...publicColumns, email: members.email })
      .from(members)
      .where(filter)
      .orderBy(asc(sql`lower(${members.username})`))
      .limit(MEMBERS_PAGE_SIZE)
      .offset((page - 1) * MEMBERS_PAGE_SIZE),
    db().select({ total: count() }).from(members).where(filter),
  ]);
  return { members: rows, total: total?.total ?? 0 };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export type SetRoleResult = { ok: true; member: PublicMember } | { ok: false; status: 403 | 404; message: string };

/** An admin makes a member a moderator or back; the change is logged in the same transaction. */
export async function setRole(actor: Actor, targetId: number, role: AssignableRole): Promise<SetRoleResult> {
  return db().transaction(async (tx) => {
    const [target] = await tx.select(publicColumns).from(members).where(eq(members.id, targetId)).for("update");
    if (!target) return { ok: false, status: 404, message: "There is no such member." };
    if (!can(actor, "member:set-role", { target })) {
      return { ok: false, status: 403, message: "You may not give this member that role." };
    }
    if (target.role === role) return { ok: true, member: target };
    const [updated] = await tx.update(members).set({ role }).where(eq(members.id, targetId)).returning(publicColumns);
    await appendToLog(tx, {
      actorId: actor.id,
      action: "member.role_changed",
      targetType: "member",
      targetId,
      details: { from: target.role, to: role },
    });
    return { ok: true, member: updated! };
  });
}
