import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

const root = fileURLToPath(new URL("..", import.meta.url));
const resolve = { alias: { "~": `${root}app`, "~db": `${root}db` } };

/** The integration suite, run once per database driver. */
function integration(name: string, driver: "pglite" | "postgres", globalSetup: string[] = []): TestProjectInlineConfiguration {
  // Each file has a database of its own (tests/support/database-per-file.ts), so files run side by side.
  return {
    resolve,
    test: {
      name,
      root,
      include: ["tests/integration/**/*.test.ts"],
      env: { HOSTHELP_TEST_DRIVER: driver },
      globalSetup,
      setupFiles: ["tests/support/database-per-file.ts"],
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  };
}

export default defineConfig({
  test: {
    root,
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core machine.
    // Integration files spend much of their time waiting (on PostgreSQL, child processes, the
    // hook's 10 s time limit), so one per core keeps the machine busy. At most 4: a PostgreSQL
    // file can hold 15 connections (pools, child processes), and the server takes 100 by default.
    maxWorkers: Math.min(4, Math.max(2, availableParallelism())),
    projects: [
      // In a time zone far from UTC, so that a date printed in local time instead of UTC shows.
      { resolve, test: { name: "unit", root, include: ["tests/unit/**/*.test.ts"], env: { TZ: "Pacific/Chatham" } } },
      integration("integration (PGlite)", "pglite"),
      // CI (and anyone with a server) sets TEST_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres
      ...(process.env.TEST_DATABASE_URL
        ? [integration("integration (PostgreSQL)", "postgres", ["tests/support/postgres-database.ts"])]
        : []),
    ],
  },
});
