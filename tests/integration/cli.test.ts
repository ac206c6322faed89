/**
 * The command-line tools as an operator runs them, each in its own process on a database of its
 * own (an embedded one in a temporary folder), and the server refusing settings it cannot use.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "~db/client";
import { rowsOf } from "~db/rows";
import { EMAIL_TOPIC } from "~/jobs/email.server";

const root = fileURLToPath(new URL("../..", import.meta.url));
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "hosthelp-cli-"));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function run(script: string, args: string[], settings: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_DIR: dataDir, ...settings };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ["--import", "tsx", script, ...args], { cwd: root, env, timeout: 90_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
    child.stdin?.end();
  });
}

// The tools bring their own embedded database, so one run of this file is enough.
const once = describe.skipIf(process.env.HOSTHELP_TEST_DRIVER === "postgres");

once("npm run forum", { timeout: 120_000 }, () => {
  it("creates the first admin with a generated password shown once, and refuses a second with the same name", async () => {
    const first = await run("app/cli/forum.ts", ["create-admin", "--username", "owner", "--email", "owner@example.test"]);
    expect(first.code).toBe(0);
    expect(first.output).toMatch(/Created admin "owner"\.\nPassword \(shown only now, store it safely\): \S{20,}/);
    const again = await run("app/cli/forum.ts", ["create-admin", "--username", "Owner", "--email", "other@example.test"]);
    expect(again.code).toBe(1);
    expect(again.output).toContain("That username is taken");
  });

  it("explains bad usage instead of failing with a stack trace", async () => {
    for (const args of [[], ["create-admin", "--username", "x"], ["set-role", "--username", "owner", "--role", "king"], ["dance"]]) {
      const result = await run("app/cli/forum.ts", args);
      expect(result.code).toBe(1);
      expect(result.output).toContain("Usage:");
      expect(result.output).not.toMatch(/\n\s+at /);
    }
  });
});

once("npm run db:seed -- --demo", { timeout: 120_000 }, () => {
  it("fills a fresh forum with demo content once", async () => {
    const seeded = await run("db/seed.ts", ["--demo"]);
    expect(seeded.code).toBe(0);
    expect(seeded.output).toContain("Demo content added: 8 members and 14 threads.");
    const again = await run("db/seed.ts", ["--demo"]);
    expect(again.code).toBe(0);
    expect(again.output).toContain("already has threads");

    // The demo members' addresses lead nowhere: they get no email, so nothing was queued for them.
    const seededDatabase = openDatabase({ pgliteDir: dataDir });
    try {
      const [demo] = rowsOf<{ members: number; wanting_email: number }>(
        await seededDatabase.db.execute(sql`select count(*)::int as members, count(*) filter (where email_notifications)::int as wanting_email from members where email like '%@demo.hosthelp.invalid'`),
      );
      expect(demo).toEqual({ members: 8, wanting_email: 0 });
      const [queued] = rowsOf<{ n: number }>(await seededDatabase.db.execute(sql`select count(*)::int as n from outbox_events where topic = ${EMAIL_TOPIC}`));
      expect(queued!.n).toBe(0);
    } finally {
      await seededDatabase.close();
    }
  });
});

once("npm start with bad settings", { timeout: 60_000 }, () => {
  it("stops with a message naming the setting, before opening the database", async () => {
    const start = (env: Record<string, string>) => run("build/server.js", [], { ...env, PORT: "0", WORKER: "off", PGLITE_DIR: path.join(dataDir, "never-created") });
    const trusting = await start({ TRUST_PROXY: "true" });
    expect(trusting.code).toBe(1);
    expect(trusting.output).toContain('HostHelp could not start: TRUST_PROXY: "true" would trust any X-Forwarded-For header a client sends');
    const cache = await start({ PAGE_CACHE_SECONDS: "ten" });
    expect(cache.code).toBe(1);
    expect(cache.output).toContain('PAGE_CACHE_SECONDS must be a number of seconds (0 turns the cache off), not "ten".');
    expect(existsSync(path.join(dataDir, "never-created"))).toBe(false);
  });
});
