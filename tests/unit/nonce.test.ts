import { describe, expect, it } from "vitest";
import { newNonce } from "~/server/security-headers";

describe("newNonce", () => {
  it("gives every response 16 random bytes of its own, past the refill of its pool", () => {
    const nonces = Array.from({ length: 1_000 }, () => newNonce());
    expect(new Set(nonces).size).toBe(nonces.length);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
    // Random, not a counter: every byte value turns up among 16,000 bytes.
    expect(new Set(nonces.flatMap((nonce) => [...Buffer.from(nonce, "base64")])).size).toBe(256);
  });
});
