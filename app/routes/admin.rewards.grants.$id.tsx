import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError, TextAreaField } from "~/components/field";
import { Credit, DeliveryStatus } from "~/components/rewards";
import { Time } from "~/components/time";
import { parseForm } from "~/lib/forms.server";
import { invalidForm, notFound, refusal, requireAdmin } from "~/lib/http.server";
import { withNotice } from "~/lib/notices";
import { idParam } from "~/lib/params";
import { passThroughHeaders } from "~/lib/route-headers";
import { revokeSchema } from "~/models/reward-input.server";
import { REWARD_TEXT_MAX } from "~/models/reward-rules";
import { findGrant, revokeGrant } from "~/models/rewards.server";

export const meta: MetaFunction = () => [{ title: "Grant · Rewards · Admin · HostHelp" }];
export const headers = passThroughHeaders;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  const id = idParam(params.id);
  const grant = id ? await findGrant(id) : null;
  if (!grant) notFound("There is no such grant.");
  return { grant };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const admin = requireAdmin(context, request);
  const formData = await request.formData();
  formData.set("grantId", params.id ?? "");
  const parsed = parseForm(revokeSchema, formData);
  if (!parsed.ok) return invalidForm(parsed);
  const result = await revokeGrant(admin, parsed.data);
  if (!result.ok) return refusal(formData, result);
  throw redirect(withNotice(`/admin/rewards/grants/${parsed.data.grantId}`, "reward-revoked"));
}

export default function GrantPage() {
  const { grant } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  return (
    <section className="narrow-wide">
      <p>
        <Link to="/admin/rewards">← Rewards</Link>
      </p>
      <h1>
        Grant #{grant.id}: {grant.packageName} to {grant.username}
      </h1>
      <dl className="facts">
        <dt>Moderator</dt>
        <dd>
          <Link to={`/admin/members/${grant.username}`}>{grant.username}</Link>
        </dd>
        <dt>Credit</dt>
        <dd>
          <Credit amount={grant.creditAmount} currency={grant.currency} />
        </dd>
        <dt>Granted</dt>
        <dd>
          <Time value={grant.createdAt} withTime /> by {grant.grantedBy}
        </dd>
        <dt>Reason</dt>
        <dd>{grant.reason}</dd>
        {grant.overrideReason ? (
          <>
            <dt>Override reason</dt>
            <dd>{grant.overrideReason}</dd>
          </>
        ) : null}
        <dt>Billing system</dt>
        <dd>
          <DeliveryStatus status={grant.delivery} /> <Link to="/admin/deliveries">See deliveries</Link>
        </dd>
        {grant.revokedAt ? (
          <>
            <dt>Revoked</dt>
            <dd>
              <Time value={grant.revokedAt} withTime />: {grant.revokeReason} (billing system: <DeliveryStatus status={grant.revokeDelivery} />)
            </dd>
          </>
        ) : null}
      </dl>

      {/* Outside the form: "already revoked" comes back when the grant was revoked meanwhile, and the form is gone. */}
      <FormError message={errors.form ?? errors.grantId} />
      {grant.revokedAt ? null : (
        <>
          <h2>Revoke this grant</h2>
          <p>The grant stays on record. A compensating ledger entry takes the credit back, and the billing system is sent a reward.revoked event.</p>
          <Form method="post" className="stack" noValidate>
            <TextAreaField name="reason" id="revoke-reason" label="Reason for revoking" error={errors.reason} defaultValue={result?.values.reason} rows={3} maxLength={REWARD_TEXT_MAX} required />
            <div>
              <button type="submit" className="button--danger">
                Revoke grant
              </button>
            </div>
          </Form>
        </>
      )}
    </section>
  );
}
