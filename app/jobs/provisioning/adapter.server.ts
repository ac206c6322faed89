/**
 * Which provisioning adapter delivers reward events, read from the environment:
 *
 * - `webhook` when PROVISIONING_WEBHOOK_URL is set (with PROVISIONING_WEBHOOK_SECRET);
 * - `whmcs` when WHMCS_URL is set (with WHMCS_IDENTIFIER and WHMCS_SECRET);
 * - PROVISIONING_ADAPTER=webhook|whmcs chooses when both are set (webhook wins otherwise);
 * - none otherwise: events wait in the outbox as pending until one is configured.
 *
 * A half-configured adapter (a URL without its secret) counts as none, with a message that says
 * what is missing: sending unsigned events, or failing every delivery, would both be worse. So
 * does an address with a user name or password in it: fetch refuses such addresses (every
 * delivery would fail, for 3 days), and its error would carry the password into logs and pages.
 */
import { hasCredentials } from "~/lib/url-credentials";
import type { BillingClientLookups } from "./billing-client";
import type { ProvisioningEvent } from "./events";
import { webhookAdapter } from "./webhook.server";
import { whmcsAdapter } from "./whmcs.server";

export const ADAPTER_NAMES = ["webhook", "whmcs"] as const;
export type AdapterName = (typeof ADAPTER_NAMES)[number];

export interface ProvisioningAdapter {
  readonly name: AdapterName;
  /** Where events go, fit for logs and admin pages (no credentials). */
  readonly target: string;
  /**
   * Delivers one event; throws a DeliveryError (or any error) when the attempt failed. May return
   * the event as it was delivered, to be stored in its place (with the billing client it went to).
   */
  deliver(event: ProvisioningEvent, attempt: number): Promise<ProvisioningEvent | void>;
}

/** How long one delivery may take, and so how long a hanging receiver can hold a worker. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;

type Env = Record<string, string | undefined>;

export type ProvisioningSetup =
  /** `warning`: a risk admins should hear of (logged at start, shown on the admin pages), or null. */
  | { configured: true; adapter: ProvisioningAdapter; summary: string; warning: string | null }
  | { configured: false; adapter: null; summary: string; warning: null };

function notConfigured(summary: string): ProvisioningSetup {
  return { configured: false, adapter: null, summary, warning: null };
}

function configured(adapter: ProvisioningAdapter, what: string, warning: string | null = null): ProvisioningSetup {
  return { configured: true, adapter, summary: `Reward events are delivered by the ${what} to ${adapter.target}.`, warning };
}

/**
 * Why the address in setting `name` cannot be used, or null when it can. `authenticatedBy` says
 * what proves the sender instead of credentials in the address. Never repeats the address.
 */
function addressProblem(name: string, value: string, authenticatedBy: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${name} must be an http(s) address`;
  }
  if (!["http:", "https:"].includes(url.protocol)) return `${name} must be an http(s) address`;
  if (hasCredentials(url)) return `${name} contains a user name or password, which HostHelp never uses, stores or shows; take them out of the address (${authenticatedBy})`;
  return null;
}

function isLoopback(url: URL): boolean {
  const host = url.hostname;
  return host === "localhost" || host.endsWith(".localhost") || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

function chooseAdapter(env: Env): AdapterName | { problem: string } | null {
  const choice = env.PROVISIONING_ADAPTER?.trim();
  if (choice) {
    if (!(ADAPTER_NAMES as readonly string[]).includes(choice)) return { problem: `PROVISIONING_ADAPTER is "${choice}"; it must be webhook or whmcs.` };
    return choice as AdapterName;
  }
  if (env.PROVISIONING_WEBHOOK_URL) return "webhook";
  if (env.WHMCS_URL) return "whmcs";
  return null;
}

/**
 * The adapter the environment configures, or none, with one sentence saying which (and, when a
 * setting is missing or wrong, what to fix). The sentence never contains a secret.
 */
export interface AdapterOptions extends BillingClientLookups {
  timeoutMs?: number;
}

export function provisioningSetupFromEnv(env: Env = process.env, { timeoutMs = DEFAULT_DELIVERY_TIMEOUT_MS, ...lookups }: AdapterOptions = {}): ProvisioningSetup {
  const waiting = "reward events wait as pending until it is fixed.";
  const choice = chooseAdapter(env);
  if (choice === null) {
    return notConfigured("No provisioning hook is configured (set PROVISIONING_WEBHOOK_URL or WHMCS_URL): reward events wait as pending until one is.");
  }
  if (typeof choice === "object") return notConfigured(`${choice.problem} No provisioning hook is active; ${waiting}`);

  if (choice === "webhook") {
    const url = env.PROVISIONING_WEBHOOK_URL?.trim() ?? "";
    const problem = addressProblem("PROVISIONING_WEBHOOK_URL", url, "requests are proved by their signature with PROVISIONING_WEBHOOK_SECRET");
    if (problem) return notConfigured(`${problem}; ${waiting}`);
    const secrets = [env.PROVISIONING_WEBHOOK_SECRET, env.PROVISIONING_WEBHOOK_PREVIOUS_SECRET].map((secret) => secret?.trim() ?? "");
    if (!secrets[0]) return notConfigured(`PROVISIONING_WEBHOOK_URL is set but PROVISIONING_WEBHOOK_SECRET is not, and events are never sent unsigned; ${waiting}`);
    return configured(webhookAdapter({ url, secrets: secrets.filter(Boolean), timeoutMs, ...lookups }), "webhook");
  }

  const url = env.WHMCS_URL?.trim() ?? "";
  const problem = addressProblem("WHMCS_URL", url, "the API is signed in to with WHMCS_IDENTIFIER and WHMCS_SECRET");
  if (problem) return notConfigured(`${problem}; ${waiting}`);
  const identifier = env.WHMCS_IDENTIFIER?.trim();
  const secret = env.WHMCS_SECRET?.trim();
  if (!identifier || !secret) return notConfigured(`WHMCS_URL is set but WHMCS_IDENTIFIER and WHMCS_SECRET (API credentials) are not both set; ${waiting}`);
  const parsed = new URL(url);
  // Every WHMCS call carries the API secret in its body: on plain http anyone on the way can read it.
  const warning =
    parsed.protocol === "http:" && !isLoopback(parsed)
      ? `WHMCS_URL is a plain http:// address on another machine (${parsed.host}), so the WHMCS API secret crosses the network unencrypted with every call. Use https://.`
      : null;
  return configured(whmcsAdapter({ url, identifier, secret, timeoutMs, ...lookups }), "WHMCS API", warning);
}

/** The adapter alone, for code that only delivers. */
export function provisioningAdapterFromEnv(env: Env = process.env, options: AdapterOptions = {}): ProvisioningAdapter | null {
  return provisioningSetupFromEnv(env, options).adapter;
}
