import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { describeWait } from "~/auth/rate-limit.server";
import { startSession } from "~/auth/session.server";
import { signIn } from "~/auth/sign-in.server";
import { Field, FormError, useClearPasswordsAfter } from "~/components/field";
import { parseForm } from "~/lib/forms.server";
import { passThroughHeaders } from "~/lib/route-headers";
import { formErrors, invalidForm, safeRedirectPath, tooManyRequests } from "~/lib/http.server";
import { withNotice } from "~/lib/notices";
import { signInSchema } from "~/models/account-input.server";

export const headers = passThroughHeaders;

export const meta: MetaFunction = () => [{ title: "Sign in · HostHelp" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  if (context.member) throw redirect(safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(signInSchema, formData);
  if (!parsed.ok) return invalidForm(parsed);
  const result = await signIn(parsed.data.login, parsed.data.password, context.clientIp);
  if (!result.ok && result.reason === "throttled") {
    return tooManyRequests(formData, `Too many sign-in attempts. Try again in ${describeWait(result.retryAfterSeconds)}, or reset your password.`, result.retryAfterSeconds);
  }
  // The same words whether the password was wrong or the account's allowance of attempts was spent
  // by someone else (see signIn): they tell its owner what to do without telling anyone else which.
  if (!result.ok) {
    return formErrors(formData, { form: "That username or email and password do not match an account, or the account had too many attempts lately. Check both and try again, wait a few minutes, or reset your password." });
  }
  const cookie = await startSession(result.member.id);
  throw redirect(withNotice(safeRedirectPath(formData.get("redirectTo")), "signed-in"), { headers: { "Set-Cookie": cookie } });
}

export default function SignIn() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const formRef = useClearPasswordsAfter(result);
  const errors = result?.errors ?? {};
  const values = result?.values ?? {};
  return (
    <section className="narrow">
      <h1>Sign in</h1>
      <Form method="post" noValidate className="stack" ref={formRef}>
        <FormError message={errors.form} />
        <input type="hidden" name="redirectTo" value={values.redirectTo ?? params.get("redirectTo") ?? "/"} />
        <Field name="login" label="Username or email" autoComplete="username" required defaultValue={values.login} error={errors.login} />
        <Field name="password" label="Password" type="password" autoComplete="current-password" required error={errors.password} />
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </Form>
      <p>
        <Link to="/reset-password">Forgot your password?</Link> · New here? <Link to="/signup">Create an account</Link>.
      </p>
    </section>
  );
}
