import { findForSignIn, type PublicMember } from "~/models/members.server";
import { verifyAgainstNothing, verifyPassword } from "./password.server";
import { addressKey, clear, hit, hitAll, LIMITS, passwordGuessesKey } from "./rate-limit.server";

export type SignInResult =
  | { ok: true; member: PublicMember }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Checks a username-or-email and password, counting the attempt against the client address, the
 * login as typed, and the account. Unknown accounts and wrong passwords look, and take, the same.
 *
 * The account's allowance is shared by its username and its email, so switching between them
 * gains nothing. Only the address and the login as typed decide when to say "too many attempts":
 * saying it because of the account behind a login would tell that an email and a username are one
 * account. When only the account's allowance is spent, the password is not checked and the answer
 * is the one a wrong password gets.
 */
export async function signIn(login: string, password: string, clientIp: string): Promise<SignInResult> {
  const found = await findForSignIn(login);
  const typedKey = `sign-in:login:${login.toLowerCase()}`;
  const accountKey = found ? passwordGuessesKey(found.id) : null;
  const [shown, account] = await Promise.all([
    hitAll([
      [addressKey("sign-in", clientIp), LIMITS.signInPerIp],
      [typedKey, LIMITS.signInPerAccount],
    ]),
    accountKey ? hit(accountKey, LIMITS.signInPerAccount) : null,
  ]);
  if (!shown.allowed) return { ok: false, reason: "throttled", retryAfterSeconds: shown.retryAfterSeconds };
  if (!found || !account?.allowed) return verifyAgainstNothing(password).then(() => ({ ok: false, reason: "invalid" }) as const);
  const { passwordHash, ...member } = found;
  if (!(await verifyPassword(passwordHash, password))) return { ok: false, reason: "invalid" };
  await Promise.all([clear(typedKey), clear(accountKey!)]);
  return { ok: true, member };
}
