/**
 * What the provisioning adapters share about talking HTTP to a host's system: a time limit on the
 * whole exchange, and failures told in one short line that names the cause and never a secret.
 */

/** A failed delivery attempt; its message is what admins read as the delivery's last error. */
export class DeliveryError extends Error {
  override name = "DeliveryError";
}

const SNIPPET_LENGTH = 200;

/** The start of a response body, on one line, for an error message. */
export function snippet(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > SNIPPET_LENGTH ? `${line.slice(0, SNIPPET_LENGTH)}…` : line;
}

/** A URL fit for logs and pages: without user name, password, query or fragment. */
export function printableUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/** One delivery's time limit, shared by every request the delivery makes. */
export interface Deadline {
  signal: AbortSignal;
  timeoutMs: number;
}

export function deadlineIn(timeoutMs: number): Deadline {
  return { signal: AbortSignal.timeout(timeoutMs), timeoutMs };
}

/**
 * `fetch` bounded by the deadline, which covers reading the answer's body too. Redirects are not
 * followed: a 3xx is not success. Network failures become a DeliveryError naming the cause
 * (refused, reset, timed out, unknown host) rather than undici's bare "fetch failed".
 */
export async function fetchWithin(url: string, init: RequestInit, deadline: Deadline): Promise<{ status: number; body: string }> {
  try {
    const response = await fetch(url, { ...init, redirect: "manual", signal: deadline.signal });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    throw new DeliveryError(describeNetworkError(error, url, deadline.timeoutMs));
  }
}

function describeNetworkError(error: unknown, url: string, timeoutMs: number): string {
  const target = printableUrl(url);
  if (error instanceof Error && error.name === "TimeoutError") return `No answer from ${target} within ${timeoutMs / 1000} s.`;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  switch (cause?.code) {
    case "ECONNREFUSED":
      return `Connection refused by ${target} (ECONNREFUSED).`;
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
      return `${target} closed the connection before answering (${cause.code}).`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `The host of ${target} could not be found (${cause.code}).`;
  }
  const detail = cause?.message ?? (error instanceof Error ? error.message : String(error));
  return `Could not reach ${target}: ${snippet(detail)}${cause?.code ? ` (${cause.code})` : ""}.`;
}
