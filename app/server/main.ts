/**
 * The production web server: applies migrations, starts the outbox worker, serves the Remix app.
 * Bundled to build/server.js by `npm run build`; start it with `npm start` or `npm run serve`.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import { closeDatabase, database, type DatabaseHandle } from "~db/client";
import { runMigrations } from "~db/migrator";
import { createWorker, workerOptionsFromEnv } from "~/jobs/worker.server";
import { createApp } from "./app";
import { parseTrustProxy, type TrustProxy } from "./trust-proxy";

const root = fileURLToPath(new URL("..", import.meta.url));
const mode = process.env.NODE_ENV === "development" ? "development" : "production";
const port = Number(process.env.PORT || 3000);
/** Public pages are kept this long for visitors who are not signed in (app/server/page-cache.ts). */
const DEFAULT_PAGE_CACHE_SECONDS = 10;

// Settings are checked before anything starts, so that a mistake is the first and only message.
const trustProxy = trustProxyFromEnv(process.env.TRUST_PROXY);
const pageCacheSeconds = pageCacheSecondsFromEnv(process.env.PAGE_CACHE_SECONDS);

const handle = await openAndMigrate().catch((error: unknown) => {
  // A configuration problem (database unreachable, data directory in use) is a message, not a stack.
  console.error(`HostHelp could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

async function openAndMigrate(): Promise<DatabaseHandle> {
  const pgliteDir = process.env.DATABASE_URL ? null : process.env.PGLITE_DIR || "./data";
  if (pgliteDir && !existsSync(path.join(pgliteDir, "PG_VERSION"))) {
    console.log(`Creating the embedded database in ${pgliteDir} (the first start takes a few seconds more).`);
  }
  const opened = database();
  await runMigrations(opened, fileURLToPath(new URL("../db/migrations", import.meta.url)));
  return opened;
}

const build = (await import(pathToFileURL(`${root}/build/index.js`).href)) as ServerBuild;
const app = createApp({
  build,
  root,
  mode,
  publicUrl: process.env.PUBLIC_URL,
  trustProxy,
  reportQueryCounts: process.env.REPORT_QUERY_COUNTS === "1",
  pageCacheSeconds,
});

function pageCacheSecondsFromEnv(value: string | undefined): number {
  if (value === undefined || value === "") return DEFAULT_PAGE_CACHE_SECONDS;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  console.error(`HostHelp could not start: PAGE_CACHE_SECONDS must be a number of seconds (0 turns the cache off), not "${value}".`);
  process.exit(1);
}

function trustProxyFromEnv(value: string | undefined): TrustProxy {
  const parsed = parseTrustProxy(value);
  if (parsed.ok) return parsed.setting;
  console.error(`HostHelp could not start: ${parsed.message}`);
  process.exit(1);
}

const worker = process.env.WORKER === "off" ? null : createWorker(workerOptionsFromEnv());
worker?.start();

const onListening = () => {
  const where = process.env.PUBLIC_URL || `http://localhost:${port}`;
  console.log(`HostHelp is listening on ${where} (${handle.driver === "pglite" ? "embedded database in " + (process.env.PGLITE_DIR || "./data") : "PostgreSQL"}${worker ? ", with the outbox worker" : ""}).`);
  if (mode === "development") void broadcastDevReady(build);
};
const server = process.env.HOST ? app.listen(port, process.env.HOST, onListening) : app.listen(port, onListening);

async function shutdown(signal: string): Promise<void> {
  console.log(`${signal} received, shutting down.`);
  server.close();
  server.closeAllConnections();
  await worker?.stop();
  await closeDatabase();
  process.exit(0);
}
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));
