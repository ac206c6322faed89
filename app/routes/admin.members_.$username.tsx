import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/field";
import { Balances, GrantsTable } from "~/components/rewards";
import { Time } from "~/components/time";
import { parseForm } from "~/lib/forms.server";
import { invalidForm, notFound, refusal, requireAdmin } from "~/lib/http.server";
import { withNotice } from "~/lib/notices";
import { textParam } from "~/lib/params";
import { passThroughHeaders } from "~/lib/route-headers";
import { findMemberForAdmin } from "~/models/members.server";
import { canReceiveRewards } from "~/models/permissions";
import { billingClientIdSchema } from "~/models/reward-input.server";
import { memberRewards, setBillingClientId } from "~/models/rewards.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.member.username ?? "Member"} · Admin · HostHelp` }];
export const headers = passThroughHeaders;

async function memberOr404(usernameParam: string | undefined) {
  const username = textParam(usernameParam);
  const member = username ? await findMemberForAdmin(username) : null;
  if (!member) notFound("There is no member with that name.");
  return member;
}

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  const member = await memberOr404(params.username);
  return { member, rewards: await memberRewards(member.id), canBeRewarded: canReceiveRewards(member) };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const admin = requireAdmin(context, request);
  const member = await memberOr404(params.username);
  const formData = await request.formData();
  const parsed = parseForm(billingClientIdSchema, formData);
  if (!parsed.ok) return invalidForm(parsed);
  const result = await setBillingClientId(admin, member.id, parsed.data.billingClientId);
  if (!result.ok) return refusal(formData, result, "billingClientId");
  throw redirect(withNotice(`/admin/members/${member.username}`, "billing-id-saved"));
}

export default function AdminMember() {
  const { member, rewards, canBeRewarded } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  return (
    <section>
      <p>
        <Link to="/admin/members">← Members and roles</Link>
      </p>
      <h1>{member.username}</h1>
      <dl className="facts">
        <dt>Role</dt>
        <dd>{member.role}</dd>
        <dt>Email</dt>
        <dd>{member.email}</dd>
        <dt>Joined</dt>
        <dd>
          <Time value={member.createdAt} />
        </dd>
        <dt>Public profile</dt>
        <dd>
          <Link to={`/u/${member.username}`}>/u/{member.username}</Link>
        </dd>
      </dl>

      <h2>Billing system</h2>
      <Form method="post" className="stack narrow" noValidate>
        <FormError message={errors.form} />
        <Field
          name="billingClientId"
          label="Billing client id"
          hint="The member's client id in the host's billing system (the WHMCS client id, for example). Reward grants carry it to the billing system."
          defaultValue={result?.values.billingClientId ?? member.billingClientId ?? ""}
          error={errors.billingClientId}
          maxLength={64}
        />
        <div>
          <button type="submit">Save billing client id</button>
        </div>
      </Form>

      <h2>Rewards</h2>
      <p>
        Balance: <Balances balances={rewards.balances} />.{" "}
        {canBeRewarded ? <Link to={`/admin/rewards/grant?member=${encodeURIComponent(member.username)}`}>Grant a reward</Link> : "Only moderators can be granted rewards."}
      </p>
      {rewards.grants.length > 0 ? <GrantsTable grants={rewards.grants} caption={`Rewards granted to ${member.username}`} forAdmin /> : <p className="empty">No grants.</p>}
    </section>
  );
}
