import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

/**
 * Renders markdown in a worker thread with a time limit, so that a crafted post that makes the
 * parser crawl costs one killed worker instead of a stalled server. The limit counts the render
 * alone, from when the worker takes the post up: starting the thread (loading the parser) can
 * take longer than that on a busy machine, and an honest post must not be refused for it.
 */
export const RENDER_TIME_LIMIT_MS = 2_000;
/** How long a post may wait for the worker to take it up before the render counts as failed. */
const START_TIME_LIMIT_MS = 30_000;

export class MarkdownTooComplexError extends Error {
  constructor() {
    super("This post is too complex to display. Simplify its formatting and try again.");
  }
}

/**
 * The worker is bundled beside the built server (build/markdown-worker.js). Code run from the
 * source tree uses that build when there is one (tests run after `npm run build`), and otherwise
 * (scripts under tsx on a fresh clone) loads the TypeScript worker through tsx.
 */
function startWorker(): Worker {
  for (const candidate of ["./markdown-worker.js", "../../../build/markdown-worker.js"]) {
    const file = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(file)) return new Worker(file);
  }
  const tsx = import.meta.resolve("tsx/esm/api");
  const source = new URL("./worker.ts", import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`, { eval: true });
}

type Pending = { source: string; timeLimitMs: number; resolve: (html: string) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, Pending>();

function getWorker(): Worker {
  if (worker) return worker;
  const started = startWorker();
  started.unref();
  started.on("message", ({ id, started: begun, html, error }: { id: number; started?: true; html?: string; error?: string }) => {
    const job = pending.get(id);
    if (!job) return;
    clearTimeout(job.timer);
    if (begun) {
      job.timer = setTimeout(() => giveUp(id, started, new MarkdownTooComplexError()), job.timeLimitMs);
      return;
    }
    pending.delete(id);
    // The renderer gave up on this text (marked overflows its stack on very deep nesting).
    if (error !== undefined) job.reject(new MarkdownTooComplexError());
    else job.resolve(html!);
  });
  started.on("error", (error) => console.error(`[markdown] worker error: ${error.message}`));
  started.on("exit", () => {
    if (worker === started) worker = undefined;
    resubmitPending();
  });
  worker = started;
  return started;
}

/** Ends the worker thread, for scripts that are done (the server keeps it for its lifetime). */
export async function stopMarkdownWorker(): Promise<void> {
  const running = worker;
  worker = undefined;
  await running?.terminate();
}

/** Jobs that were queued behind a render the time limit killed get a fresh thread. */
function resubmitPending(): void {
  const jobs = [...pending.values()];
  pending.clear();
  for (const job of jobs) {
    clearTimeout(job.timer);
    cookMarkdown(job.source, job.timeLimitMs).then(job.resolve, job.reject);
  }
}

/** Fails a job that ran out of time; a stuck render cannot be interrupted, only its thread ended (jobs queued behind it retry). */
function giveUp(id: number, thread: Worker, error: Error): void {
  const job = pending.get(id);
  if (!job) return;
  pending.delete(id);
  job.reject(error);
  if (worker === thread) worker = undefined;
  void thread.terminate();
}

export function cookMarkdown(source: string, timeLimitMs = RENDER_TIME_LIMIT_MS): Promise<string> {
  const id = nextId++;
  const thread = getWorker();
  return new Promise<string>((resolve, reject) => {
    // Replaced by the render's own time limit once the worker takes the post up.
    const timer = setTimeout(() => giveUp(id, thread, new Error("The markdown worker did not take the post up.")), START_TIME_LIMIT_MS);
    pending.set(id, { source, timeLimitMs, resolve, reject, timer });
    thread.postMessage({ id, source });
  });
}
