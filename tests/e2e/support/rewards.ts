/** The reward program in the browser tests: a trusted moderator made before the start, and waiting on the hook receiver. */
import type { HookReceiver, ReceivedRequest } from "../../support/hook-receiver";
import type { Person } from "./forum";
import { runTsx } from "./run-tsx";

export interface TrustedModeratorSpec {
  moderator: Person;
  /** Established members, each asking one question and accepting the moderator's answer to it. */
  askers: Person[];
}

/**
 * Makes `spec.moderator` a moderator with an answer accepted by each of `spec.askers`, in the
 * database of `serverEnv` (support/create-trusted-moderator.ts). Call it from a suite's
 * `beforeStart`, i.e. before the server opens the database.
 */
export async function createTrustedModerator(serverEnv: NodeJS.ProcessEnv, spec: TrustedModeratorSpec): Promise<void> {
  const output = await runTsx(serverEnv, "tests/e2e/support/create-trusted-moderator.ts", [JSON.stringify(spec)]);
  if (!/^trusted /m.test(output)) throw new Error(`create-trusted-moderator.ts did not report the moderator:\n${output}`);
}

/** Polls `check` until it returns something other than undefined, or fails after `timeoutMs` with `what` and the last state. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000, describe?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Waited ${timeoutMs / 1000} s for ${what}${describe ? `; ${describe()}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** What the receiver saw so far, one line a request, for failure messages. */
export function receivedSoFar(receiver: HookReceiver): string {
  const lines = receiver.requests.map((request) => `${request.eventType} ${request.deliveryId} → ${request.outcome}, signature ${request.signature.ok ? "ok" : request.signature.message}`);
  return `the receiver got ${lines.length === 0 ? "nothing" : lines.join("; ")}`;
}

/** Waits until the receiver has answered a request for an event of `type` whose body satisfies `matches`, and returns it. */
export function waitForHookRequest(receiver: HookReceiver, type: string, matches: (body: Record<string, unknown>) => boolean, timeoutMs = 20_000): Promise<ReceivedRequest> {
  return eventually(
    `a ${type} request at the hook receiver`,
    () => receiver.requests.find((request) => request.eventType === type && matches(JSON.parse(request.rawBody) as Record<string, unknown>)),
    timeoutMs,
    () => receivedSoFar(receiver),
  );
}
