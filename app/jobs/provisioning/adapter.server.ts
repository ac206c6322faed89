/**
 * Which provisioning adapter delivers reward events, read from the environment:
 *
 * - `webhook` when PROVISIONING_WEBHOOK_URL is set (with PROVISIONING_WEBHOOK_SECRET);
 * - `whmcs` when WHMCS_URL is set (with WHMCS_IDENTIFIER and WHMCS_SECRET);
 * - PROVISIONING_ADAPTER=webhook|whmcs chooses when both are set (webhook wins otherwise);
 * - none otherwise: events wait in the outbox as pending until one is configured.
 *
 * A half-configured adapter (a URL without its secret) counts as none, with a message that says
 * what is missing: sending unsigned events, or failing every delivery, would both be worse.
 */
import type { ProvisioningEvent } from "./events";
import { webhookAdapter } from "./webhook.server";
import { whmcsAdapter } from "./whmcs.server";

export const ADAPTER_NAMES = ["webhook", "whmcs"] as const;
export type AdapterName = (typeof ADAPTER_NAMES)[number];

export interface ProvisioningAdapter {
  readonly name: AdapterName;
  /** Where events go, fit for logs and admin pages (no credentials). */
  readonly target: string;
  /** Delivers one event; throws a DeliveryError (or any error) when the attempt failed. */
  deliver(event: ProvisioningEvent, attempt: number): Promise<void>;
}

/** How long one delivery may take, and so how long a hanging receiver can hold a worker. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;

type Env = Record<string, string | undefined>;

export type ProvisioningSetup =
  | { configured: true; adapter: ProvisioningAdapter; summary: string }
  | { configured: false; adapter: null; summary: string };

function notConfigured(summary: string): ProvisioningSetup {
  return { configured: false, adapter: null, summary };
}

function configured(adapter: ProvisioningAdapter, what: string): ProvisioningSetup {
  return { configured: true, adapter, summary: `Reward events are delivered by the ${what} to ${adapter.target}.` };
}

function isHttpUrl(value: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
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
export interface AdapterOptions {
  timeoutMs?: number;
  /** For the WHMCS adapter: looks up a member's billing client id as it is now. */
  currentBillingClientId?: (memberId: number) => Promise<string | null>;
}

export function provisioningSetupFromEnv(env: Env = process.env, { timeoutMs = DEFAULT_DELIVERY_TIMEOUT_MS, currentBillingClientId }: AdapterOptions = {}): ProvisioningSetup {
  const waiting = "reward events wait as pending until it is fixed.";
  const choice = chooseAdapter(env);
  if (choice === null) {
    return notConfigured("No provisioning hook is configured (set PROVISIONING_WEBHOOK_URL or WHMCS_URL): reward events wait as pending until one is.");
  }
  if (typeof choice === "object") return notConfigured(`${choice.problem} No provisioning hook is active; ${waiting}`);

  if (choice === "webhook") {
    const url = env.PROVISIONING_WEBHOOK_URL?.trim() ?? "";
    if (!isHttpUrl(url)) return notConfigured(`PROVISIONING_WEBHOOK_URL must be an http(s) address; ${waiting}`);
    const secrets = [env.PROVISIONING_WEBHOOK_SECRET, env.PROVISIONING_WEBHOOK_PREVIOUS_SECRET].map((secret) => secret?.trim() ?? "");
    if (!secrets[0]) return notConfigured(`PROVISIONING_WEBHOOK_URL is set but PROVISIONING_WEBHOOK_SECRET is not, and events are never sent unsigned; ${waiting}`);
    return configured(webhookAdapter({ url, secrets: secrets.filter(Boolean), timeoutMs }), "webhook");
  }

  const url = env.WHMCS_URL?.trim() ?? "";
  if (!isHttpUrl(url)) return notConfigured(`WHMCS_URL must be an http(s) address; ${waiting}`);
  const identifier = env.WHMCS_IDENTIFIER?.trim();
  const secret = env.WHMCS_SECRET?.trim();
  if (!identifier || !secret) return notConfigured(`WHMCS_URL is set but WHMCS_IDENTIFIER and WHMCS_SECRET (API credentials) are not both set; ${waiting}`);
  return configured(whmcsAdapter({ url, identifier, secret, timeoutMs, currentBillingClientId }), "WHMCS API");
}

/** The adapter alone, for code that only delivers. */
export function provisioningAdapterFromEnv(env: Env = process.env, options: AdapterOptions = {}): ProvisioningAdapter | null {
  return provisioningSetupFromEnv(env, options).adapter;
}
