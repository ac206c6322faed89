import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { db } from "~db/client";
import { passwordResets } from "~db/schema";
import { enqueueEmail } from "~/jobs/email.server";
import { publicUrl } from "~/lib/public-url.server";
import { hashPassword } from "~/auth/password.server";
import { endAllSessions } from "~/auth/session.server";
import { findMemberByEmail, writePasswordHash } from "./members.server";

export const RESET_LINK_LIFETIME_MS = 60 * 60 * 1000;

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Emails a one-time reset link if the address belongs to a member. Says nothing either way: the
 * caller shows the same answer whether or not the account exists.
 */
export async function requestPasswordReset(email: string): Promise<void> {
  const member = await findMemberByEmail(email);
  if (!member) return;
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + RESET_LINK_LIFETIME_MS);
  const link = `${publicUrl()}/reset-password/${token}`;
  await db().transaction(async (tx) => {
    await tx.insert(passwordResets).values({ tokenHash: hashToken(token), memberId: member.id, expiresAt });
    await enqueueEmail(
      tx,
      {
        to: member.email,
        subject: "Reset your HostHelp password",
        sensitive: true,
        text: [
          `Hello ${member.username},`,
          "",
          "Someone (hopefully you) asked to reset the password of your HostHelp account.",
          "Open this link within an hour to choose a new one. It works once.",
          "",
          link,
          "",
          "If you did not ask for this, ignore this message: your password stays as it is.",
        ].join("\n"),
      },
      { expiresAt },
    );
  });
}

/** Whether a reset token can still be used (for showing the form before the password is typed). */
export async function isResetTokenUsable(token: string): Promise<boolean> {
  const [row] = await db()
    .select({ memberId: passwordResets.memberId })
    .from(passwordResets)
    .where(and(eq(passwordResets.tokenHash, hashToken(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, sql`now()`)));
  return Boolean(row);
}

/**
 * Uses a reset token to set a new password and ends every session of the member. The token is
 * spent atomically, so two submissions of one link cannot both succeed. Returns the member id,
 * or null for an unknown, expired or spent token.
 */
export async function completePasswordReset(token: string, newPassword: string): Promise<number | null> {
  // Hashed before the token is spent, so a failure here leaves the link usable.
  const passwordHash = await hashPassword(newPassword);
  const memberId = await db().transaction(async (tx) => {
    const [spent] = await tx
      .update(passwordResets)
      .set({ usedAt: sql`now()` })
      .where(and(eq(passwordResets.tokenHash, hashToken(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, sql`now()`)))
      .returning({ memberId: passwordResets.memberId });
    if (!spent) return null;
    // Any other link sent earlier dies with this one (see writePasswordHash).
    await writePasswordHash(tx, spent.memberId, passwordHash);
    return spent.memberId;
  });
  if (memberId !== null) await endAllSessions(memberId);
  return memberId;
}
