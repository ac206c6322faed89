import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { resetPasswordSchema } from "~/auth/password-policy.server";
import { startSession } from "~/auth/session.server";
import { Field, useClearPasswordsAfter } from "~/components/field";
import { parseForm } from "~/lib/forms.server";
import { formErrors, invalidForm } from "~/lib/http.server";
import { withNotice } from "~/lib/notices";
import { PASSWORD_MAX, PASSWORD_MIN } from "~/models/account-rules";
import { completePasswordReset, isResetTokenUsable } from "~/models/password-resets.server";

export const meta: MetaFunction = () => [
  { title: "Choose a new password · HostHelp" },
  // The token is in the address: keep it out of search engines. (Other sites never see the
  // path: the Referrer-Policy sends them only our origin.)
  { name: "robots", content: "noindex" },
];

const LINK_UNUSABLE = { usable: false as const };

export async function loader({ params }: LoaderFunctionArgs) {
  const usable = await isResetTokenUsable(params.token ?? "");
  return usable ? { usable: true as const } : data(LINK_UNUSABLE, { status: 410 });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(resetPasswordSchema, formData);
  if (!parsed.ok) return invalidForm(parsed);
  const memberId = await completePasswordReset(params.token ?? "", parsed.data.password);
  if (memberId === null) return formErrors(null, { form: "This link has expired or was already used." }, 410);
  const cookie = await startSession(memberId);
  throw redirect(withNotice("/", "password-reset"), { headers: { "Set-Cookie": cookie } });
}

export default function ChooseNewPassword() {
  const { usable } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const formRef = useClearPasswordsAfter(result);
  const errors = result?.errors ?? {};
  if (!usable || errors.form) {
    return (
      <section className="narrow">
        <h1>This link no longer works</h1>
        <p>Reset links work once and expire after an hour.</p>
        <p>
          <Link to="/reset-password">Send a new link</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>Choose a new password</h1>
      <Form method="post" noValidate className="stack" ref={formRef}>
        <Field name="password" label="New password" type="password" hint={`At least ${PASSWORD_MIN} characters.`} autoComplete="new-password" required minLength={PASSWORD_MIN} maxLength={PASSWORD_MAX} error={errors.password} />
        <button type="submit" disabled={busy}>
          {busy ? "Saving…" : "Save password and sign in"}
        </button>
      </Form>
      <p>Saving signs you out on every other device.</p>
    </section>
  );
}
