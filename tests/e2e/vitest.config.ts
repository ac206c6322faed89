import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Browser tests against the production build (`npm run test:e2e` builds first). Each file starts
 * its own server, so files run one after another: a second initdb or chromium in parallel would
 * only make both slower on a small machine.
 */
export default defineConfig({
  resolve: { alias: { "~": `${root}app`, "~db": `${root}db` } },
  test: {
    name: "e2e",
    root,
    include: ["tests/e2e/**/*.test.ts"],
    fileParallelism: false,
    // The first start of a fresh PGlite directory runs initdb and the migrations (~15-20 s).
    hookTimeout: 90_000,
    testTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
