/**
 * Signing and checking the provisioning hook's `HostHelp-Signature` header.
 *
 * The header reads `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, as Stripe's
 * does. The timestamp is part of what is signed, so a receiver that refuses old timestamps also
 * refuses a captured request replayed later. During a secret rotation the sender signs with the
 * old and the new secret, and the header carries one `v1` per secret.
 *
 * This file is the helper the project exports to receivers (`hosthelp/signature`): it depends on
 * nothing but node:crypto, so it can also be copied into a receiver as it is.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** How old (or how far ahead) a signature's timestamp may be, in seconds. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

type RawBody = string | Uint8Array;

/** The hex HMAC of one timestamp and body under one secret. */
function computeSignature(secret: string, timestamp: number, rawBody: RawBody): string {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(rawBody).digest("hex");
}

/**
 * The `HostHelp-Signature` value for a body. Pass several secrets while rotating: each gives a
 * `v1`, and a receiver that knows either one accepts the request.
 */
export function signPayload(secret: string | readonly string[], rawBody: RawBody, timestamp = Math.floor(Date.now() / 1000)): string {
  const secrets = typeof secret === "string" ? [secret] : secret;
  if (secrets.length === 0 || secrets.some((one) => one.length === 0)) throw new Error("signPayload needs a non-empty secret.");
  return [`t=${timestamp}`, ...secrets.map((one) => `v1=${computeSignature(one, timestamp, rawBody)}`)].join(",");
}

export type SignatureFailureReason = "malformed" | "mismatch" | "too-old" | "in-the-future";

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: SignatureFailureReason; message: string };

export interface VerifyOptions {
  /** The `HostHelp-Signature` header as received (null or undefined when it was missing). */
  header: string | null | undefined;
  /** The request body exactly as received, before any JSON parsing. */
  rawBody: RawBody;
  /** The shared secret; several while rotating (any one may match). */
  secret: string | readonly string[];
  toleranceSeconds?: number;
  /** The receiver's clock, for tests. */
  now?: Date;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

function parseHeader(header: string): { timestamp: number; signatures: string[] } | null {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const separator = part.indexOf("=");
    if (separator < 0) return null;
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === "t") {
      if (timestamp !== null || !/^\d{1,12}$/.test(value)) return null;
      timestamp = Number(value);
    } else if (key === "v1") {
      if (!HEX_SHA256.test(value)) return null;
      signatures.push(value.toLowerCase());
    }
    // Other schemes (a future v2) are ignored, so senders can add them without breaking receivers.
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

/** Whether any of the header's signatures matches any of the secrets, compared in constant time. */
function anySignatureMatches(secrets: readonly string[], timestamp: number, rawBody: RawBody, signatures: string[]): boolean {
  let matched = false;
  for (const secret of secrets) {
    const expected = Buffer.from(computeSignature(secret, timestamp, rawBody), "hex");
    for (const signature of signatures) {
      // Every pair is compared, even after a match, so timing says nothing about which one matched.
      if (timingSafeEqual(expected, Buffer.from(signature, "hex"))) matched = true;
    }
  }
  return matched;
}

/**
 * Checks a request's `HostHelp-Signature`. Refuses a missing or malformed header, a body or
 * secret that does not match, and a timestamp more than `toleranceSeconds` (300) away from now
 * in either direction. Never throws for bad input: the answer says what was wrong.
 */
export function verifySignature({ header, rawBody, secret, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, now = new Date() }: VerifyOptions): SignatureCheck {
  const secrets = (typeof secret === "string" ? [secret] : secret).filter((one) => one.length > 0);
  if (secrets.length === 0) throw new Error("verifySignature needs the shared secret.");
  const parsed = header ? parseHeader(header) : null;
  if (!parsed) return { ok: false, reason: "malformed", message: "The HostHelp-Signature header is missing or not in the form t=<seconds>,v1=<hex>." };
  if (!anySignatureMatches(secrets, parsed.timestamp, rawBody, parsed.signatures)) {
    return { ok: false, reason: "mismatch", message: "No signature matches this body and secret." };
  }
  const age = Math.floor(now.getTime() / 1000) - parsed.timestamp;
  if (age > toleranceSeconds) {
    return { ok: false, reason: "too-old", message: `The signature is ${age} s old; at most ${toleranceSeconds} s is accepted.` };
  }
  if (-age > toleranceSeconds) {
    return { ok: false, reason: "in-the-future", message: `The signature's timestamp is ${-age} s ahead of this clock.` };
  }
  return { ok: true, timestamp: parsed.timestamp };
}
