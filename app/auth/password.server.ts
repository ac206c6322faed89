import { hash, verify, type Algorithm } from "@node-rs/argon2";

// @node-rs/argon2 declares `Algorithm` as an ambient const enum, which isolated modules cannot
// read; 2 is its Argon2id member.
const ARGON2ID = 2 as Algorithm;

/** OWASP's recommended argon2id settings: 19 MiB, 2 passes, 1 lane. */
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time a real verification would, so that "no such account" and "wrong password"
 * take equally long and a stopwatch cannot tell them apart.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword("hosthelp-timing-equaliser");
  await verifyPassword(await dummyHash, password);
  return false;
}
