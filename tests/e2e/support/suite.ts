/**
 * The shared set-up of a browser test file: one server and one chromium for the file, a fresh
 * browser context (no cookies) per page, and the server's output printed when a test fails.
 */
import type { Browser, BrowserContext, BrowserContextOptions, ConsoleMessage, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { launchChromium } from "./browser";
import { startServer, type RunningServer, type StartOptions } from "./server";

export interface BrowserSuite {
  /** Available once the file's beforeAll has run, i.e. inside tests. */
  readonly server: RunningServer;
  /** A page in a new browser context at the server's address, closed after the test. */
  openPage(options?: BrowserContextOptions): Promise<WatchedPage>;
}

export interface WatchedPage {
  page: Page;
  /** Console errors, uncaught exceptions and CSP refusals seen on the page so far, except those expected with `expectFailedLoad`. */
  problems: string[];
  /**
   * Runs `step`, which must get one response with `status` (a deliberate 4xx answer such as a
   * refused sign-in), and takes chromium's "Failed to load resource" message for it out of `problems`.
   */
  expectFailedLoad(status: number, step: () => Promise<void>): Promise<void>;
}

/** `beforeStart` runs before the server starts (see support/server.ts), e.g. to create accounts with the command line. */
export type SuiteOptions = StartOptions;

export function useBrowserSuite(chromiumPath: string, options: SuiteOptions = {}): BrowserSuite {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // Both take a while (initdb, browser start); start them together but keep whichever started.
    const [started, launched] = await Promise.allSettled([startServer(process.env, options), launchChromium(chromiumPath)]);
    if (started.status === "fulfilled") server = started.value;
    if (launched.status === "fulfilled") browser = launched.value;
    if (started.status === "rejected") throw started.reason;
    if (launched.status === "rejected") throw launched.reason;
  });

  afterEach(async ({ task }) => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    // An `it.fails` test failing is its expected outcome, not something to investigate.
    if (task.result?.state === "fail" && !task.fails && server) {
      console.error(`--- HostHelp server output (${server.database}) up to the failure of "${task.name}" ---\n${server.output()}--- end of server output ---`);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  return {
    get server() {
      if (!server) throw new Error("The e2e server is not running (is this outside a test?)");
      return server;
    },
    async openPage(options = {}) {
      if (!browser || !server) throw new Error("The browser suite is not started (is this outside a test?)");
      const context = await browser.newContext({ baseURL: server.url, ...options });
      contexts.push(context);
      // Fail a step after 15 s with the locator in the message, well before the test's own timeout.
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      const problems = watchForProblems(page);
      return { page, problems, expectFailedLoad: (status, step) => expectFailedLoad(problems, status, step) };
    },
  };
}

/**
 * Collects what a careful developer would see in the devtools console: errors (including failed
 * loads), uncaught exceptions, and Content-Security-Policy violations. Older chromiums word those
 * "Refused to ...", chromium 156 "... violates the following Content Security Policy directive";
 * both are errors today, the text match keeps them caught if one is ever logged as a warning.
 */
const CSP_VIOLATION = /Refused to|Content Security Policy/;

function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (message: ConsoleMessage) => {
    if (message.type() === "error" || CSP_VIOLATION.test(message.text())) {
      problems.push(`console.${message.type()} on ${page.url()}: ${message.text()}`);
    }
  });
  page.on("pageerror", (error) => problems.push(`uncaught ${error.name} on ${page.url()}: ${error.message}`));
  return problems;
}

async function expectFailedLoad(problems: string[], status: number, step: () => Promise<void>): Promise<void> {
  const before = problems.length;
  await step();
  const expected = `Failed to load resource: the server responded with a status of ${status} `;
  // The console message travels separately from the page update the step waited for.
  const deadline = Date.now() + 5_000;
  for (;;) {
    const index = problems.findIndex((problem, i) => i >= before && problem.includes(expected));
    if (index >= 0) {
      problems.splice(index, 1);
      return;
    }
    if (Date.now() > deadline) throw new Error(`Expected a response with status ${status}; the console showed: ${JSON.stringify(problems.slice(before))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The text of the elements a field's aria-describedby points to: its hint and error, as a screen reader announces them. */
export async function descriptionOf(field: Locator): Promise<string> {
  const ids = ((await field.getAttribute("aria-describedby")) ?? "").split(/\s+/).filter(Boolean);
  const texts = await Promise.all(ids.map((id) => field.page().locator(`[id="${id}"]`).innerText()));
  return texts.join(" ");
}
