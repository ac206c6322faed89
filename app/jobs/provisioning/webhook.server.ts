/**
 * The `webhook` adapter: each event is POSTed as JSON to the host's URL, signed with the shared
 * secret. Receivers deduplicate on HostHelp-Delivery, which is the same on every retry.
 */
import type { ProvisioningAdapter } from "./adapter.server";
import { billingClientFor, forBillingClient, type BillingClientLookups } from "./billing-client";
import { isRewardEvent, type ProvisioningEvent } from "./events";
import { deadlineIn, DeliveryError, fetchWithin, printableUrl, snippet } from "./http.server";
import { signPayload } from "./signature";

export const WEBHOOK_USER_AGENT = "HostHelp-Provisioning-Hook/1";

export interface WebhookSettings extends BillingClientLookups {
  url: string;
  /** The current secret first; during a rotation also the previous one, so both sign. */
  secrets: string[];
  timeoutMs: number;
}

export function webhookAdapter({ url, secrets, timeoutMs, ...lookups }: WebhookSettings): ProvisioningAdapter {
  const target = printableUrl(url);
  return {
    name: "webhook",
    target,
    async deliver(queued: ProvisioningEvent) {
      // With the billing client id as it is when sent (see billingClientFor): one an admin set
      // after the grant goes with the next attempt, as it does to WHMCS.
      const event = isRewardEvent(queued) ? forBillingClient(queued, await billingClientFor(queued, lookups)) : queued;
      // Serialised once: the signature covers exactly the bytes that are sent.
      const rawBody = JSON.stringify(event);
      const { status, body } = await fetchWithin(
        url,
        {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "User-Agent": WEBHOOK_USER_AGENT,
            "HostHelp-Event": event.type,
            "HostHelp-Delivery": event.id,
            // Signed now rather than when queued, so a retry hours later still has a fresh timestamp.
            "HostHelp-Signature": signPayload(secrets, rawBody),
          },
          body: rawBody,
        },
        deadlineIn(timeoutMs),
      );
      if (status < 200 || status > 299) {
        const answer = snippet(body);
        throw new DeliveryError(`${target} answered HTTP ${status}${answer ? `: ${answer}` : ""}`);
      }
      return event;
    },
  };
}
