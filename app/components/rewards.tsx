import { Link } from "@remix-run/react";
import type { OutboxStatus } from "~db/schema/outbox";
import { formatMoney } from "~/lib/money";
import { Time } from "./time";

const DELIVERY_WORDS: Record<OutboxStatus, string> = {
  pending: "waiting to be sent",
  delivering: "being sent",
  delivered: "delivered",
  failed: "failed",
  expired: "expired",
};

/** Where a grant (or its revocation) stands with the billing system. */
export function DeliveryStatus({ status }: { status: OutboxStatus | null }) {
  if (!status) return null;
  return <span className={`badge badge--delivery-${status}`}>{DELIVERY_WORDS[status]}</span>;
}

export function Credit({ amount, currency }: { amount: string; currency: string }) {
  return <span className="credit">{formatMoney(amount, currency)}</span>;
}

interface GrantSummary {
  id: number;
  createdAt: Date | string;
  username: string;
  packageName: string;
  creditAmount: string;
  currency: string;
  reason: string;
  grantedBy: string;
  delivery: OutboxStatus;
  revokedAt: Date | string | null;
  revokeReason: string | null;
  revokeDelivery: OutboxStatus | null;
}

/**
 * Grants as a table. Admins get the recipient and a link to each grant's page; a moderator
 * looking at their own grants sees neither.
 */
export function GrantsTable({ grants, caption, forAdmin }: { grants: GrantSummary[]; caption: string; forAdmin: boolean }) {
  return (
    <table className="table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Date</th>
          {forAdmin ? <th scope="col">Moderator</th> : null}
          <th scope="col">Package</th>
          <th scope="col">Credit</th>
          <th scope="col">Reason</th>
          <th scope="col">Billing system</th>
        </tr>
      </thead>
      <tbody>
        {grants.map((grant) => (
          <tr key={grant.id} className={grant.revokedAt ? "grant grant--revoked" : "grant"}>
            <td>
              {forAdmin ? (
                <Link to={`/admin/rewards/grants/${grant.id}`}>
                  <Time value={grant.createdAt} />
                </Link>
              ) : (
                <Time value={grant.createdAt} />
              )}
            </td>
            {forAdmin ? (
              <td>
                <Link to={`/u/${grant.username}`}>{grant.username}</Link>
              </td>
            ) : null}
            <td>{grant.packageName}</td>
            <td>
              <Credit amount={grant.creditAmount} currency={grant.currency} />
            </td>
            <td>
              {grant.reason} <span className="muted">(by {grant.grantedBy})</span>
              {grant.revokedAt ? (
                <p className="grant__revoked">
                  Revoked on <Time value={grant.revokedAt} />: {grant.revokeReason}
                </p>
              ) : null}
            </td>
            <td>
              Grant: <DeliveryStatus status={grant.delivery} />
              {grant.revokeDelivery ? (
                <>
                  <br />
                  Revocation: <DeliveryStatus status={grant.revokeDelivery} />
                </>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Balances({ balances }: { balances: Array<{ currency: string; amount: string }> }) {
  if (balances.length === 0) return <span className="credit">0.00</span>;
  return (
    <>
      {balances.map((balance, index) => (
        <span key={balance.currency}>
          {index > 0 ? ", " : null}
          <Credit amount={balance.amount} currency={balance.currency} />
        </span>
      ))}
    </>
  );
}
