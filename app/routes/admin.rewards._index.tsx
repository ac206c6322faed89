import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GrantsTable } from "~/components/rewards";
import { Pagination } from "~/components/pagination";
import { pageParam } from "~/lib/params";
import { requireAdmin } from "~/lib/http.server";
import { hookSetup } from "~/models/deliveries.server";
import { eligibilityReport, GRANTS_PAGE_SIZE, listGrants, listPackages } from "~/models/rewards.server";

export const meta: MetaFunction = () => [{ title: "Rewards · Admin · HostHelp" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  const page = pageParam(new URL(request.url), 10_000);
  const [report, { grants, total }, packages] = await Promise.all([eligibilityReport(), listGrants(page), listPackages()]);
  const grantable = packages.some((rewardPackage) => rewardPackage.retiredAt === null);
  return { ...report, grantable, grants, page, pages: Math.max(1, Math.ceil(total / GRANTS_PAGE_SIZE)), hook: hookSetup() };
}

export default function AdminRewards() {
  const { program, moderators, grantable, grants, page, pages, hook } = useLoaderData<typeof loader>();
  return (
    <section>
      <div className="page-heading">
        <h1>Rewards</h1>
        <p>
          <Link to="/admin/rewards/packages">Reward packages</Link> · <Link to="/admin/deliveries">Deliveries to the billing system</Link>
        </p>
      </div>

      {hook.adapter ? null : (
        <p className="notice notice--warning">
          {hook.summary} Grants are still recorded; their events go to the billing system once a hook works. See <Link to="/admin/deliveries">Deliveries</Link>.
        </p>
      )}
      {hook.warning ? <p className="notice notice--warning">{hook.warning}</p> : null}
      {grantable ? null : (
        <p className="notice">
          There is no reward package to grant yet. <Link to="/admin/rewards/packages">Create a package</Link> first; then each moderator gets a Grant button here.
        </p>
      )}

      <h2 id="eligibility">Eligibility report</h2>
      <p>
        A moderator qualifies with at least {program.minAccepted} accepted answers (self-accepts excluded) in the last {program.periodDays} days, while not suspended. The
        numbers are <Link to="/admin/settings">settings</Link>.
      </p>
      {moderators.length === 0 ? (
        <p className="empty">
          There are no moderators yet. Make members moderators on <Link to="/admin/members">Members and roles</Link>.
        </p>
      ) : (
        <table className="table" aria-labelledby="eligibility">
          <thead>
            <tr>
              <th scope="col">Moderator</th>
              <th scope="col">Accepted answers, last {program.periodDays} days</th>
              <th scope="col">Grants this period</th>
              <th scope="col">Billing client id</th>
              <th scope="col">Qualifies</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {moderators.map((moderator) => (
              <tr key={moderator.id}>
                <td>
                  <Link to={`/admin/members/${moderator.username}`}>{moderator.username}</Link>
                </td>
                <td>{moderator.acceptedInPeriod}</td>
                <td>{moderator.grantsInPeriod}</td>
                <td>{moderator.billingClientId ?? <span className="muted">not set</span>}</td>
                <td>
                  {moderator.qualifies ? (
                    <span className="badge badge--solved">Qualifies</span>
                  ) : (
                    <span className="badge">{moderator.suspended ? "Suspended" : `Needs ${program.minAccepted - moderator.acceptedInPeriod} more`}</span>
                  )}
                </td>
                <td>
                  {grantable ? (
                    <Link to={`/admin/rewards/grant?member=${encodeURIComponent(moderator.username)}`} className="button button--small">
                      Grant<span className="visually-hidden"> a reward to {moderator.username}</span>
                    </Link>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Grants</h2>
      {grants.length === 0 ? <p className="empty">No grants yet.</p> : <GrantsTable grants={grants} caption="Grants, newest first" forAdmin />}
      <Pagination page={page} pages={pages} />
    </section>
  );
}
