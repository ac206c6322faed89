/**
 * Starts the production build (build/server.js) as a child process, as `npm run serve` would,
 * on a free port with a database of its own and a real SMTP mailbox.
 *
 * The database is a fresh PGlite directory, or — when TEST_DATABASE_URL names a PostgreSQL
 * server — a scratch database created on that server and dropped afterwards.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase } from "~db/client";
import { runMigrations } from "~db/migrator";
import { createScratchDatabase } from "../../support/postgres-database";
import { startMailbox, type TestMailbox } from "../../support/smtp";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export interface RunningServer {
  /** http://localhost:<port>, also the server's PUBLIC_URL (so email links point here). */
  url: string;
  /** "PGlite" or "PostgreSQL", for test names and messages. */
  database: string;
  /** Receives the worker's email over SMTP. */
  mailbox: TestMailbox;
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, wait for a clean exit, then remove the database and close the mailbox. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /**
   * Runs once the database is chosen and before the server starts, with the server's own
   * environment (DATABASE_URL or PGLITE_DIR included): for fixtures written straight into the
   * database, such as an admin made with the command line. It must close the database before it
   * resolves (PGlite allows one process at a time). A failure stops the start and is reported.
   */
  beforeStart?: (serverEnv: NodeJS.ProcessEnv) => Promise<void>;
  /**
   * More settings for the server (a provisioning hook, say), over the defaults here. A function is
   * called when the server starts, so it may name what an earlier `beforeAll` started. Not for
   * DATABASE_URL or PGLITE_DIR: the database is the one chosen here.
   */
  env?: Record<string, string> | (() => Record<string, string>);
}

export async function startServer(env: NodeJS.ProcessEnv = process.env, { beforeStart, env: extraEnv }: StartOptions = {}): Promise<RunningServer> {
  const entry = path.join(root, "build/server.js");
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (\`npm run test:e2e\` does).`);

  // Whatever was started is cleaned up in reverse order; every step runs even if one fails.
  const cleanups: Array<() => Promise<void>> = [];
  const cleanUp = async () => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => errors.push(error));
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, "Stopping the e2e server failed");
  };

  try {
    const mailbox = await startMailbox();
    cleanups.push(() => mailbox.close());

    const port = await freePort();
    const url = `http://localhost:${port}`;
    const serverEnv: NodeJS.ProcessEnv = {
      ...env,
      NODE_ENV: "production",
      PORT: String(port),
      PUBLIC_URL: url,
      SMTP_URL: mailbox.url,
      OUTBOX_POLL_MS: "200",
    };
    // Settings from the caller's shell that would point the server elsewhere or change its shape.
    for (const name of ["DATABASE_URL", "PGLITE_DIR", "HOST", "WORKER", "TRUST_PROXY", "DATABASE_POOL_SIZE"]) delete serverEnv[name];
    Object.assign(serverEnv, typeof extraEnv === "function" ? extraEnv() : extraEnv);

    let database: string;
    if (env.TEST_DATABASE_URL) {
      const scratch = await createScratchDatabase(env.TEST_DATABASE_URL, "hosthelp_e2e");
      cleanups.push(scratch.drop);
      serverEnv.DATABASE_URL = scratch.url;
      database = "PostgreSQL";
    } else {
      const dir = await mkdtemp(path.join(tmpdir(), "hosthelp-e2e-"));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      await cp(await migratedPgliteTemplate(), dir, { recursive: true });
      serverEnv.PGLITE_DIR = dir;
      database = "PGlite";
    }

    await beforeStart?.(serverEnv);

    const lines: string[] = [];
    const child = spawn(process.execPath, [entry], { cwd: root, env: serverEnv, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => lines.push(chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => lines.push(chunk));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const output = () => lines.join("");
    cleanups.push(() => stopChild(child, exited, output));

    await waitUntilHealthy(url, exited, output);
    return { url, database, mailbox, output, stop: cleanUp };
  } catch (error) {
    // The start error already carries the server's output; one line is enough for the cleanup.
    await cleanUp().catch((cleanupError: unknown) => console.error(`Cleaning up after the failed start: ${String(cleanupError).split("\n")[0]}`));
    throw error;
  }
}

/**
 * A PGlite directory with every migration applied, made once for each set of migrations and PGlite
 * version, and copied for each server: initdb and the migrations take 15-20 s of every start,
 * a copy well under one. The server then starts on it as on any existing forum.
 */
export async function migratedPgliteTemplate(): Promise<string> {
  const migrations = path.join(root, "db/migrations");
  const hash = createHash("sha256");
  // What makes the directory: the database engine, the migration runner and the migrations.
  for (const pkg of ["@electric-sql/pglite", "drizzle-orm"]) {
    hash.update(JSON.parse(await readFile(path.join(root, "node_modules", pkg, "package.json"), "utf8")).version as string);
  }
  for (const file of ["db/client.ts", "db/migrator.ts"]) hash.update(await readFile(path.join(root, file)));
  for (const file of (await readdir(migrations, { recursive: true })).sort()) {
    if (file.endsWith(".sql") || file.endsWith(".json")) hash.update(file).update(await readFile(path.join(migrations, file)));
  }
  const template = path.join(root, ".cache/e2e", `pglite-${hash.digest("hex").slice(0, 16)}`);
  if (existsSync(path.join(template, "PG_VERSION"))) return template;
  // Built aside and renamed into place, so that a template that exists is a whole one.
  await mkdir(path.dirname(template), { recursive: true });
  const building = await mkdtemp(`${template}.building-`);
  try {
    const handle = openDatabase({ pgliteDir: building });
    try {
      await runMigrations(handle);
    } finally {
      await handle.close();
    }
    await rename(building, template);
    // Templates of earlier migrations are of no more use (each is some 40 MB), once no run that
    // started with them (another branch checked out here, say) can still be copying one.
    for (const entry of await readdir(path.dirname(template))) {
      const old = path.join(path.dirname(template), entry);
      if (/^pglite-[0-9a-f]{16}$/.test(entry) && entry !== path.basename(template) && Date.now() - (await stat(old)).mtimeMs > 60 * 60 * 1000) {
        await rm(old, { recursive: true, force: true });
      }
    }
  } catch (error) {
    // Another run finished the same template first: use theirs.
    if (!existsSync(path.join(template, "PG_VERSION"))) throw error;
  } finally {
    await rm(building, { recursive: true, force: true });
  }
  return template;
}

/**
 * A port the OS says is free right now. Another process could take it before the server does: the
 * browser test files beside this one probe too, but the OS picks each from a range of thousands,
 * and a clash would show as a failed start, not as a wrong answer.
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once("error", reject);
    probe.listen(0, () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error("Could not find a free port"))));
    });
  });
}

async function waitUntilHealthy(url: string, exited: Promise<number | null>, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined) throw new Error(`The server exited with code ${exitCode} before it was ready. Its output:\n${output()}`);
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`The server did not answer ${url}/healthz within ${START_TIMEOUT_MS / 1000} s. Its output:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** SIGTERM, as a process manager would. Not exiting, or exiting with an error, is a failure: the server promises a clean shutdown. */
async function stopChild(child: ChildProcess, exited: Promise<number | null>, output: () => string): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) throw new Error(`The server had already exited (code ${child.exitCode}, signal ${child.signalCode}). Its output:\n${output()}`);
  child.kill("SIGTERM");
  const timer = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), STOP_TIMEOUT_MS).unref());
  const code = await Promise.race([exited, timer]);
  if (code === "timeout") {
    child.kill("SIGKILL");
    await exited;
    throw new Error(`The server did not exit within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM and was killed. Its output:\n${output()}`);
  }
  if (code !== 0) throw new Error(`The server exited with code ${code} after SIGTERM. Its output:\n${output()}`);
}
