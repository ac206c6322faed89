/**
 * Runs before each integration test file: points the app at the database of this run (a fresh
 * in-memory PGlite per file, or the PostgreSQL database the global setup created) and migrates it.
 */
import { afterAll, beforeAll, inject } from "vitest";
import { closeDatabase, database } from "~db/client";
import { runMigrations } from "~db/migrator";
import { saveSetting, type PostingLimits } from "~/models/settings.server";

const unlimited = { secondsBetweenPosts: 0, threadsPerDay: 10_000, repliesPerDay: 100_000, linksPerPost: 1000 };
export const NO_POSTING_LIMITS: PostingLimits = { new: unlimited, established: unlimited };

if (process.env.HOSTHELP_TEST_DRIVER === "postgres") {
  process.env.DATABASE_URL = inject("databaseUrl");
  process.env.DATABASE_POOL_SIZE = "5";
} else {
  delete process.env.DATABASE_URL;
  process.env.PGLITE_DIR = "memory://";
}

beforeAll(async () => {
  await runMigrations(database());
  // Most tests post in quick succession from new accounts; the limits have tests of their own
  // (tests/integration/moderation.test.ts), which put the real numbers back.
  await saveSetting(null, "posting_limits", NO_POSTING_LIMITS);
});

afterAll(async () => {
  await closeDatabase();
});
