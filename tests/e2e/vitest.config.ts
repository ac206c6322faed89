import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Browser tests against the production build (`npm run test:e2e` builds first). Each file starts
 * its own server on a database of its own, so files can run side by side: a browser test spends
 * much of its time waiting on the page, and two at once kept a 2-core machine busier (94 s -> 78 s).
 */
export default defineConfig({
  resolve: { alias: { "~": `${root}app`, "~db": `${root}db` } },
  test: {
    name: "e2e",
    root,
    include: ["tests/e2e/**/*.test.ts"],
    maxWorkers: Math.max(2, availableParallelism()),
    globalSetup: ["tests/e2e/support/pglite-template.ts"],
    // The first start of a fresh PGlite directory runs initdb and the migrations (~15-20 s).
    hookTimeout: 90_000,
    testTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
