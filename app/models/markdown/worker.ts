/** The markdown worker thread: renders what the main thread sends (bundled to build/markdown-worker.js). */
import { parentPort } from "node:worker_threads";
import { renderMarkdown } from "./render";

// A fresh thread's first render compiles the parser's and the sanitizer's code and patterns, and
// costs several times a later one (40 ms against 7 on a slow machine): it is done here, before
// any post's time limit starts, so that the first post after a start is not refused for it.
// Posts sent meanwhile wait in the port's queue.
renderMarkdown(
  "# Warming up\n\nA *paragraph* with **strong** text, `code` and a [link](https://example.com).\n\n" +
    "- a list\n- of items\n\n1. numbered\n\n> a quote\n\n```\na code block\n```\n",
);

parentPort!.on("message", ({ id, source }: { id: number; source: string }) => {
  // The time limit counts from here: not the thread's start, nor the wait behind other posts.
  parentPort!.postMessage({ id, started: true });
  try {
    parentPort!.postMessage({ id, html: renderMarkdown(source) });
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
