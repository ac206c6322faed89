import { data, redirect } from "@remix-run/node";
import type { AppLoadContext } from "@remix-run/node";
import type { CurrentMember } from "~/auth/session.server";
import { can } from "~/models/permissions";
import { type FieldErrors, type FormFailure, submittedValues } from "./forms.server";

/** A 4xx answer that puts the form back with messages next to its fields. */
export function invalidForm(failure: FormFailure, status = 400, headers?: HeadersInit) {
  return data<FormFailure>(failure, { status, headers });
}

export function formErrors(formData: FormData | null, errors: FieldErrors, status = 400, headers?: HeadersInit) {
  return invalidForm({ errors, values: formData ? submittedValues(formData) : {} }, status, headers);
}

/**
 * A model's refusal as a form answer: its message by the field it names (or `field`), its
 * status, and Retry-After when it says when to try again.
 */
export function refusal(formData: FormData, failure: { status: number; message: string; field?: string; retryAfterSeconds?: number }, field = "form") {
  const headers = failure.retryAfterSeconds ? { "Retry-After": String(failure.retryAfterSeconds) } : undefined;
  return formErrors(formData, { [failure.field ?? field]: failure.message }, failure.status, headers);
}

/** A 429 answer for the form, with Retry-After for clients that read it. */
export function tooManyRequests(formData: FormData, message: string, retryAfterSeconds: number) {
  return invalidForm({ errors: { form: message }, values: submittedValues(formData) }, 429, {
    "Retry-After": String(retryAfterSeconds),
  });
}

/**
 * Only same-site paths are followed after sign-in, never another host ("//evil.example"). The
 * path is judged as a browser resolves it: dot segments can turn "/.//evil.example" or
 * "/%2e//evil.example" into "//evil.example", which a Location header sends to that host. A path
 * typed with letters beyond ASCII ("/t/7/zażółć") comes back percent-encoded, as a Location
 * header must be; one with control characters, which no header may carry, is not followed.
 */
export function safeRedirectPath(target: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof target !== "string" || !target.startsWith("/") || /\p{Cc}/u.test(target)) return fallback;
  let url: URL;
  try {
    url = new URL(target, SAME_SITE);
  } catch {
    return fallback;
  }
  if (url.origin !== SAME_SITE || url.pathname.startsWith("//")) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
const SAME_SITE = "http://same.site";

export function requireMember(context: AppLoadContext, request: Request): CurrentMember {
  if (context.member) return context.member;
  const url = new URL(request.url);
  throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

/**
 * Every admin loader and action calls this itself: Remix runs a child route's loader even when
 * its parent's refuses, so a check in the layout alone would not protect the child's data.
 */
export function requireAdmin(context: AppLoadContext, request: Request): CurrentMember {
  const member = requireMember(context, request);
  if (!can(member, "admin:view")) forbidden("Only admins can open the admin pages.");
  return member;
}

/** Moderators and admins: the moderation pages. Like requireAdmin, each loader calls it itself. */
export function requireStaff(context: AppLoadContext, request: Request): CurrentMember {
  const member = requireMember(context, request);
  if (!can(member, "thread:moderate")) forbidden("Only moderators and admins can open the moderation pages.");
  return member;
}

/**
 * Refuses a request to a resource route (the moderation buttons post to one) with its message as
 * a plain-text answer. A thrown data() would reach the browser only as "Unexpected Server Error":
 * Remix renders no error boundary for a route without a page.
 */
export function refuseResource(message: string, status: number): never {
  throw new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** A resource route's refused form, which has no page to put back: its first message, as a 400. */
export function invalidResourceForm(failure: FormFailure): never {
  refuseResource(Object.values(failure.errors).find(Boolean) ?? "That request is incomplete: reload the page and try again.", 400);
}

export function forbidden(message = "You do not have permission to do that."): never {
  throw data(message, { status: 403 });
}

export function notFound(message = "Not found."): never {
  throw data(message, { status: 404 });
}
