import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { addressKey, describeWait, hitAll, LIMITS } from "~/auth/rate-limit.server";
import { Field, FormError } from "~/components/field";
import { parseForm } from "~/lib/forms.server";
import { passThroughHeaders } from "~/lib/route-headers";
import { invalidForm, tooManyRequests } from "~/lib/http.server";
import { passwordResetRequestSchema } from "~/models/account-input.server";
import { requestPasswordReset } from "~/models/password-resets.server";

export const headers = passThroughHeaders;

export const meta: MetaFunction = () => [{ title: "Reset your password · HostHelp" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(passwordResetRequestSchema, formData);
  if (!parsed.ok) return invalidForm(parsed);
  const email = parsed.data.email.toLowerCase();
  const allowance = await hitAll([
    [addressKey("password-reset", context.clientIp), LIMITS.passwordResetPerIp],
    [`password-reset:email:${email}`, LIMITS.passwordResetPerEmail],
  ]);
  if (!allowance.allowed) {
    return tooManyRequests(formData, `Too many reset requests. Try again in ${describeWait(allowance.retryAfterSeconds)}.`, allowance.retryAfterSeconds);
  }
  await requestPasswordReset(email);
  // The same answer whether or not an account uses the address.
  return { sent: true as const, email: parsed.data.email };
}

export default function RequestPasswordReset() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (result && "sent" in result) {
    return (
      <section className="narrow">
        <h1>Check your email</h1>
        <p role="status">
          If an account uses <strong>{result.email}</strong>, we have sent it a link to choose a new password. The link works once and expires in an hour.
        </p>
        <p>
          No email after a few minutes? Check your spam folder, or <Link to="/reset-password">try again</Link>.
        </p>
      </section>
    );
  }
  const errors = result?.errors ?? {};
  return (
    <section className="narrow">
      <h1>Reset your password</h1>
      <p>Enter the email address of your account and we will send you a link to choose a new password.</p>
      <Form method="post" noValidate className="stack">
        <FormError message={errors.form} />
        <Field name="email" label="Email" type="email" autoComplete="email" required defaultValue={result?.values.email} error={errors.email} />
        <button type="submit" disabled={busy}>
          {busy ? "Sending…" : "Send reset link"}
        </button>
      </Form>
      <p>
        Remembered it? <Link to="/login">Sign in</Link>.
      </p>
    </section>
  );
}
