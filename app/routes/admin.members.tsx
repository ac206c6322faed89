import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Pagination } from "~/components/pagination";
import { useCurrentMember } from "~/root";
import { FormError } from "~/components/field";
import { parseForm } from "~/lib/forms.server";
import { formErrors, invalidForm, requireAdmin } from "~/lib/http.server";
import { queryText } from "~/lib/params";
import { roleChangeSchema } from "~/models/account-input.server";
import { listMembers, MEMBERS_PAGE_SIZE, setRole } from "~/models/members.server";
import { ASSIGNABLE_ROLES, can } from "~/models/permissions";

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  const url = new URL(request.url);
  const query = queryText(url, "q", 100) || undefined;
  const page = Math.max(1, Math.min(10_000, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1));
  const { members, total } = await listMembers({ query, page });
  return { members, total, page, pages: Math.max(1, Math.ceil(total / MEMBERS_PAGE_SIZE)), query: query ?? "" };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const actor = requireAdmin(context, request);
  const formData = await request.formData();
  const parsed = parseForm(roleChangeSchema, formData);
  if (!parsed.ok) return invalidForm(parsed);
  const result = await setRole(actor, parsed.data.memberId, parsed.data.role);
  if (!result.ok) return formErrors(null, { form: result.message }, result.status);
  return { changed: { username: result.member.username, role: result.member.role } };
}

export default function AdminMembers() {
  const { members, total, page, pages, query } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const actor = useCurrentMember();
  return (
    <section>
      <h1>Members and roles</h1>
      <p>Make trusted members moderators, or take the role back. Admins are created on the server's command line.</p>
      {result && "changed" in result ? (
        <p className="notice" role="status">
          {result.changed.username} is now {result.changed.role === "moderator" ? "a moderator" : "a member"}.
        </p>
      ) : null}
      <FormError message={result && "errors" in result ? result.errors.form ?? result.errors.role ?? result.errors.memberId : undefined} />
      <Form method="get" className="inline-search" role="search">
        <label htmlFor="member-search">Find members</label>
        <input id="member-search" type="search" name="q" defaultValue={query} placeholder="Username or email" />
        <button type="submit">Find</button>
      </Form>
      <p>
        {total} {total === 1 ? "member" : "members"}
        {query ? ` matching “${query}”` : ""}.
      </p>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Username</th>
            <th scope="col">Email</th>
            <th scope="col">Joined</th>
            <th scope="col">Role</th>
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr key={member.id}>
              <td>
                <Link to={`/admin/members/${member.username}`}>{member.username}</Link>
              </td>
              <td>{member.email}</td>
              <td>{new Date(member.createdAt).toISOString().slice(0, 10)}</td>
              <td>
                {can(actor, "member:set-role", { target: member }) ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="memberId" value={member.id} />
                    <label htmlFor={`role-${member.id}`} className="visually-hidden">
                      Role for {member.username}
                    </label>
                    <select id={`role-${member.id}`} name="role" defaultValue={member.role}>
                      {ASSIGNABLE_ROLES.map((role) => (
                        <option key={role} value={role}>
                          {role}
                        </option>
                      ))}
                    </select>{" "}
                    <button type="submit" className="button--small">
                      Save role
                    </button>
                  </Form>
                ) : (
                  member.role
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pagination page={page} pages={pages} />
    </section>
  );
}
