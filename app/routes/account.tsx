import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { changePasswordSchema } from "~/auth/password-policy.server";
import { endAllSessions, endSession, startSession } from "~/auth/session.server";
import { Field, FormError, useClearPasswordsAfter } from "~/components/field";
import { parseForm } from "~/lib/forms.server";
import { formErrors, invalidForm, refusal, requireMember } from "~/lib/http.server";
import { withNotice } from "~/lib/notices";
import { passThroughHeaders } from "~/lib/route-headers";
import { PASSWORD_MAX, PASSWORD_MIN } from "~/models/account-rules";
import { accountSettings, changePassword, spendResetLinks } from "~/models/members.server";
import { setEmailNotifications } from "~/models/notifications.server";

export const headers = passThroughHeaders;
export const meta: MetaFunction = () => [{ title: "Your account · HostHelp" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  return { username: member.username, role: member.role, ...(await accountSettings(member.id)) };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const member = requireMember(context, request);
  const formData = await request.formData();
  switch (formData.get("intent")) {
    case "change-password": {
      const parsed = parseForm(changePasswordSchema, formData);
      if (!parsed.ok) return invalidForm(parsed);
      const changed = await changePassword(member.id, parsed.data.currentPassword, parsed.data.newPassword);
      if (!changed.ok) return refusal(formData, { status: changed.retryAfterSeconds ? 429 : 400, ...changed });
      // Every session ended with the change; this browser gets a fresh one.
      throw redirect(withNotice("/account", "password-changed"), { headers: { "Set-Cookie": await startSession(member.id) } });
    }
    case "notifications": {
      await setEmailNotifications(member.id, formData.get("emailNotifications") === "on");
      throw redirect(withNotice("/account", "settings-saved"));
    }
    case "sign-out-everywhere": {
      // A reset link would sign in as well as a session: those sent before go too.
      await spendResetLinks(member.id);
      await endAllSessions(member.id);
      throw redirect(withNotice("/", "signed-out-everywhere"), { headers: { "Set-Cookie": await endSession(null) } });
    }
    default:
      return formErrors(formData, { form: "Unknown action." });
  }
}

export default function Account() {
  const { username, email, role, emailNotifications } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const formRef = useClearPasswordsAfter(result);
  const errors = result?.errors ?? {};
  return (
    <section className="narrow">
      <h1>Your account</h1>
      <dl className="facts">
        <dt>Username</dt>
        <dd>{username}</dd>
        <dt>Email</dt>
        <dd>{email}</dd>
        <dt>Role</dt>
        <dd>
          {role}
          {role === "moderator" ? (
            <>
              {" "}
              · <Link to="/account/rewards">Your rewards</Link>
            </>
          ) : null}
        </dd>
      </dl>

      <h2 id="email-settings">Email</h2>
      <Form method="post" aria-labelledby="email-settings" className="stack">
        <input type="hidden" name="intent" value="notifications" />
        <div className="field field--checkbox">
          <input id="email-notifications" type="checkbox" name="emailNotifications" defaultChecked={emailNotifications} />
          <label htmlFor="email-notifications">Email me when someone answers my questions, replies in threads I watch, or accepts my answer{role === "member" ? "" : ", and when a question waits past its first-response target"}</label>
        </div>
        <button type="submit" className="button--secondary">
          Save email settings
        </button>
      </Form>

      <h2 id="change-password">Change password</h2>
      <Form method="post" noValidate className="stack" aria-labelledby="change-password" ref={formRef}>
        <FormError message={errors.form} />
        <input type="hidden" name="intent" value="change-password" />
        <Field name="currentPassword" label="Current password" type="password" autoComplete="current-password" required error={errors.currentPassword} />
        <Field name="newPassword" label="New password" type="password" hint={`At least ${PASSWORD_MIN} characters. Changing it signs you out on your other devices.`} autoComplete="new-password" required minLength={PASSWORD_MIN} maxLength={PASSWORD_MAX} error={errors.newPassword} />
        <button type="submit" disabled={busy}>
          Change password
        </button>
      </Form>

      <h2 id="sessions">Devices</h2>
      <p>Signed in on a shared or lost device? End every session, including this one.</p>
      <Form method="post" aria-labelledby="sessions">
        <input type="hidden" name="intent" value="sign-out-everywhere" />
        <button type="submit" className="button--secondary">
          Sign out everywhere
        </button>
      </Form>
    </section>
  );
}
