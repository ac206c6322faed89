import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Time } from "~/components/thread-list";
import { notFound } from "~/lib/http.server";
import { memberFigures } from "~/models/answers.server";
import { findMemberByUsername } from "~/models/members.server";
import { threadPath } from "~/lib/paths";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.member.username} · HostHelp` : "Member not found · HostHelp" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const member = await findMemberByUsername(params.username ?? "");
  if (!member) notFound("There is no member with that name.");
  const figures = await memberFigures(member.id);
  return {
    member: { username: member.username, role: member.role, joined: member.createdAt.toISOString() },
    figures: { ...figures, recent: figures.recent.map((r) => ({ ...r, path: threadPath({ id: r.threadId, slug: r.slug }, r.postNumber) })) },
  };
}

const ROLE_LABELS = { member: "Member", moderator: "Moderator", admin: "Admin" } as const;

export default function Profile() {
  const { member, figures } = useLoaderData<typeof loader>();
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
      <h2>Recent accepted answers</h2>
      {figures.recent.length === 0 ? (
        <p className="empty">None yet.</p>
      ) : (
        <ul className="plain-list">
          {figures.recent.map((answer) => (
            <li key={answer.threadId}>
              <Link to={answer.path}>{answer.title}</Link> <span className="muted">· accepted <Time value={answer.acceptedAt!} /></span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
