import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/lib/http.server";
import { adminOverview } from "~/models/admin-overview.server";

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  return { ...(await adminOverview()), smtpConfigured: Boolean(process.env.SMTP_URL) };
}

export default function AdminOverview() {
  const overview = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>Admin</h1>
      <dl className="figures">
        <div>
          <dt>Members</dt>
          <dd>{overview.members}</dd>
        </div>
        <div>
          <dt>Moderators</dt>
          <dd>{overview.moderators}</dd>
        </div>
        <div>
          <dt>Admins</dt>
          <dd>{overview.admins}</dd>
        </div>
        <div>
          <dt>Emails waiting</dt>
          <dd>{overview.emailPending}</dd>
        </div>
      </dl>
      {overview.smtpConfigured ? null : (
        <p className="notice notice--warning">
          Email is not configured (<code>SMTP_URL</code> is unset). Messages such as password reset links wait in the outbox and are written to the server log instead of being sent.
        </p>
      )}
      {overview.emailFailed > 0 ? <p className="notice notice--warning">{overview.emailFailed} emails could not be delivered after 3 days of retries.</p> : null}
    </section>
  );
}
