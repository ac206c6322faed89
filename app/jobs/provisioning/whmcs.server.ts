/**
 * The `whmcs` adapter: grants become client credit through the WHMCS API (`AddCredit`), and
 * revocations take the same amount back (`AddCredit` with `type=remove`).
 *
 * AddCredit has no idempotency key, and an attempt can fail after WHMCS applied it (the answer
 * lost on the way back). So every credit's description carries a fixed marker with the grant id,
 * and before any retry the adapter reads the client's credit log (`GetCredits`): when the marker
 * is already there, the earlier attempt went through and nothing is added again.
 */
import type { ProvisioningAdapter } from "./adapter.server";
import { billingClientFor, forBillingClient, type BillingClientLookups } from "./billing-client";
import { isRewardEvent, type RewardEvent } from "./events";
import { deadlineIn, DeliveryError, fetchWithin, printableUrl, snippet, type Deadline } from "./http.server";

export interface WhmcsSettings extends BillingClientLookups {
  /** The WHMCS address, e.g. https://billing.example.com (the API lives at /includes/api.php). */
  url: string;
  identifier: string;
  secret: string;
  timeoutMs: number;
}

/**
 * The fixed, findable start of a credit's description: "HostHelp reward grant #123" or
 * "HostHelp reward revocation #123". Admins can search WHMCS's credit log for it too.
 */
export function creditMarker(event: RewardEvent): string {
  return `HostHelp reward ${event.type === "reward.granted" ? "grant" : "revocation"} #${event.grant.id}`;
}

/** Whether a credit log description carries the marker (#12 must not match #123). */
export function carriesMarker(description: string, marker: string): boolean {
  const at = description.indexOf(marker);
  return at >= 0 && !/\d/.test(description.charAt(at + marker.length));
}

/** The API endpoint for a WHMCS address; an address that already names it is kept. */
export function whmcsApiUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, "");
  return trimmed.endsWith("/includes/api.php") ? trimmed : `${trimmed}/includes/api.php`;
}

/** WHMCS's own refusal (`result: "error"`, e.g. "Client ID Not Found"): it answered, and did nothing. */
class WhmcsRefusal extends DeliveryError {}

interface WhmcsCredit {
  id?: string | number;
  description?: string;
  amount?: string | number;
}

export function whmcsAdapter({ url, identifier, secret, timeoutMs, ...lookups }: WhmcsSettings): ProvisioningAdapter {
  const endpoint = whmcsApiUrl(url);

  /** One API call: form-encoded POST, JSON answer, `result: "error"` turned into a DeliveryError. */
  async function call(deadline: Deadline, action: string, params: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const form = new URLSearchParams({ action, identifier, secret, responsetype: "json", ...params });
    const { status, body } = await fetchWithin(endpoint, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: form.toString() }, deadline);
    let answer: Record<string, unknown> | null = null;
    try {
      answer = JSON.parse(body) as Record<string, unknown>;
    } catch {
      // Not JSON (a proxy's error page, say): reported below with the status and a snippet.
    }
    if (answer?.result === "success" && status >= 200 && status <= 299) return answer;
    const reason = typeof answer?.message === "string" ? answer.message : snippet(body) || "no answer body";
    const message = `WHMCS ${action} failed (HTTP ${status}): ${snippet(reason)}`;
    throw answer?.result === "error" ? new WhmcsRefusal(message) : new DeliveryError(message);
  }

  async function creditLog(deadline: Deadline, clientId: string): Promise<WhmcsCredit[]> {
    const answer = await call(deadline, "GetCredits", { clientid: clientId });
    // JSON from WHMCS's XML-shaped arrays: {credits: {credit: [...]}}, a lone object, or empty.
    const credits = answer.credits as { credit?: WhmcsCredit | WhmcsCredit[] } | undefined;
    const list = credits?.credit;
    return Array.isArray(list) ? list : list ? [list] : [];
  }

  return {
    name: "whmcs",
    target: printableUrl(endpoint),
    async deliver(event, attempt) {
      // One time limit for the whole delivery, however many calls it takes.
      const deadline = deadlineIn(timeoutMs);
      if (!isRewardEvent(event)) {
        // A ping proves the URL and the credentials work, and changes nothing.
        await call(deadline, "WhmcsDetails");
        return;
      }
      const clientId = await billingClientFor(event, lookups);
      if (!clientId) {
        throw new DeliveryError(
          `${event.member.username} has no billing client id, so WHMCS cannot be credited. Set it on the member's admin page; the delivery is retried.`,
        );
      }
      const marker = creditMarker(event);
      if (attempt > 1) {
        // An earlier attempt may have been applied with its answer lost, to the client the
        // member had then: the one the event was queued with, if an admin has changed it since.
        for (const earlier of new Set([clientId, event.member.billing_client_id?.trim()])) {
          if (!earlier) continue;
          // A queued id that WHMCS refuses (no such client, the reason it was corrected) holds no credit.
          const log = await creditLog(deadline, earlier).catch((error: unknown) => {
            if (earlier !== clientId && error instanceof WhmcsRefusal) return [];
            throw error;
          });
          if (log.some((credit) => carriesMarker(String(credit.description ?? ""), marker))) return forBillingClient(event, earlier);
        }
      }
      await call(deadline, "AddCredit", {
        clientid: clientId,
        amount: event.grant.package.credit_amount,
        description: `${marker}: ${event.grant.package.name}`,
        type: event.type === "reward.granted" ? "add" : "remove",
      });
      // Stored as delivered to the client credited (or debited), as the earlier client is above.
      return forBillingClient(event, clientId);
    },
  };
}
