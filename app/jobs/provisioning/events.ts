/**
 * The provisioning hook's events, as DESIGN.md's contract fixes them. The body is built when the
 * grant is written and stored in the outbox; every retry sends it again, but for the member's
 * billing client id, which is the one of the moment (see billing-client.ts). `id` is the outbox
 * row's id, which is also the `HostHelp-Delivery` header.
 */
export const PROVISIONING_TOPIC = "provisioning";

export const PROVISIONING_EVENT_TYPES = ["reward.granted", "reward.revoked", "ping"] as const;
export type ProvisioningEventType = (typeof PROVISIONING_EVENT_TYPES)[number];

export interface RewardGrantBody {
  id: number;
  package: { code: string; name: string; credit_amount: string; currency: string };
  reason: string;
  granted_by: string;
}

export interface RewardMemberBody {
  id: number;
  username: string;
  email: string;
  billing_client_id: string | null;
}

export interface RewardEvent {
  id: string;
  type: "reward.granted" | "reward.revoked";
  created_at: string;
  grant: RewardGrantBody;
  member: RewardMemberBody;
  /** On `reward.revoked` only: an addition to the contract's body, which receivers may ignore. */
  revocation?: { reason: string; revoked_by: string };
}

export type ProvisioningEvent = RewardEvent | { id: string; type: "ping"; created_at: string };

export function isRewardEvent(event: ProvisioningEvent): event is RewardEvent {
  return event.type !== "ping";
}
