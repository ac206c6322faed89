import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError, SelectField, TextAreaField } from "~/components/field";
import { Credit } from "~/components/rewards";
import { parseForm } from "~/lib/forms.server";
import { invalidForm, refusal, requireAdmin } from "~/lib/http.server";
import { withNotice } from "~/lib/notices";
import { passThroughHeaders } from "~/lib/route-headers";
import { grantSchema } from "~/models/reward-input.server";
import { REWARD_TEXT_MAX } from "~/models/reward-rules";
import { eligibilityReport, grantReward, listPackages } from "~/models/rewards.server";

export const meta: MetaFunction = () => [{ title: "Grant a reward · Admin · HostHelp" }];
export const headers = passThroughHeaders;

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  const wanted = new URL(request.url).searchParams.get("member");
  const [{ program, moderators }, packages] = await Promise.all([eligibilityReport(), listPackages()]);
  return {
    program,
    moderators,
    packages: packages.filter((pkg) => !pkg.retiredAt),
    selected: moderators.find((moderator) => moderator.username.toLowerCase() === wanted?.toLowerCase())?.id ?? null,
    // A fresh key per rendering of the form: submitting this one twice makes one grant.
    idempotencyKey: randomUUID(),
  };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const admin = requireAdmin(context, request);
  const formData = await request.formData();
  const parsed = parseForm(grantSchema, formData);
  if (!parsed.ok) return invalidForm(parsed);
  const result = await grantReward(admin, parsed.data);
  if (!result.ok) return refusal(formData, result);
  throw redirect(withNotice(`/admin/rewards/grants/${result.grantId}`, result.duplicate ? "reward-already-granted" : "reward-granted"));
}

export default function GrantReward() {
  const { program, moderators, packages, selected, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  const values = result?.values ?? {};
  const chosen = moderators.find((moderator) => String(moderator.id) === (values.memberId ?? String(selected)));
  const needsOverride = Boolean(errors.overrideReason) || (chosen ? !chosen.qualifies : false);

  if (packages.length === 0) {
    return (
      <section className="narrow-wide">
        <h1>Grant a reward</h1>
        <p className="empty">
          There are no reward packages to grant. <Link to="/admin/rewards/packages">Create a package</Link> first.
        </p>
      </section>
    );
  }

  return (
    <section className="narrow-wide">
      <h1>Grant a reward</h1>
      <p className="lead">
        The grant, its ledger entry, a moderation-log entry and the event for the billing system are written together. The moderator is notified.
      </p>
      <Form method="post" className="stack" noValidate>
        <FormError message={errors.form ?? errors.idempotencyKey} />
        {/* Keeps the key of the form as first rendered, so a resubmission after an error is still the same form. */}
        <input type="hidden" name="idempotencyKey" value={values.idempotencyKey ?? idempotencyKey} />
        <SelectField name="memberId" label="Moderator" error={errors.memberId} defaultValue={values.memberId ?? (selected ? String(selected) : "")}>
          <option value="">Choose a moderator…</option>
          {moderators.map((moderator) => (
            <option key={moderator.id} value={moderator.id}>
              {moderator.username}: {moderator.acceptedInPeriod} accepted in {program.periodDays} days
              {moderator.qualifies ? ", qualifies" : moderator.suspended ? ", suspended" : ", does not qualify"}
              {moderator.billingClientId ? "" : ", no billing client id"}
            </option>
          ))}
        </SelectField>
        <SelectField name="packageId" label="Package" error={errors.packageId} defaultValue={values.packageId ?? ""}>
          <option value="">Choose a package…</option>
          {packages.map((pkg) => (
            <option key={pkg.id} value={pkg.id}>
              {pkg.name} ({pkg.creditAmount} {pkg.currency}, {pkg.productCode})
            </option>
          ))}
        </SelectField>
        <TextAreaField name="reason" label="Reason" hint="Shown to the moderator and sent to the billing system." error={errors.reason} defaultValue={values.reason} rows={3} maxLength={REWARD_TEXT_MAX} required />
        <TextAreaField
          name="overrideReason"
          label="Override reason (only when the rules say no)"
          hint={
            needsOverride
              ? "This grant goes against the program's rules (the moderator does not qualify, or already received this package in the period). Say why it is made anyway."
              : "Needed only to grant to a moderator who does not qualify, or a second time in the period."
          }
          error={errors.overrideReason}
          defaultValue={values.overrideReason}
          rows={3}
          maxLength={REWARD_TEXT_MAX}
        />
        {chosen && !chosen.billingClientId ? (
          <p className="notice notice--warning">
            {chosen.username} has no billing client id yet: the billing system may not be able to apply the grant.{" "}
            <Link to={`/admin/members/${chosen.username}`}>Set it on their admin page</Link>.
          </p>
        ) : null}
        <div>
          <button type="submit">Grant reward</button> <Link to="/admin/rewards">Cancel</Link>
        </div>
      </Form>
      <p className="muted">
        Packages: {packages.map((pkg, index) => (
          <span key={pkg.id}>
            {index > 0 ? "; " : null}
            {pkg.name} <Credit amount={pkg.creditAmount} currency={pkg.currency} />
          </span>
        ))}
      </p>
    </section>
  );
}
