/**
 * What pages send to the browser: the client build (from `npm run build`, which `npm test` runs
 * first) holds none of the server's libraries. Zod once rode along with every page, 450 KB of its
 * 740 KB of scripts, because a schema built at a module's top level cannot be tree-shaken away;
 * marked and drizzle-orm came along with a shared number and a list of flag reasons.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

const SERVER_ONLY = ["zod", "marked", "sanitize-html", "drizzle-orm", "postgres", "@electric-sql/pglite", "lucia", "@lucia-auth/adapter-drizzle", "@node-rs/argon2", "nodemailer"];

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

/** "zod" for "node_modules/zod/v4/core/api.js", "@node-rs/argon2" for a scoped package, null for the app's own files. */
function packageOf(input: string): string | null {
  return input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1] ?? null;
}

it("holds none of the server's libraries in any browser script", () => {
  const metafile = JSON.parse(readFileSync(`${root}build/metafile.js.json`, "utf8")) as Metafile;
  const outputs = Object.entries(metafile.outputs);
  expect(outputs.length).toBeGreaterThan(10);

  const leaked = outputs.flatMap(([output, { inputs }]) =>
    [...new Set(Object.keys(inputs).map(packageOf))].filter((name) => name !== null && SERVER_ONLY.includes(name)).map((name) => `${name} in ${output}`),
  );
  expect(leaked).toEqual([]);
  // The check can see packages at all: React is in the browser scripts by design.
  expect(outputs.some(([, { inputs }]) => Object.keys(inputs).some((input) => packageOf(input) === "react-dom"))).toBe(true);
});
