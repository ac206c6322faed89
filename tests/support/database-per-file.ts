/**
 * Runs before each integration test file: gives the file a database of its own (a fresh in-memory
 * PGlite, or a copy of the migrated PostgreSQL template the global setup made) and migrates it.
 */
import { afterAll, beforeAll, inject } from "vitest";
import { closeDatabase, database } from "~db/client";
import { runMigrations } from "~db/migrator";
import { saveSetting, type PostingLimits } from "~/models/settings.server";
import { createScratchDatabase, type ScratchDatabase } from "./postgres-database";

const unlimited = { secondsBetweenPosts: 0, threadsPerDay: 10_000, repliesPerDay: 100_000, linksPerPost: 1000 };
export const NO_POSTING_LIMITS: PostingLimits = { new: unlimited, established: unlimited };

let scratch: ScratchDatabase | undefined;

beforeAll(async () => {
  if (process.env.HOSTHELP_TEST_DRIVER === "postgres") {
    const template = inject("templateDatabase");
    scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL!, template, template);
    process.env.DATABASE_URL = scratch.url;
    process.env.DATABASE_POOL_SIZE = "5";
  } else {
    delete process.env.DATABASE_URL;
    process.env.PGLITE_DIR = "memory://";
  }
  await runMigrations(database());
  // Most tests post in quick succession from new accounts; the limits have tests of their own
  // (tests/integration/moderation.test.ts), which put the real numbers back.
  await saveSetting(null, "posting_limits", NO_POSTING_LIMITS);
});

afterAll(async () => {
  try {
    await closeDatabase();
  } finally {
    await scratch?.drop();
  }
});
