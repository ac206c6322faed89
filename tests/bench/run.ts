/**
 * `npm run bench`: builds the app if needed, generates (or reuses) a realistic forum on
 * PostgreSQL and on PGlite, starts the production server on each, and measures with autocannon:
 * the minimal page through the layout (the floor), the home page, a category page, a thread
 * page with 50 replies and search, interleaved in rounds so that they are compared on the same
 * machine, then more pages for half as long. Every page is rendered for every request (the
 * requests ask past the page cache, as signed-in members' pages always are); four pages are
 * measured again as visitors who are not signed in get them, from the page cache. Prints requests/s,
 * latency percentiles, SQL statements per page (from the X-SQL-Queries header), the CPU time a
 * request takes in the server, PostgreSQL and the load generator, and the server's RSS, checks
 * the targets, and writes JSON to tests/bench/results/.
 *
 * Options:
 *   --driver=postgres|pglite|both   which databases (default both)
 *   --fresh                         regenerate the data even when a matching cached set exists
 *   --duration=10                   seconds per main page (extra pages get half)
 *   --rounds=5                      slices each page's time is cut into, interleaved with the
 *                                   other pages' (see measurePages)
 *   --warm-up=10                    seconds of unrecorded requests per page before measuring,
 *                                   in slices of 2 s interleaved like the rounds
 *   --no-extra                      only the five main pages
 *   --no-build                      use build/ as it is
 *   --wait-idle=MINUTES             wait up to this long for other work on the machine to stop
 * Environment: BENCH_DATABASE_URL, the PostgreSQL server to create `hosthelp_bench` on
 * (default postgres://postgres@127.0.0.1:5432/postgres).
 *
 * Data is cached: the PostgreSQL database `hosthelp_bench` and the PGlite directory
 * .cache/bench/pglite are reused while their `bench_meta` marker matches the generator's version,
 * seed and sizes (new migrations are applied to them). Measure on an otherwise idle machine: the
 * server, the database and autocannon share its cores (the run notes when other work was busy).
 *
 * Exits with status 1 when a PostgreSQL target, the fixed-query-count check or the no-errors
 * check fails (PGlite's performance figures are informational).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon, { type Request } from "autocannon";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openDatabase, type DatabaseHandle } from "~db/client";
import { runMigrations } from "~db/migrator";
import { refreshSearchWordShares } from "~/models/search.server";
import {
  type BulkTarget,
  DEFAULT_SEED,
  generate,
  type Generated,
  markerMatches,
  PGLITE_SIZES,
  pgliteTarget,
  POSTGRES_SIZES,
  postgresTarget,
  readMarker,
  rowsOf,
  type Sizes,
  verifySearchDocuments,
} from "./generate";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const RESULTS_DIR = path.join(ROOT, "tests/bench/results");
const PGLITE_DIR = path.join(ROOT, ".cache/bench/pglite");
const BENCH_DATABASE = "hosthelp_bench";

const TARGETS = {
  /** The thread page against the minimal page through the same layout. */
  threadShareOfFloor: 0.6,
  searchP95Ms: 50,
  rssMb: 300,
  /** DESIGN.md: NodeBB served its 50-reply topic at about 58 requests/s; HostHelp at least four times that. */
  threadRequestsPerSec: 4 * 58,
};

/** What members search for, in their languages; from very common words to nothing at all. */
const SEARCH_TERMS = [
  "dns propagation", "mx record", "ssl certificate", "wordpress white screen", "dkim", "spf record gmail",
  "php version", "cron job", "invoice", "autossl", "ERR_TOO_MANY_REDIRECTS", "nameservers", "memory limit",
  "restore backup", "smtp outlook", "domain transfer epp code", "mixed content", "woocommerce", "500 error",
  "bounce message", "certyfikat ssl", "poczta nie działa", "rekord mx", "kopia zapasowa", "ssl sertifikası",
  "alan adı", "e-posta çalışmıyor", "yedekleme", "lén", "tölvupóstur", "afrit", "ডোমেইন", "ইমেইল", "ব্যাকআপ",
  "kubernetes ingress",
];

const { values: args } = parseArgs({
  options: {
    driver: { type: "string", default: "both" },
    fresh: { type: "boolean", default: false },
    duration: { type: "string", default: "10" },
    "no-extra": { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
    "wait-idle": { type: "string", default: "0" },
    rounds: { type: "string", default: "5" },
    "warm-up": { type: "string", default: "10" },
  },
});
const WAIT_IDLE_MINUTES = Math.max(0, Number(args["wait-idle"]) || 0);
const DURATION = Math.max(2, Number(args.duration) || 10);
const ROUNDS = Math.max(1, Math.floor(Number(args.rounds)) || 5);
const WARM_UP_S = Math.max(0, Number(args["warm-up"]) || 0);
const WARM_UP_SLICE_S = 2;
const drivers = args.driver === "both" ? (["postgres", "pglite"] as const) : ([args.driver] as ("postgres" | "pglite")[]);
for (const driver of drivers) if (driver !== "postgres" && driver !== "pglite") throw new Error(`Unknown --driver ${String(driver)}`);

// ---------------------------------------------------------------------------------------------

interface PageSpec {
  name: string;
  /** One path, or several the connections take turns on (search). */
  paths: string[];
  connections: number;
  duration: number;
  main: boolean;
  /** Asked as a visitor who is not signed in, so served from the page cache; otherwise every request renders. */
  fromPageCache?: boolean;
}

interface PageResult {
  name: string;
  path: string;
  connections: number;
  durationS: number;
  requests: number;
  requestsPerSec: number;
  latencyMs: { mean: number; p50: number; p95: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  sqlQueries: number | null;
  rssMaxMb: number;
  /** CPU taken by processes other than the harness, the server and PostgreSQL while measuring. */
  otherWorkCpuPercent: number;
  /**
   * CPU time per request: the server's, PostgreSQL's (0 on PGlite, which runs inside the server)
   * and the harness's, which generates the load. Their sum against the machine's cores bounds
   * requests/s, and with it the latency at a fixed number of connections.
   */
  cpuMsPerRequest: CpuSplit;
}

interface CpuSplit {
  server: number;
  database: number;
  loadGenerator: number;
}

interface QueryCount {
  group: string;
  name: string;
  path: string;
  status: number;
  counts: (number | null)[];
}

interface Target {
  name: string;
  pass: boolean;
  /** Whether a miss fails the run; PGlite's performance figures are informational. */
  binding: boolean;
  detail: string;
}

interface DriverResult {
  driver: "postgres" | "pglite";
  date: string;
  environment: Record<string, string | number>;
  sizes: Sizes;
  generation: { reused: boolean; anchor: string; timingsMs: Record<string, number>; stats: Record<string, number>; searchDocumentMismatches: number };
  minimalPath: string;
  notes: string[];
  pages: PageResult[];
  skipped: { name: string; path: string; reason: string }[];
  queryCounts: QueryCount[];
  rss: { afterStartMb: number; peakMb: number; endMb: number };
  targets: Target[];
}

// ---------------------------------------------------------------------------------------------
// Build

function ensureBuild(): void {
  if (args["no-build"]) return;
  const outputs = ["build/index.js", "build/server.js"].map((f) => path.join(ROOT, f));
  const builtAt = Math.min(...outputs.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
  const sources = ["app", "db", "public", "package.json", "remix.config.js", "tsconfig.json"].map((f) => path.join(ROOT, f));
  const newest = Math.max(...sources.map((s) => newestMtime(s, 0)));
  if (builtAt >= newest) {
    console.log("build/ is up to date.");
    return;
  }
  console.log(builtAt === 0 ? "Building (build/ is missing)…" : "Building (sources changed since the last build)…");
  const result = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) throw new Error("npm run build failed.");
}

function newestMtime(file: string, depth: number): number {
  if (!existsSync(file) || depth > 12) return 0;
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  // public/build is the build's own output.
  if (file === path.join(ROOT, "public/build")) return 0;
  return Math.max(stat.mtimeMs, ...readdirSync(file).map((entry) => newestMtime(path.join(file, entry), depth + 1)));
}

// ---------------------------------------------------------------------------------------------
// Data

async function preparePostgres(): Promise<{ databaseUrl: string; generated: Generated; reused: boolean }> {
  const serverUrl = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  const databaseUrl = withDatabase(serverUrl, BENCH_DATABASE);
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const [found] = await admin`select 1 as found from pg_database where datname = ${BENCH_DATABASE}`;
    if (found && !args.fresh) {
      const marker = await withTarget(postgresTarget(databaseUrl), readMarker);
      if (markerMatches(marker, POSTGRES_SIZES, DEFAULT_SEED)) {
        // New migrations since then apply to the cached data (the server would apply them anyway).
        if (await migratesCleanly({ databaseUrl, poolSize: 2 })) {
          console.log(`Reusing database ${BENCH_DATABASE} (generated ${marker.anchor}; --fresh regenerates).`);
          return { databaseUrl, generated: marker, reused: true };
        }
      } else {
        console.log(`Database ${BENCH_DATABASE} holds ${marker ? "a different data set" : "no complete data set"}: regenerating.`);
      }
    }
    await admin.unsafe(`drop database if exists ${BENCH_DATABASE} with (force)`);
    await admin.unsafe(`create database ${BENCH_DATABASE}`);
  } finally {
    await admin.end();
  }
  await migrate({ databaseUrl, poolSize: 2 });
  console.log(`Generating ${describeSizes(POSTGRES_SIZES)} on PostgreSQL…`);
  const generated = await withTarget(postgresTarget(databaseUrl), (target) => generate(target, { sizes: POSTGRES_SIZES, log: console.log }));
  console.log(`  generated in ${(generated.timingsMs.total! / 1000).toFixed(1)} s`);
  return { databaseUrl, generated, reused: false };
}

async function preparePglite(): Promise<{ generated: Generated; reused: boolean }> {
  if (existsSync(path.join(PGLITE_DIR, "PG_VERSION")) && !args.fresh) {
    const marker = await withTarget(pgliteTarget(PGLITE_DIR), readMarker);
    if (markerMatches(marker, PGLITE_SIZES, DEFAULT_SEED) && (await migratesCleanly({ pgliteDir: PGLITE_DIR }))) {
      console.log(`Reusing ${path.relative(ROOT, PGLITE_DIR)} (generated ${marker.anchor}; --fresh regenerates).`);
      return { generated: marker, reused: true };
    }
  }
  rmSync(PGLITE_DIR, { recursive: true, force: true });
  mkdirSync(PGLITE_DIR, { recursive: true });
  await migrate({ pgliteDir: PGLITE_DIR });
  console.log(`Generating ${describeSizes(PGLITE_SIZES)} on PGlite…`);
  const generated = await withTarget(pgliteTarget(PGLITE_DIR), (target) => generate(target, { sizes: PGLITE_SIZES, log: console.log }));
  console.log(`  generated in ${(generated.timingsMs.total! / 1000).toFixed(1)} s`);
  return { generated, reused: false };
}

async function withTarget<T>(target: BulkTarget, fn: (target: BulkTarget) => Promise<T>): Promise<T> {
  try {
    return await fn(target);
  } finally {
    await target.close();
  }
}

async function withHandle<T>(config: Parameters<typeof openDatabase>[0], fn: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = openDatabase(config);
  try {
    return await fn(handle);
  } finally {
    await handle.close();
  }
}

const migrate = (config: Parameters<typeof openDatabase>[0]) => withHandle(config, (handle) => runMigrations(handle));

/** Applies new migrations to a cached data set; false when they do not apply (an applied one was rewritten). */
async function migratesCleanly(config: Parameters<typeof openDatabase>[0]): Promise<boolean> {
  try {
    await migrate(config);
    return true;
  } catch (error) {
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message.split("\n")[0]) : String(error);
    console.log(`The cached data set does not take the current migrations (${reason}): regenerating.`);
    return false;
  }
}

/** The app's refreshSearchDocument must agree with what the generator wrote. */
function checkSearchDocuments(config: Parameters<typeof openDatabase>[0], generated: Generated): Promise<number> {
  return withHandle(config, async (handle) => {
    // Threads with an accepted answer, whose documents have all three parts.
    const accepted = rowsOf<{ id: number }>(
      (await handle.db.execute(sql`select id from threads where accepted_post_id is not null order by id limit 5`)) as never,
    );
    const ids = [generated.threads.fiftyReplies.id, generated.threads.fiveReplies.id, generated.threads.big.id, ...accepted.map((r) => r.id)];
    return verifySearchDocuments(handle.db, ids);
  });
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

const describeSizes = (s: Sizes) =>
  `${s.members.toLocaleString("en")} members, ${s.threads.toLocaleString("en")} threads, ${s.posts.toLocaleString("en")} posts`;

// ---------------------------------------------------------------------------------------------
// Server

interface RunningServer {
  base: string;
  child: ChildProcess;
  output: string[];
  rss(): { rssMb: number; hwmMb: number };
  stop(): Promise<void>;
}

/** Starts the server, trying again when it stops at once because a build was being rewritten. */
async function startServer(env: Record<string, string | undefined>): Promise<RunningServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServerOnce(env);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof BuildMissingError)) throw error;
      console.log("  build/ is being rewritten (another build running?): waiting to start the server again…");
      await sleep(15_000);
    }
  }
}

class BuildMissingError extends Error {}

async function startServerOnce(env: Record<string, string | undefined>): Promise<RunningServer> {
  const outputs = ["build/server.js", "build/index.js"].map((f) => path.join(ROOT, f));
  if (!outputs.every((f) => existsSync(f))) throw new BuildMissingError("build/ is incomplete");
  const port = await freePort();
  const output: string[] = [];
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", WORKER: "off" };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[key];
    else childEnv[key] = value;
  }
  const child = spawn(process.execPath, [...serveNodeFlags(), path.join(ROOT, "build/server.js")], { cwd: ROOT, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString().split("\n").filter(Boolean));
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const base = `http://127.0.0.1:${port}`;
  const server: RunningServer = {
    base,
    child,
    output,
    rss: () => readRss(child.pid!),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      const message = `The server exited with status ${child.exitCode}:\n${output.join("\n")}`;
      throw output.some((line) => line.includes("Cannot find module") && line.includes("/build/")) ? new BuildMissingError(message) : new Error(message);
    }
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) return server;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  await server.stop();
  throw new Error(`The server did not answer /healthz within 60 s:\n${output.join("\n")}`);
}

/** Node's flags from the `serve` script in package.json (the heap limit), so the server runs as `npm run serve` runs it. */
function serveNodeFlags(): string[] {
  const scripts = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts?: Record<string, string> }).scripts ?? {};
  const flags = /\bnode\s+(.*?)\s*build\/server\.js/.exec(scripts.serve ?? "")?.[1] ?? "";
  return flags.split(/\s+/).filter((flag) => flag.startsWith("--"));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function readRss(pid: number): { rssMb: number; hwmMb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    return { rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024 };
  } catch {
    return { rssMb: 0, hwmMb: 0 };
  }
}

/**
 * CPU accounting from /proc, in clock ticks: all cores' busy time, and the part of it spent by
 * this benchmark (the harness with autocannon, the server, and PostgreSQL's processes for the
 * bench database). The difference is other work on the machine, which lowers the figures.
 *
 * Short-lived PostgreSQL processes (parallel query workers) are gone before they can be read;
 * their time lands in the postmaster's "children" counters when it reaps them. So those count
 * as ours, minus what other databases' clients (tests sharing the server) were last seen using.
 */
class CpuMeter {
  private start: CpuReading | null = null;
  /** Last seen ticks (whole life) of other databases' client backends, by pid. */
  private foreign = new Map<number, number>();

  constructor(private readonly serverPid: number) {}

  begin(): void {
    this.foreign.clear();
    this.start = this.read();
  }

  /** Call now and then while measuring, so that other clients are seen before they exit. */
  sample(): void {
    this.read();
  }

  /**
   * Since begin(): the share of the machine's capacity that went to other work, and the CPU
   * ticks of the server, PostgreSQL and this harness.
   */
  end(): { otherShare: number; ticks: CpuSplit } {
    const end = this.read();
    const start = this.start;
    if (!start || !end || end.total === start.total) return { otherShare: 0, ticks: { server: 0, database: 0, loadGenerator: 0 } };
    // Foreign backends that exited: the postmaster's children counters took their whole life.
    let exitedForeign = 0;
    for (const [pid, ticks] of this.foreign) if (!existsSync(`/proc/${pid}`)) exitedForeign += ticks;
    const ticks = { server: end.server - start.server, database: end.database - start.database - exitedForeign, loadGenerator: end.harness - start.harness };
    const ours = ticks.server + ticks.database + ticks.loadGenerator;
    return { otherShare: Math.max(0, Math.min(1, (end.busy - start.busy - ours) / (end.total - start.total))), ticks };
  }

  private read(): CpuReading | null {
    try {
      const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
      // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
      const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
      const busy = total - fields[3]! - fields[4]!;
      let database = 0;
      for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry) || readOr(`/proc/${entry}/comm`, "").trim() !== "postgres") continue;
        const pid = Number(entry);
        const title = readOr(`/proc/${entry}/cmdline`, "").replace(/\0/g, " ");
        const ticks = processTicks(pid);
        const clientBackend = /\(\d+\)|\[local\]/.test(title);
        if (clientBackend && !title.includes(` ${BENCH_DATABASE} `)) this.foreign.set(pid, ticks.own);
        // The postmaster (not renamed "postgres: …") also carries its reaped children's time.
        else database += ticks.own + (title.startsWith("postgres:") ? 0 : ticks.children);
      }
      return { busy, total, server: processTicks(this.serverPid).own, database, harness: processTicks(process.pid).own };
    } catch {
      return null;
    }
  }
}

interface CpuReading {
  busy: number;
  total: number;
  server: number;
  database: number;
  harness: number;
}

function processTicks(pid: number): { own: number; children: number } {
  // Fields after the command name (which may hold spaces): utime, stime, cutime, cstime are 12th to 15th.
  const stat = readOr(`/proc/${pid}/stat`, "");
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ").map(Number);
  return { own: (rest[11] || 0) + (rest[12] || 0), children: (rest[13] || 0) + (rest[14] || 0) };
}

function readOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return fallback;
  }
}

/** The share of all cores' time spent busy over the next `ms`. */
async function cpuBusy(ms: number): Promise<number> {
  const read = () => {
    const fields = readOr("/proc/stat", "cpu 0").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    return { total: fields.slice(0, 8).reduce((a, b) => a + (b || 0), 0), idle: (fields[3] || 0) + (fields[4] || 0) };
  };
  const before = read();
  await sleep(ms);
  const after = read();
  return after.total === before.total ? 0 : 1 - (after.idle - before.idle) / (after.total - before.total);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Measuring

/**
 * Asks for a page rendered anew, past the page cache that serves visitors who are not signed in
 * (app/server/page-cache.ts), as a reload does. Every measurement asks this way unless it is
 * about the cache: rendering is what the targets are about, and signed-in members always get it.
 */
const RENDERED = { "cache-control": "no-cache" };

async function probe(base: string, pagePath: string, { fromPageCache = false } = {}): Promise<{ status: number; queries: number | null; body: string }> {
  const response = await fetch(base + pagePath, { redirect: "manual", headers: fromPageCache ? {} : RENDERED });
  const body = await response.text();
  const header = response.headers.get("x-sql-queries");
  return { status: response.status, queries: header === null ? null : Number(header), body };
}

async function countQueries(base: string, pages: { group: string; name: string; path: string }[]): Promise<QueryCount[]> {
  const out: QueryCount[] = [];
  for (const page of pages) {
    const counts: (number | null)[] = [];
    let status = 0;
    for (let i = 0; i < 3; i++) {
      const result = await probe(base, page.path);
      status = result.status;
      counts.push(result.queries);
    }
    out.push({ ...page, status, counts });
  }
  return out;
}

/** What one page collects over its slices of a run. */
interface PageTally {
  latencies: number[];
  requests: number;
  durationS: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  rssMax: number;
  otherWork: number[];
  cpuTicks: CpuSplit;
}

/**
 * Measures pages in rounds: each round gives every page an equal slice of its duration, in a
 * rotating order, and a page's figures add up its slices. This machine's speed drifts by a third
 * from one minute to the next (its neighbours' load, not ours), and a ratio of two pages measured
 * minutes apart would mostly show that drift; interleaved, both see the same machine.
 */
async function measurePages(base: string, specs: PageSpec[], server: RunningServer, countingBase: string, rounds: number): Promise<PageResult[]> {
  const requestsFor = (spec: PageSpec): Request[] | undefined => {
    if (spec.paths.length === 1) return undefined;
    let turn = 0;
    // Each request takes the next path in the list, so that every query gets its share.
    return [{ method: "GET", setupRequest: (request) => ({ ...request, path: spec.paths[turn++ % spec.paths.length] }) }];
  };
  const optionsFor = (spec: PageSpec) => ({
    url: base + spec.paths[0],
    connections: spec.connections,
    timeout: 10,
    requests: requestsFor(spec),
    headers: spec.fromPageCache ? {} : RENDERED,
  });
  const tallies = specs.map((): PageTally => ({ latencies: [], requests: 0, durationS: 0, non2xx: 0, errors: 0, timeouts: 0, rssMax: 0, otherWork: [], cpuTicks: { server: 0, database: 0, loadGenerator: 0 } }));

  // Warm-up, not recorded: the database's buffers and plan caches, and above all the JIT. A
  // forum's server runs for days, so its figures are those of code that the JIT has settled on:
  // under search load alone it optimized 926 functions in the first 45 s, and search's requests/s
  // rose by 40% meanwhile (231, 307, 330 in three 15 s runs). Interleaved like the measurement,
  // so that each page's code is optimized for the mix of pages it runs in.
  for (let pass = 0; pass * WARM_UP_SLICE_S < WARM_UP_S; pass++) {
    for (const spec of specs) await autocannon({ ...optionsFor(spec), duration: Math.min(WARM_UP_SLICE_S, WARM_UP_S - pass * WARM_UP_SLICE_S) });
  }

  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < specs.length; k++) {
      const i = (k + r) % specs.length;
      const spec = specs[i]!;
      const tally = tallies[i]!;
      const cpu = new CpuMeter(server.child.pid!);
      cpu.begin();
      const sampler = setInterval(() => {
        tally.rssMax = Math.max(tally.rssMax, server.rss().rssMb);
        cpu.sample();
      }, 200);
      const instance = autocannon({ ...optionsFor(spec), duration: spec.duration / rounds });
      instance.on("response", (_client: unknown, statusCode: number, _bytes: number, ms: number) => {
        if (statusCode < 400) tally.latencies.push(ms);
      });
      const result = await instance;
      clearInterval(sampler);
      const used = cpu.end();
      tally.otherWork.push(used.otherShare);
      for (const part of ["server", "database", "loadGenerator"] as const) tally.cpuTicks[part] += used.ticks[part];
      tally.rssMax = Math.max(tally.rssMax, server.rss().rssMb);
      tally.requests += result.requests.total;
      tally.durationS += result.duration;
      tally.non2xx += result.non2xx;
      tally.errors += result.errors;
      tally.timeouts += result.timeouts;
    }
  }

  const results: PageResult[] = [];
  for (const [i, spec] of specs.entries()) {
    const tally = tallies[i]!;
    const latencies = tally.latencies.sort((a, b) => a - b);
    const pct = (p: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)]! : NaN);
    const mean = latencies.reduce((sum, v) => sum + v, 0) / Math.max(1, latencies.length);
    // On the counting server, a first request fills the page cache and the leaderboard's.
    await probe(countingBase, spec.paths[0]!, { fromPageCache: spec.fromPageCache });
    const sqlProbe = await probe(countingBase, spec.paths[0]!, { fromPageCache: spec.fromPageCache });
    results.push({
      name: spec.name,
      path: spec.paths.length > 1 ? `${spec.paths[0]} (+${spec.paths.length - 1} more queries)` : spec.paths[0]!,
      connections: spec.connections,
      durationS: round(tally.durationS, 2),
      requests: tally.requests,
      requestsPerSec: round(tally.requests / tally.durationS, 1),
      latencyMs: { mean: round(mean, 2), p50: round(pct(0.5), 2), p95: round(pct(0.95), 2), p99: round(pct(0.99), 2), max: round(latencies.at(-1) ?? NaN, 2) },
      non2xx: tally.non2xx,
      errors: tally.errors,
      timeouts: tally.timeouts,
      sqlQueries: sqlProbe.queries,
      rssMaxMb: round(tally.rssMax, 1),
      otherWorkCpuPercent: Math.round((100 * tally.otherWork.reduce((sum, v) => sum + v, 0)) / Math.max(1, tally.otherWork.length)),
      cpuMsPerRequest: {
        server: msPerRequest(tally.cpuTicks.server, tally.requests),
        database: msPerRequest(tally.cpuTicks.database, tally.requests),
        loadGenerator: msPerRequest(tally.cpuTicks.loadGenerator, tally.requests),
      },
    });
  }
  return results;
}

const round = (value: number, digits: number) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : value);
/** /proc counts CPU time in clock ticks, a hundredth of a second on Linux. */
const msPerRequest = (ticks: number, requests: number) => round((ticks * 10) / Math.max(1, requests), 2);

// ---------------------------------------------------------------------------------------------
// One driver

async function benchDriver(driver: "postgres" | "pglite"): Promise<DriverResult> {
  console.log(`\n=== ${driver === "postgres" ? "PostgreSQL" : "PGlite"} ===`);
  const notes: string[] = [];
  let env: Record<string, string | undefined>;
  let prepared: { generated: Generated; reused: boolean };
  let config: Parameters<typeof openDatabase>[0];
  if (driver === "postgres") {
    const pg = await preparePostgres();
    prepared = pg;
    config = { databaseUrl: pg.databaseUrl, poolSize: 2 };
    env = { DATABASE_URL: pg.databaseUrl, PGLITE_DIR: undefined };
  } else {
    prepared = await preparePglite();
    config = { pgliteDir: PGLITE_DIR };
    env = { DATABASE_URL: undefined, PGLITE_DIR };
  }
  const { generated } = prepared;
  const searchDocumentMismatches = await checkSearchDocuments(config, generated);
  // As the worker's housekeeping does on a running forum: the server below runs without its worker.
  await withHandle(config, (handle) => refreshSearchWordShares(handle.db));
  if (searchDocumentMismatches) {
    notes.push(`${searchDocumentMismatches} sampled search documents differ from what refreshSearchDocument builds now: bump GENERATOR_VERSION in tests/bench/generate.ts to follow the app.`);
  }

  // Other work on the machine (tests, builds) takes CPU from the server and the client alike:
  // look before starting anything of ours, and wait for quiet when asked to.
  let busyBefore = await cpuBusy(3_000);
  const waitUntil = Date.now() + WAIT_IDLE_MINUTES * 60_000;
  while (busyBefore > 0.2 && Date.now() < waitUntil) {
    console.log(`  the machine is ${Math.round(busyBefore * 100)}% busy with other work: waiting (--wait-idle)…`);
    await sleep(15_000);
    busyBefore = await cpuBusy(5_000);
  }
  if (busyBefore > 0.2) {
    notes.push(`Other work used ${Math.round(busyBefore * 100)}% of the CPU just before measuring: figures are lower than on an idle machine.`);
    console.log(`  warning: the machine is ${Math.round(busyBefore * 100)}% busy with other work; the figures will be lower.`);
  }

  // SQL statements are counted on a server of their own, idle while the other is measured:
  // counting (REPORT_QUERY_COUNTS) carries an AsyncLocalStorage through every request, whose
  // promise hooks cost the minimal page 15-20% more CPU, and a production server does not count.
  // PGlite's data directory takes one server only: there the measured server counts too.
  const separateCounting = driver === "postgres";
  const server = await startServer(separateCounting ? env : { ...env, REPORT_QUERY_COUNTS: "1" });
  const counting = separateCounting ? await startServer({ ...env, REPORT_QUERY_COUNTS: "1" }) : server;
  if (!separateCounting) notes.push("The measured server also counted SQL statements (PGlite allows one server): counting cost the minimal page 15-20% of its CPU on PostgreSQL.");
  try {
    const base = server.base;
    const rssAfterStart = server.rss().rssMb;
    const t = generated.threads;
    const threadPath = (thread: typeof t.big, page = 1) => `/t/${thread.id}/${encodeURIComponent(thread.slug)}${page > 1 ? `?page=${page}` : ""}`;
    const lastPage = (replies: number) => Math.max(1, Math.ceil((replies + 1) / 20));
    const searchPaths = SEARCH_TERMS.map((term) => `/search?q=${encodeURIComponent(term)}`);

    // The floor: /about when it exists, /healthz (no layout, so a higher floor) otherwise.
    let minimalPath = "/about";
    if ((await probe(base, minimalPath)).status !== 200) {
      minimalPath = "/healthz";
      notes.push("/about does not answer 200: the floor is /healthz, which skips the layout (so the ratio is stricter than intended).");
    }

    const category = `/c/${generated.busiestCategory}`;
    const counted = await countQueries(counting.base, [
      { group: "minimal", name: "minimal page", path: minimalPath },
      { group: "thread", name: `thread, ${t.fiveReplies.replies} replies`, path: threadPath(t.fiveReplies) },
      { group: "thread", name: `thread, ${t.fiftyReplies.replies} replies, page 1`, path: threadPath(t.fiftyReplies) },
      { group: "thread", name: `thread, ${t.fiftyReplies.replies} replies, last page`, path: threadPath(t.fiftyReplies, lastPage(t.fiftyReplies.replies)) },
      { group: "thread", name: `thread, ${t.big.replies} replies, page 1`, path: threadPath(t.big) },
      { group: "thread", name: `thread, ${t.big.replies} replies, last page`, path: threadPath(t.big, lastPage(t.big.replies)) },
      { group: "home", name: "home, page 1", path: "/" },
      { group: "home", name: "home, page 2", path: "/?page=2" },
      { group: "category", name: "category, page 1", path: category },
      { group: "category", name: "category, page 2", path: `${category}?page=2` },
      { group: "category", name: "category, page 100", path: `${category}?page=100` },
      ...SEARCH_TERMS.slice(0, 6).map((term, i) => ({ group: "search", name: `search "${term}"`, path: searchPaths[i]! })),
      { group: "search", name: `search "${SEARCH_TERMS.at(-1)}" (no hits)`, path: searchPaths.at(-1)! },
      { group: "search", name: `search "${SEARCH_TERMS[31]}" (Bengali)`, path: searchPaths[31]! },
      { group: "unanswered", name: "unanswered", path: "/unanswered" },
      { group: "leaderboard", name: "leaderboard, 30 days", path: "/leaderboard" },
      { group: "leaderboard", name: "leaderboard, all time", path: "/leaderboard?period=all" },
      { group: "profile", name: `profile, busiest (${generated.busiestMember})`, path: `/u/${generated.busiestMember}` },
      { group: "profile", name: `profile, one post (${generated.quietMember})`, path: `/u/${generated.quietMember}` },
    ]);

    // Check the measured pages render what they should before measuring them.
    const fiftyBody = (await probe(base, threadPath(t.fiftyReplies))).body;
    if (!fiftyBody.includes(t.fiftyReplies.title)) notes.push(`The 50-reply thread page does not show its title "${t.fiftyReplies.title}".`);

    const extra = DURATION / 2;
    const specs: PageSpec[] = [
      { name: "minimal page (floor)", paths: [minimalPath], connections: 20, duration: DURATION, main: true },
      { name: "home", paths: ["/"], connections: 20, duration: DURATION, main: true },
      { name: "category", paths: [category], connections: 20, duration: DURATION, main: true },
      { name: "thread, 50 replies", paths: [threadPath(t.fiftyReplies)], connections: 20, duration: DURATION, main: true },
      { name: "search", paths: searchPaths, connections: 10, duration: DURATION, main: true },
    ];
    if (!args["no-extra"]) {
      specs.push(
        { name: "thread, 50 replies, last page", paths: [threadPath(t.fiftyReplies, lastPage(t.fiftyReplies.replies))], connections: 20, duration: extra, main: false },
        { name: `thread, ${t.big.replies} replies, page 1`, paths: [threadPath(t.big)], connections: 20, duration: extra, main: false },
        { name: `thread, ${t.big.replies} replies, last page`, paths: [threadPath(t.big, lastPage(t.big.replies))], connections: 20, duration: extra, main: false },
        { name: "category, page 100", paths: [`${category}?page=100`], connections: 20, duration: extra, main: false },
        { name: "unanswered", paths: ["/unanswered"], connections: 20, duration: extra, main: false },
        { name: "leaderboard, 30 days", paths: ["/leaderboard"], connections: 20, duration: extra, main: false },
        { name: "leaderboard, all time", paths: ["/leaderboard?period=all"], connections: 20, duration: extra, main: false },
        { name: "profile, busiest member", paths: [`/u/${generated.busiestMember}`], connections: 20, duration: extra, main: false },
        // The same pages as most readers get them: not signed in, from the page cache.
        { name: "page cache: minimal page", paths: [minimalPath], connections: 20, duration: extra, main: false, fromPageCache: true },
        { name: "page cache: home", paths: ["/"], connections: 20, duration: extra, main: false, fromPageCache: true },
        { name: "page cache: category", paths: [category], connections: 20, duration: extra, main: false, fromPageCache: true },
        { name: "page cache: thread, 50 replies", paths: [threadPath(t.fiftyReplies)], connections: 20, duration: extra, main: false, fromPageCache: true },
      );
    }

    const skipped: DriverResult["skipped"] = [];
    const answering: PageSpec[] = [];
    for (const spec of specs) {
      const status = (await probe(base, spec.paths[0]!)).status;
      if (status === 200) answering.push(spec);
      else {
        skipped.push({ name: spec.name, path: spec.paths[0]!, reason: `answers ${status}` });
        console.log(`  ${spec.name}: skipped (${spec.paths[0]} answers ${status})`);
      }
    }
    // The main pages, whose figures are compared with each other, share their rounds; the extra
    // pages follow in rounds of their own.
    const pages = [
      ...(await measurePages(base, answering.filter((spec) => spec.main), server, counting.base, ROUNDS)),
      ...(await measurePages(base, answering.filter((spec) => !spec.main), server, counting.base, ROUNDS)),
    ];
    for (const result of pages) {
      if (result.requests === 0) notes.push(`${result.name}: no response within its ${result.durationS} s (every request took longer).`);
      console.log(
        `  ${result.name}: ${result.requestsPerSec} req/s, p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms, p99 ${result.latencyMs.p99} ms` +
          `${result.non2xx || result.errors ? `, ${result.non2xx} non-2xx, ${result.errors} errors` : ""}`,
      );
    }
    const disturbed = pages.filter((p) => p.otherWorkCpuPercent > 10);
    if (disturbed.length) {
      notes.push(`Other work on the machine took CPU while measuring ${disturbed.map((p) => `${p.name} (${p.otherWorkCpuPercent}%)`).join(", ")}: those figures are low.`);
    }
    const end = server.rss();
    const rss = { afterStartMb: round(rssAfterStart, 1), peakMb: round(end.hwmMb, 1), endMb: round(end.rssMb, 1) };
    const targets = checkTargets(driver, pages, counted, rss, skipped);
    return {
      driver,
      date: new Date().toISOString(),
      environment: { ...environment(driver), otherWorkCpuPercentBeforeStart: Math.round(busyBefore * 100) },
      sizes: generated.sizes,
      generation: { reused: prepared.reused, anchor: generated.anchor, timingsMs: generated.timingsMs, stats: generated.stats, searchDocumentMismatches },
      minimalPath,
      notes,
      pages,
      skipped,
      queryCounts: counted,
      rss,
      targets,
    };
  } catch (error) {
    console.error(`Server output:\n${server.output.join("\n")}`);
    throw error;
  } finally {
    await Promise.all([server.stop(), counting !== server ? counting.stop() : undefined]);
  }
}

/**
 * What the machine's CPU allows a page: its CPU per request, all processes together, bounds
 * requests/s at the cores' count divided by it, and with the connections always busy, latency
 * averages at least the connections divided by that (Little's law).
 */
function cpuBound(page: PageResult): string {
  const { server, database, loadGenerator } = page.cpuMsPerRequest;
  const total = server + database + loadGenerator;
  if (total <= 0) return "CPU per request not measured";
  const maxPerSec = (os.availableParallelism() * 1000) / total;
  return `CPU per request: server ${server} ms, database ${database} ms, load generator ${loadGenerator} ms; at most ${Math.round(maxPerSec)} req/s on ${os.availableParallelism()} cores, so at least ${round((page.connections * 1000) / maxPerSec, 1)} ms mean latency at ${page.connections} connections`;
}

function checkTargets(
  driver: "postgres" | "pglite",
  pages: PageResult[],
  counted: QueryCount[],
  rss: DriverResult["rss"],
  skipped: DriverResult["skipped"],
): Target[] {
  // The performance targets are set for the full data set on PostgreSQL; on PGlite (a smaller
  // set, and a WASM database of about 250 MB inside the server process) they are reported only.
  const binding = driver === "postgres";
  const find = (name: string) => pages.find((p) => p.name === name);
  const floor = find("minimal page (floor)");
  const thread = find("thread, 50 replies");
  const search = find("search");
  const cachedFloor = find("page cache: minimal page");
  const cachedThread = find("page cache: thread, 50 replies");
  const targets: Target[] = [];

  const ratio = floor && thread ? thread.requestsPerSec / floor.requestsPerSec : NaN;
  targets.push({
    name: `thread page >= ${TARGETS.threadShareOfFloor * 100}% of the minimal page's req/s`,
    binding,
    pass: ratio >= TARGETS.threadShareOfFloor,
    detail: floor && thread ? `${thread.requestsPerSec} / ${floor.requestsPerSec} = ${Math.round(100 * ratio)}%` : "not measured (page missing)",
  });
  targets.push({
    name: `thread page >= ${TARGETS.threadRequestsPerSec} req/s (4x NodeBB's 58, DESIGN.md)`,
    binding,
    pass: (thread?.requestsPerSec ?? 0) >= TARGETS.threadRequestsPerSec,
    detail: thread ? `${thread.requestsPerSec} req/s` : "not measured (page missing)",
  });
  // The same two targets for visitors who are not signed in, whom the page cache serves: reported,
  // never binding, since the targets are about rendering.
  if (cachedFloor && cachedThread) {
    const cachedRatio = cachedThread.requestsPerSec / cachedFloor.requestsPerSec;
    targets.push({
      name: `page cache: thread page >= ${TARGETS.threadShareOfFloor * 100}% of the minimal page's req/s, and >= ${TARGETS.threadRequestsPerSec} req/s`,
      binding: false,
      pass: cachedRatio >= TARGETS.threadShareOfFloor && cachedThread.requestsPerSec >= TARGETS.threadRequestsPerSec,
      detail: `${cachedThread.requestsPerSec} / ${cachedFloor.requestsPerSec} = ${Math.round(100 * cachedRatio)}%`,
    });
  }
  targets.push({
    name: `search p95 < ${TARGETS.searchP95Ms} ms at 10 connections`,
    binding,
    pass: (search?.latencyMs.p95 ?? Infinity) < TARGETS.searchP95Ms,
    detail: search ? `p95 ${search.latencyMs.p95} ms; ${cpuBound(search)}` : "not measured (page missing)",
  });

  // Fixed round trips: every page answers with the same count each time (fewer after the first
  // request is a cache at work, and fine), and pages of one kind (a 5-reply thread, a
  // 10,000-reply thread's last page…) with the same count the first time.
  const problems: string[] = [];
  const cached: string[] = [];
  const groups = new Map<string, QueryCount[]>();
  for (const c of counted) {
    if (c.status !== 200) continue;
    groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
    const [first, ...later] = c.counts;
    if (first === null || later.some((n) => n === null)) problems.push(`${c.name}: no X-SQL-Queries header`);
    else if (later.some((n) => n! > first!)) problems.push(`${c.name}: ${c.counts.join(", ")} on repeated requests`);
    else if (later.some((n) => n! < first!)) cached.push(c.name);
  }
  for (const [group, members] of groups) {
    const values = new Set(members.map((m) => m.counts[0]));
    if (values.size > 1) problems.push(`${group}: ${members.map((m) => `${m.name} = ${m.counts[0]}`).join("; ")}`);
  }
  const missing = counted.filter((c) => c.status !== 200).map((c) => `${c.path} (${c.status})`);
  targets.push({
    name: "fixed SQL round trips per page (no N+1)",
    binding: true,
    pass: problems.length === 0,
    detail:
      (problems.length ? problems.join(" | ") : `${groups.size} page kinds, each constant`) +
      (cached.length ? `; served from a cache when repeated: ${cached.join(", ")}` : "") +
      (missing.length ? `; not checked: ${missing.join(", ")}` : ""),
  });
  targets.push({ name: `server RSS < ${TARGETS.rssMb} MB`, binding, pass: rss.peakMb < TARGETS.rssMb, detail: `peak ${rss.peakMb} MB, end ${rss.endMb} MB` });
  const failing = pages.filter((p) => p.non2xx || p.errors || p.timeouts);
  targets.push({
    name: "no errors or non-2xx responses",
    binding: true,
    pass: failing.length === 0,
    detail: failing.length ? failing.map((p) => `${p.name}: ${p.non2xx} non-2xx, ${p.errors} errors, ${p.timeouts} timeouts`).join("; ") : "none",
  });
  const mainSkipped = skipped.filter((s) => ["minimal page (floor)", "home", "category", "thread, 50 replies", "search"].includes(s.name));
  if (mainSkipped.length) targets.push({ name: "all main pages measured", binding: true, pass: false, detail: mainSkipped.map((s) => `${s.path} ${s.reason}`).join(", ") });
  return targets;
}

function environment(driver: "postgres" | "pglite"): Record<string, string | number> {
  const [load1, load5] = os.loadavg();
  const commit = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim();
  // The results of an earlier run, not yet committed, change nothing that is measured.
  const changed = spawnSync("git", ["status", "--porcelain", "--", ".", ":(exclude)tests/bench/results"], { cwd: ROOT, encoding: "utf8" }).stdout;
  const dirty = changed.trim() !== "";
  return {
    commit: commit + (dirty ? " (with uncommitted changes)" : ""),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    database: driver === "postgres" ? "PostgreSQL (BENCH_DATABASE_URL)" : "PGlite (embedded, in the server process)",
    client: "autocannon in the harness process, on the same machine",
    loadAverageAtEnd: `${load1!.toFixed(2)} (1 min), ${load5!.toFixed(2)} (5 min)`,
  };
}

// ---------------------------------------------------------------------------------------------
// Report

function printReport(result: DriverResult): void {
  console.log(`\n${result.driver === "postgres" ? "PostgreSQL" : "PGlite"}: ${describeSizes(result.sizes)}${result.generation.reused ? " (cached data)" : ""}`);
  const header = ["page", "conn", "req/s", "p50 ms", "p95 ms", "p99 ms", "non-2xx", "SQL", "RSS MB", "CPU ms/req: server+db+load", "other CPU"];
  const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : "-");
  const rows = result.pages.map((p) => [
    p.name,
    String(p.connections),
    p.requestsPerSec.toFixed(1),
    ms(p.latencyMs.p50),
    ms(p.latencyMs.p95),
    ms(p.latencyMs.p99),
    String(p.non2xx + p.errors),
    p.sqlQueries === null ? "-" : String(p.sqlQueries),
    p.rssMaxMb.toFixed(0),
    `${p.cpuMsPerRequest.server.toFixed(1)}+${p.cpuMsPerRequest.database.toFixed(1)}+${p.cpuMsPerRequest.loadGenerator.toFixed(1)}`,
    `${p.otherWorkCpuPercent}%`,
  ]);
  printTable(header, rows);
  console.log(`\nSQL statements per page (3 requests each):`);
  printTable(
    ["group", "page", "status", "SQL"],
    result.queryCounts.map((c) => [c.group, c.name, String(c.status), c.counts.map((n) => (n === null ? "-" : String(n))).join(" ")]),
  );
  console.log(`\nServer RSS: ${result.rss.afterStartMb} MB after start, peak ${result.rss.peakMb} MB, ${result.rss.endMb} MB at the end.`);
  for (const note of result.notes) console.log(`Note: ${note}`);
  for (const s of result.skipped) console.log(`Skipped: ${s.name} (${s.path} ${s.reason})`);
  console.log("\nTargets:");
  for (const target of result.targets) {
    const verdict = target.binding ? (target.pass ? "PASS" : "FAIL") : target.pass ? "info: met" : "info: missed";
    console.log(`  ${verdict.padEnd(12)}  ${target.name}: ${target.detail}`);
  }
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  ensureBuild();
  const results: DriverResult[] = [];
  for (const driver of drivers) results.push(await benchDriver(driver));
  for (const result of results) printReport(result);

  mkdirSync(RESULTS_DIR, { recursive: true });
  const day = new Date().toISOString().slice(0, 10);
  for (const result of results) writeFileSync(path.join(RESULTS_DIR, `${day}-${result.driver}.json`), JSON.stringify(result, null, 2) + "\n");
  writeFileSync(path.join(RESULTS_DIR, "latest.json"), JSON.stringify(results, null, 2) + "\n");
  console.log(`\nResults written to ${path.relative(ROOT, RESULTS_DIR)}/ (${day}-<driver>.json and latest.json).`);
  if (results.some((r) => r.targets.some((t) => t.binding && !t.pass))) process.exitCode = 1;
}

await main();
