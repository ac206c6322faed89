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
    // The longest tests walk many pages (axe over every kind of page, the done-when walk) and take
    // 30-45 s beside another file on a 2-core machine; on a slow one, the axe pass took over 60 s.
    testTimeout: 150_000,
    teardownTimeout: 30_000,
  },
});
