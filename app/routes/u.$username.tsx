import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { notFound } from "~/lib/http.server";
import { findMemberByUsername } from "~/models/members.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.member.username} · HostHelp` : "Member not found · HostHelp" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const member = await findMemberByUsername(params.username ?? "");
  if (!member) notFound("There is no member with that name.");
  return { member: { username: member.username, role: member.role, joined: member.createdAt.toISOString() } };
}

const ROLE_LABELS = { member: "Member", moderator: "Moderator", admin: "Admin" } as const;

export default function Profile() {
  const { member } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>{member.username}</h1>
      <p>
        <span className={`badge badge--${member.role}`}>{ROLE_LABELS[member.role]}</span> · Joined <time dateTime={member.joined}>{new Date(member.joined).toLocaleDateString("en", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" })}</time>
      </p>
    </section>
  );
}
