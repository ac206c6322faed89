import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Balances, GrantsTable } from "~/components/rewards";
import { requireMember } from "~/lib/http.server";
import { eligibilityReport, memberRewards } from "~/models/rewards.server";

export const meta: MetaFunction = () => [{ title: "Your rewards · HostHelp" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  const [{ grants, balances }, report] = await Promise.all([memberRewards(member.id), member.role === "moderator" ? eligibilityReport() : null]);
  return {
    // Why an admin granted past the rules is the admins' note to each other, not the member's to read.
    grants: grants.map(({ overrideReason: _, ...grant }) => grant),
    balances,
    program: report?.program ?? null,
    standing: report?.moderators.find((row) => row.id === member.id) ?? null,
  };
}

export default function MyRewards() {
  const { grants, balances, program, standing } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>Your rewards</h1>
      <p className="lead">
        Moderators who carry the forum are rewarded with hosting credit. Your balance: <strong><Balances balances={balances} /></strong>
      </p>
      {program && standing ? (
        <p>
          You have {standing.acceptedInPeriod} accepted answers in the last {program.periodDays} days;{" "}
          {standing.qualifies ? "you qualify for rewards." : `${program.minAccepted} are needed to qualify.`}
        </p>
      ) : null}
      {grants.length === 0 ? (
        <p className="empty">
          No rewards yet. Moderators with at least {program?.minAccepted ?? 10} accepted answers in the reward period can be rewarded; see the{" "}
          <Link to="/leaderboard">leaderboard</Link>.
        </p>
      ) : (
        <GrantsTable grants={grants} caption="Your grants, newest first" forAdmin={false} />
      )}
      <p className="muted">“Delivered” means the host's billing system has received the grant and applies the credit to your hosting account.</p>
    </section>
  );
}
