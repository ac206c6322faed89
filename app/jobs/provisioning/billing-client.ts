/**
 * Which of the billing system's clients a reward event is for. An event carries the member's
 * billing client id of the moment it was queued; an admin may have set or corrected it since,
 * so a grant goes to the id as it is now. A revocation goes to the client its grant went to, as
 * that delivery recorded it, whatever the member's id has become since.
 */
import type { RewardEvent } from "./events";

export interface BillingClientLookups {
  /** The member's billing client id as it is now. */
  currentBillingClientId?: (memberId: number) => Promise<string | null>;
  /** The client a delivered grant went to, as its delivery recorded it. */
  creditedBillingClientId?: (grantId: number) => Promise<string | null>;
}

export async function billingClientFor(event: RewardEvent, lookups: BillingClientLookups): Promise<string | null> {
  const current = (await lookups.currentBillingClientId?.(event.member.id))?.trim() || event.member.billing_client_id?.trim() || null;
  if (event.type !== "reward.revoked") return current;
  // A grant delivered before deliveries recorded their client: the member's client as it is now.
  return (await lookups.creditedBillingClientId?.(event.grant.id))?.trim() || current;
}

/** The event as it goes to `clientId`, and is stored once delivered (see creditedBillingClientId). */
export function forBillingClient(event: RewardEvent, clientId: string | null): RewardEvent {
  return { ...event, member: { ...event.member, billing_client_id: clientId } };
}
