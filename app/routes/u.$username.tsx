import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/field";
import { parseForm } from "~/lib/forms.server";
import { invalidForm, refusal, requireMember } from "~/lib/http.server";
import { withNotice } from "~/lib/notices";
import { suspensionSchema } from "~/models/forum-input.server";
import { REASON_MAX, SUSPENSION_LENGTHS } from "~/models/forum-rules";
import { DISCOVER, useFollowLinks } from "~/components/follow-links";
import { Time } from "~/components/time";
import { notFound } from "~/lib/http.server";
import { memberFigures } from "~/models/answers.server";
import { findMemberByUsername } from "~/models/members.server";
import { suspendMember, unsuspendMember } from "~/models/moderation.server";
import { can, isSuspended } from "~/models/permissions";
import { textParam } from "~/lib/params";
import { threadPath } from "~/lib/paths";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.member.username} · HostHelp` : "Member not found · HostHelp" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const username = textParam(params.username);
  const member = username ? await findMemberByUsername(username) : null;
  if (!member) notFound("There is no member with that name.");
  const figures = await memberFigures(member.id);
  const suspended = isSuspended(member);
  return {
    member: { id: member.id, username: member.username, role: member.role, joined: member.createdAt.toISOString() },
    // A suspension's reason is between the member and the staff.
    suspension: suspended && (context.member?.id === member.id || can(context.member, "thread:moderate")) ? { until: member.suspendedUntil!, reason: member.suspensionReason } : suspended ? { until: null, reason: null } : null,
    canSuspend: can(context.member, "member:suspend", { target: member }),
    figures: { ...figures, recent: figures.recent.map((r) => ({ ...r, path: threadPath({ id: r.threadId, slug: r.slug }, r.postNumber) })) },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requireMember(context, request);
  const formData = await request.formData();
  const parsed = parseForm(suspensionSchema, formData);
  if (!parsed.ok) return invalidForm(parsed);
  const input = parsed.data;
  const outcome = input.intent === "suspend" ? await suspendMember(actor, input.memberId, input.length, input.reason) : await unsuspendMember(actor, input.memberId, input.reason);
  if (!outcome.ok) return refusal(formData, outcome);
  throw redirect(withNotice(outcome.path, input.intent === "suspend" ? "member-suspended" : "member-unsuspended"));
}

const ROLE_LABELS = { member: "Member", moderator: "Moderator", admin: "Admin" } as const;

export default function Profile() {
  const { member, figures, suspension, canSuspend } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const followLink = useFollowLinks();
  return (
    <section>
      <h1>{member.username}</h1>
      <p>
        <span className={`badge badge--${member.role}`}>{ROLE_LABELS[member.role]}</span> · Joined <Time value={member.joined} />
      </p>
      <dl className="figures">
        <div>
          <dt>Accepted answers</dt>
          <dd>{figures.acceptedAllTime}</dd>
        </div>
        <div>
          <dt>Accepted, last 90 days</dt>
          <dd>{figures.accepted90d}</dd>
        </div>
        <div>
          <dt>Answers posted</dt>
          <dd>{figures.posts}</dd>
        </div>
        <div>
          <dt>Questions asked</dt>
          <dd>{figures.threads}</dd>
        </div>
      </dl>
      {suspension ? (
        <p className="notice notice--warning">
          Suspended{suspension.until ? (new Date(suspension.until).getFullYear() > 9000 ? " permanently" : <> until <Time value={suspension.until} withTime /></>) : ""}
          {suspension.reason ? `: ${suspension.reason}` : "."}
        </p>
      ) : null}
      <h2>Recent accepted answers</h2>
      {figures.recent.length === 0 ? (
        <p className="empty">None yet.</p>
      ) : (
        // Plain anchors followed from the list (see useFollowLinks): ten <Link>s cost the page more.
        <ul className="plain-list" onClick={followLink}>
          {figures.recent.map((answer) => (
            <li key={answer.threadId}>
              <a href={answer.path} {...DISCOVER}>
                {answer.title}
              </a>{" "}
              <span className="muted">· accepted <Time value={answer.acceptedAt!} /></span>
            </li>
          ))}
        </ul>
      )}
      {canSuspend ? (
        <section aria-labelledby="suspension-heading" className="moderation-panel">
          <h2 id="suspension-heading">Suspension</h2>
          <FormError message={result?.errors.form ?? result?.errors.memberId} />
          {suspension ? (
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="unsuspend" />
              <input type="hidden" name="memberId" value={member.id} />
              <Field name="reason" label="Reason for lifting it (optional, logged)" maxLength={REASON_MAX} />
              <button type="submit">Lift the suspension</button>
            </Form>
          ) : (
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="suspend" />
              <input type="hidden" name="memberId" value={member.id} />
              <div className="field">
                <label htmlFor="suspend-length">Suspend for</label>
                <select id="suspend-length" name="length" defaultValue={result?.values.length ?? "24h"}>
                  {Object.entries(SUSPENSION_LENGTHS).map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              </div>
              <Field name="reason" label="Reason (shown to the member and logged)" maxLength={REASON_MAX} required defaultValue={result?.values.reason} error={result?.errors.reason} />
              <button type="submit" className="button--danger">
                Suspend {member.username}
              </button>
            </Form>
          )}
        </section>
      ) : null}
    </section>
  );
}
