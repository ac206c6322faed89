/**
 * Real HostHelp processes for fault tests: the outbox worker (`npm run worker`'s entry point) and
 * the built web server (build/server.js), each a child of the test with its own environment.
 * Their output is kept, so a failing test can print it; every child is killed when the test
 * process exits, whatever happened.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export interface RunningProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exited: Promise<number | string>;
  alive(): boolean;
  /** SIGKILL: the process gets no chance to finish anything. Resolves once it is gone. */
  kill(): Promise<void>;
  /** SIGTERM, as a process manager stops it; resolves with the exit code (SIGKILL after 10 s). */
  stop(): Promise<number | string>;
}

const running = new Set<RunningProcess>();

// Children must not outlive the test run, even when it ends abruptly.
process.once("exit", () => {
  for (const proc of running) if (proc.alive()) proc.child.kill("SIGKILL");
});

/** Every process started here that has not been collected by stopAll. */
export function startedProcesses(): RunningProcess[] {
  return [...running];
}

/** The output of every process started here, for a failing test's report. */
export function allOutput(): string {
  return [...running].map((proc) => `----- ${proc.name} (pid ${proc.pid}${proc.alive() ? "" : ", exited"}) -----\n${proc.output() || "(no output)\n"}`).join("");
}

/** Stops every process still running (SIGTERM, then SIGKILL) and forgets them all. */
export async function stopAll(): Promise<void> {
  const procs = [...running];
  running.clear();
  await Promise.all(procs.map((proc) => (proc.alive() ? proc.stop() : undefined)));
}

function launch(name: string, args: string[], env: NodeJS.ProcessEnv): RunningProcess {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  const chunks: string[] = [];
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => chunks.push(chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => chunks.push(chunk));
  let done = false;
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => {
      done = true;
      resolve(code ?? signal ?? "unknown");
    });
    child.once("error", (error) => {
      done = true;
      chunks.push(`spawn failed: ${error.message}\n`);
      resolve("spawn-error");
    });
  });
  const proc: RunningProcess = {
    name,
    child,
    pid: child.pid ?? -1,
    output: () => chunks.join(""),
    exited,
    alive: () => !done,
    async kill() {
      if (!done) child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (done) return exited;
      child.kill("SIGTERM");
      const timer = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), STOP_TIMEOUT_MS).unref());
      if ((await Promise.race([exited, timer])) === "timeout") {
        chunks.push(`[test] ${name} did not exit within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM; killed.\n`);
        child.kill("SIGKILL");
      }
      return exited;
    },
  };
  running.add(proc);
  return proc;
}

async function waitFor(proc: RunningProcess, what: string, ready: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (!proc.alive()) throw new Error(`${proc.name} exited (${await proc.exited}) before ${what}. Its output:\n${proc.output()}`);
    if (await ready()) return;
    if (Date.now() > deadline) throw new Error(`${proc.name} did not ${what} within ${START_TIMEOUT_MS / 1000} s. Its output:\n${proc.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The environment a child gets: the test's own, minus settings that would change its shape. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ["PGLITE_DIR", "HOST", "PORT", "PUBLIC_URL", "WORKER", "TRUST_PROXY", "SMTP_URL", "WHMCS_URL", "PROVISIONING_ADAPTER", "PROVISIONING_WEBHOOK_PREVIOUS_SECRET", "NODE_OPTIONS", "VITEST", "VITEST_POOL_ID", "VITEST_WORKER_ID"]) {
    delete base[name];
  }
  return { ...base, ...env };
}

/**
 * `npm run worker` as one process: node with tsx's loader rather than the tsx command, which
 * would run the worker in a grandchild that a SIGKILL of its parent leaves running.
 */
export async function startWorkerProcess(name: string, env: Record<string, string>): Promise<RunningProcess> {
  const proc = launch(name, ["--import", "tsx", "app/jobs/worker-main.ts"], childEnv({ NODE_ENV: "production", ...env }));
  await waitFor(proc, "start the worker", () => proc.output().includes("HostHelp worker started."));
  return proc;
}

export interface ServerProcess extends RunningProcess {
  /** http://127.0.0.1:<port>, also its PUBLIC_URL. */
  origin: string;
}

/** build/server.js, as `npm run serve` runs it, on a free port of 127.0.0.1. */
export async function startServerProcess(name: string, env: Record<string, string>): Promise<ServerProcess> {
  const entry = path.join(root, "build/server.js");
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (\`npm test\` does).`);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const proc = launch(name, [entry], childEnv({ NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), PUBLIC_URL: origin, ...env }));
  await waitFor(proc, `answer ${origin}/healthz`, async () => {
    try {
      return (await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok;
    } catch {
      return false;
    }
  });
  return Object.assign(proc, { origin });
}

/** A port the OS says is free right now (the server is then told to listen on it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error("Could not find a free port"))));
    });
  });
}
