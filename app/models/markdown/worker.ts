/** The markdown worker thread: renders what the main thread sends (bundled to build/markdown-worker.js). */
import { parentPort } from "node:worker_threads";
import { renderMarkdown } from "./render";

parentPort!.on("message", ({ id, source }: { id: number; source: string }) => {
  // The time limit counts from here: not the thread's start, nor the wait behind other posts.
  parentPort!.postMessage({ id, started: true });
  try {
    parentPort!.postMessage({ id, html: renderMarkdown(source) });
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
