import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { signUpSchema } from "~/auth/password-policy.server";
import { addressKey, describeWait, hit, LIMITS } from "~/auth/rate-limit.server";
import { startSession } from "~/auth/session.server";
import { Field, FormError, useClearPasswordsAfter } from "~/components/field";
import { parseForm } from "~/lib/forms.server";
import { passThroughHeaders } from "~/lib/route-headers";
import { formErrors, invalidForm, safeRedirectPath, tooManyRequests } from "~/lib/http.server";
import { withNotice } from "~/lib/notices";
import { EMAIL_MAX, PASSWORD_MAX, PASSWORD_MIN, USERNAME_MAX, USERNAME_MIN } from "~/models/account-rules";
import { createMember } from "~/models/members.server";

export const headers = passThroughHeaders;

export const meta: MetaFunction = () => [{ title: "Sign up · HostHelp" }];

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.member) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const allowance = await hit(addressKey("sign-up", context.clientIp), LIMITS.signUpPerIp);
  if (!allowance.allowed) {
    return tooManyRequests(formData, `Too many sign-ups from your network. Try again in ${describeWait(allowance.retryAfterSeconds)}.`, allowance.retryAfterSeconds);
  }
  const parsed = parseForm(signUpSchema, formData);
  if (!parsed.ok) return invalidForm(parsed);
  const created = await createMember(parsed.data);
  if (!created.ok) return formErrors(formData, { [created.field]: created.message }, 409);
  const cookie = await startSession(created.member.id);
  throw redirect(withNotice(safeRedirectPath(formData.get("redirectTo")), "signed-up"), { headers: { "Set-Cookie": cookie } });
}

export default function SignUp() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const formRef = useClearPasswordsAfter(result);
  const errors = result?.errors ?? {};
  const values = result?.values ?? {};
  return (
    <section className="narrow">
      <h1>Create your account</h1>
      <p>Ask hosting questions, answer others', and get credit when your answer helps.</p>
      <Form method="post" noValidate className="stack" ref={formRef}>
        <FormError message={errors.form} />
        <input type="hidden" name="redirectTo" value={values.redirectTo ?? params.get("redirectTo") ?? "/"} />
        <Field
          name="username"
          label="Username"
          hint={`${USERNAME_MIN} to ${USERNAME_MAX} characters: letters, digits, "_", "." and "-". Shown on your posts.`}
          autoComplete="username"
          required
          minLength={USERNAME_MIN}
          maxLength={USERNAME_MAX}
          defaultValue={values.username}
          error={errors.username}
        />
        <Field name="email" label="Email" type="email" hint="Never shown to others. Used for password resets and notifications you choose." autoComplete="email" required maxLength={EMAIL_MAX} defaultValue={values.email} error={errors.email} />
        <Field name="password" label="Password" type="password" hint={`At least ${PASSWORD_MIN} characters. A passphrase of a few words works well.`} autoComplete="new-password" required minLength={PASSWORD_MIN} maxLength={PASSWORD_MAX} error={errors.password} />
        <button type="submit" disabled={busy}>
          {busy ? "Creating your account…" : "Create account"}
        </button>
      </Form>
      <p>
        Already have an account? <Link to="/login">Sign in</Link>.
      </p>
    </section>
  );
}
