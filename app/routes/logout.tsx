import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { endSession } from "~/auth/session.server";
import { withNotice } from "~/lib/notices";

export const meta: MetaFunction = () => [{ title: "Sign out · HostHelp" }];

// Signing out changes state, so it takes a POST; a plain visit only offers the button.
export async function loader({ context }: LoaderFunctionArgs) {
  if (!context.member) throw redirect("/");
  return null;
}

export async function action({ context }: ActionFunctionArgs) {
  const cookie = await endSession(context.sessionId);
  throw redirect(withNotice("/", "signed-out"), { headers: { "Set-Cookie": cookie } });
}

export default function SignOut() {
  return (
    <section className="narrow">
      <h1>Sign out</h1>
      <Form method="post">
        <button type="submit">Sign out of HostHelp</button>
      </Form>
    </section>
  );
}
