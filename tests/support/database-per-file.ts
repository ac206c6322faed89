/**
 * Runs before each integration test file: points the app at the database of this run (a fresh
 * in-memory PGlite per file, or the PostgreSQL database the global setup created) and migrates it.
 */
import { afterAll, beforeAll, inject } from "vitest";
import { closeDatabase, database } from "~db/client";
import { runMigrations } from "~db/migrator";

if (process.env.HOSTHELP_TEST_DRIVER === "postgres") {
  process.env.DATABASE_URL = inject("databaseUrl");
  process.env.DATABASE_POOL_SIZE = "5";
} else {
  delete process.env.DATABASE_URL;
  process.env.PGLITE_DIR = "memory://";
}

beforeAll(async () => {
  await runMigrations(database());
});

afterAll(async () => {
  await closeDatabase();
});
