/** Finding and launching the system chromium for the browser tests. */
import { accessSync, constants } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export type ChromiumLookup = { found: true; path: string } | { found: false; reason: string };

/** CHROMIUM_PATH when set (and then nothing else), otherwise Debian's /usr/bin/chromium. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  const candidate = env.CHROMIUM_PATH || "/usr/bin/chromium";
  try {
    accessSync(candidate, constants.X_OK);
    return { found: true, path: candidate };
  } catch {
    const how = env.CHROMIUM_PATH ? `CHROMIUM_PATH=${candidate} is not an executable file` : `no chromium at ${candidate} (set CHROMIUM_PATH, or apt-get install chromium)`;
    return { found: false, reason: how };
  }
}

/**
 * The chromium to test with, or null to skip the browser tests. Locally a missing browser is a
 * printed reason to skip; in CI (CI=true) it throws, so a broken image cannot pass by skipping.
 */
export function chromiumOrSkip(env: NodeJS.ProcessEnv = process.env): string | null {
  const lookup = findChromium(env);
  if (lookup.found) return lookup.path;
  if (env.CI === "true") throw new Error(`Browser tests cannot run in CI: ${lookup.reason}.`);
  console.warn(`Skipping the browser tests: ${lookup.reason}.`);
  return null;
}

/**
 * Flags for a headless chromium in a container: no sandbox (we run as root), no GPU, and none of
 * the background traffic (component updates, sync, QUIC probes) that this machine's network
 * blocks and that otherwise stalls start-up or fills the log.
 */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}
