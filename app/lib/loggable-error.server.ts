/**
 * Errors as they may be logged, or stored for admins to read. A failed query's message quotes
 * the values bound into it, and those are secrets as often as not: a session id (which signs
 * its holder in), a password hash, a reset link's token. An address in an error may carry its
 * password (fetch quotes them). Both are left out; the query itself, the database's own error
 * and where it happened stay, which is what finding the fault takes.
 */
import { DrizzleQueryError } from "drizzle-orm";
import { withoutUrlCredentials } from "./url-credentials";

/** The error's message, without bound values or credentials. */
export function loggableMessage(error: unknown): string {
  return withoutUrlCredentials(messageOf(error));
}

/** The message and, for an Error, where it was thrown: for the server's log. */
export function loggableError(error: unknown): string {
  if (!(error instanceof Error)) return loggableMessage(error);
  const stack = error.stack ?? "";
  const frames = stack.indexOf("\n    at ");
  return withoutUrlCredentials(`${error.name}: ${messageOf(error)}${frames === -1 ? "" : stack.slice(frames)}`);
}

function messageOf(error: unknown): string {
  if (error instanceof DrizzleQueryError) {
    const cause = error.cause === undefined ? "" : `\n${messageOf(error.cause)}`;
    return `Failed query: ${error.query}${cause}`;
  }
  return error instanceof Error ? error.message : String(error);
}
