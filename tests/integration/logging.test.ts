/**
 * What the server logs when the database fails: the failed query and the database's reason, never
 * the values bound into it, which include session ids (each signs its holder in for 30 days).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "~db/client";
import { startSession } from "~/auth/session.server";
import { loggableError, loggableMessage } from "~/lib/loggable-error.server";
import { makeMember } from "../support/factories";
import { startTestApp, type TestApp } from "../support/app";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

describe("a failed query, logged", () => {
  it("keeps the query and the database's reason, and leaves out the values bound into it", async () => {
    const secret = "session-id-that-signs-someone-in";
    const error = await db()
      .execute(sql`select * from sessions where id = ${secret} and no_such_column = 1`)
      .then(() => null, (thrown: unknown) => thrown);
    // The error as the driver gives it quotes the value: what the log must not.
    expect(String(error)).toContain(secret);
    for (const text of [loggableError(error), loggableMessage(error)]) {
      expect(text).toContain("select * from sessions where id = $1");
      expect(text).toContain("no_such_column");
      expect(text).not.toContain(secret);
    }
    expect(loggableError(error)).toMatch(/\n {4}at /);
    expect(loggableMessage(new Error("fetch https://hook:s3cret@billing.example/ failed"))).toBe("fetch https://***@billing.example/ failed");
  });

  it("is not written for an address the server cannot read, which is answered with a 400", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      for (const path of ["/%ZZ", `/t/1/%E0%A4${"a.".repeat(4000)}`]) {
        const response = await fetch(`${app.origin}${path}`);
        expect(response.status).toBe(400);
        expect(await response.text()).toBe("HostHelp could not read this request: check the address.");
      }
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });

  it("is how the server logs a request it cannot answer because the session look-up failed", async () => {
    const member = await makeMember();
    const cookie = (await startSession(member.id)).split(";")[0]!;
    const sessionId = cookie.split("=")[1]!;
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    await db().execute(sql`alter table sessions rename to sessions_away`);
    try {
      const response = await fetch(`${app.origin}/`, { headers: { cookie } });
      expect(response.status).toBe(500);
      expect(await response.text()).toBe("HostHelp could not answer just now. Please try again in a minute.");
      const lines = logged.mock.calls.map((call) => call.map(String).join(" ")).join("\n");
      expect(lines).toContain("Failed query");
      expect(lines).not.toContain(sessionId);
    } finally {
      await db().execute(sql`alter table sessions_away rename to sessions`);
      logged.mockRestore();
    }
  });
});
