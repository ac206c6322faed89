import { findForSignIn, type PublicMember } from "~/models/members.server";
import { verifyAgainstNothing, verifyPassword } from "./password.server";
import { clear, hitAll, LIMITS } from "./rate-limit.server";

export type SignInResult =
  | { ok: true; member: PublicMember }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Checks a username-or-email and password, counting the attempt against the client address and
 * against the account. Unknown accounts and wrong passwords look, and take, the same.
 */
export async function signIn(login: string, password: string, clientIp: string): Promise<SignInResult> {
  const found = await findForSignIn(login);
  // Keyed by member id when there is one, so "alice" and alice's email share one allowance.
  const accountKey = found ? `sign-in:member:${found.id}` : `sign-in:login:${login.toLowerCase()}`;
  const allowance = await hitAll([
    [`sign-in:ip:${clientIp}`, LIMITS.signInPerIp],
    [accountKey, LIMITS.signInPerAccount],
  ]);
  if (!allowance.allowed) return { ok: false, reason: "throttled", retryAfterSeconds: allowance.retryAfterSeconds };
  if (!found) return verifyAgainstNothing(password).then(() => ({ ok: false, reason: "invalid" }) as const);
  const { passwordHash, ...member } = found;
  if (!(await verifyPassword(passwordHash, password))) return { ok: false, reason: "invalid" };
  await clear(accountKey);
  return { ok: true, member };
}
