/**
 * The signature helper receivers import: what it accepts and, above all, what it refuses. Every
 * case runs twice: against the source, and against the build receivers actually install
 * (`hosthelp/signature`, i.e. build/signature.js from `npm run build`, which `npm test` runs first).
 */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as source from "~/jobs/provisioning/signature";
import * as exported from "hosthelp/signature";

const secret = "whsec_test_8f2b1c";
const body = JSON.stringify({ id: "0b6f8c1e-3a59-4c1e-9d43-2f0a8e1b7c55", type: "ping", created_at: "2026-11-22T14:00:00.000Z" });
const now = new Date("2026-11-22T14:00:00Z");
const nowSeconds = Math.floor(now.getTime() / 1000);

it("imports the build for hosthelp/signature, not the source a second time", () => {
  expect(exported.verifySignature).not.toBe(source.verifySignature);
});

describe.each([
  ["the source", source],
  ["the exported build (hosthelp/signature)", exported],
])("%s", (_, { signPayload, verifySignature }) => {
  describe("signPayload", () => {
    it("writes t=<seconds>,v1=<hex HMAC-SHA256 of '<t>.<body>'>", () => {
      const expected = createHmac("sha256", secret).update(`${nowSeconds}.${body}`).digest("hex");
      expect(signPayload(secret, body, nowSeconds)).toBe(`t=${nowSeconds},v1=${expected}`);
    });

    it("signs the same bytes whether given a string or a buffer", () => {
      expect(signPayload(secret, Buffer.from(body), nowSeconds)).toBe(signPayload(secret, body, nowSeconds));
    });
  });

  describe("verifySignature", () => {
    const header = signPayload(secret, body, nowSeconds);

    it("accepts an untouched body signed with the shared secret", () => {
      expect(verifySignature({ header, rawBody: body, secret, now })).toEqual({ ok: true, timestamp: nowSeconds });
      expect(verifySignature({ header, rawBody: Buffer.from(body), secret, now }).ok).toBe(true);
    });

    it("refuses a tampered body", () => {
      const tampered = body.replace("ping", "reward.granted");
      expect(verifySignature({ header, rawBody: tampered, secret, now })).toMatchObject({ ok: false, reason: "mismatch" });
      // Even a change of whitespace: the signature covers bytes, not meaning.
      expect(verifySignature({ header, rawBody: `${body} `, secret, now })).toMatchObject({ ok: false, reason: "mismatch" });
    });

    it("refuses a wrong secret", () => {
      expect(verifySignature({ header, rawBody: body, secret: "whsec_someone_else", now })).toMatchObject({ ok: false, reason: "mismatch" });
    });

    it("refuses a timestamp 10 minutes old, even with a valid signature", () => {
      const old = signPayload(secret, body, nowSeconds - 600);
      const check = verifySignature({ header: old, rawBody: body, secret, now });
      expect(check).toMatchObject({ ok: false, reason: "too-old" });
      expect(!check.ok && check.message).toContain("600 s old");
    });

    it("accepts up to 300 s of age and clock skew, and no more", () => {
      expect(verifySignature({ header: signPayload(secret, body, nowSeconds - 300), rawBody: body, secret, now }).ok).toBe(true);
      expect(verifySignature({ header: signPayload(secret, body, nowSeconds - 301), rawBody: body, secret, now }).ok).toBe(false);
      expect(verifySignature({ header: signPayload(secret, body, nowSeconds + 300), rawBody: body, secret, now }).ok).toBe(true);
      expect(verifySignature({ header: signPayload(secret, body, nowSeconds + 301), rawBody: body, secret, now })).toMatchObject({ ok: false, reason: "in-the-future" });
      expect(verifySignature({ header: signPayload(secret, body, nowSeconds - 500), rawBody: body, secret, now, toleranceSeconds: 600 }).ok).toBe(true);
    });

    it("cannot be fooled by moving the timestamp of a valid signature", () => {
      const [, v1] = header.split(",");
      const moved = `t=${nowSeconds + 1},${v1}`;
      expect(verifySignature({ header: moved, rawBody: body, secret, now })).toMatchObject({ ok: false, reason: "mismatch" });
    });

    it("refuses missing and malformed headers", () => {
      const signature = header.split(",")[1]!;
      for (const bad of [null, undefined, "", "garbage", `t=${nowSeconds}`, signature, `t=abc,${signature}`, `t=${nowSeconds},v1=xyz`, `t=${nowSeconds},t=${nowSeconds},${signature}`, `t=${nowSeconds},v1`]) {
        expect(verifySignature({ header: bad, rawBody: body, secret, now })).toMatchObject({ ok: false, reason: "malformed" });
      }
    });

    it("supports a secret rotation on both sides", () => {
      // The sender signs with the new and the old secret: a receiver knowing either accepts.
      const rotating = signPayload(["whsec_new", secret], body, nowSeconds);
      expect(rotating.split(",").filter((part) => part.startsWith("v1="))).toHaveLength(2);
      expect(verifySignature({ header: rotating, rawBody: body, secret, now }).ok).toBe(true);
      expect(verifySignature({ header: rotating, rawBody: body, secret: "whsec_new", now }).ok).toBe(true);
      // A receiver that knows both accepts a sender still on either one.
      expect(verifySignature({ header, rawBody: body, secret: ["whsec_new", secret], now }).ok).toBe(true);
      expect(verifySignature({ header, rawBody: body, secret: ["whsec_new", "whsec_other"], now }).ok).toBe(false);
    });

    it("ignores signature schemes it does not know, and spaces after commas", () => {
      const [t, v1] = header.split(",");
      expect(verifySignature({ header: `${t}, v0=abc, ${v1}`, rawBody: body, secret, now }).ok).toBe(true);
    });

    it("will not check against an empty secret", () => {
      expect(() => verifySignature({ header, rawBody: body, secret: "", now })).toThrow(/secret/);
      expect(() => signPayload("", body)).toThrow(/secret/);
    });
  });
});
