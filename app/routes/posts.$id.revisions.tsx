import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Time } from "~/components/time";
import { notFound } from "~/lib/http.server";
import { idParam } from "~/lib/params";
import { threadPath } from "~/lib/paths";
import { listRevisions } from "~/models/threads.server";

export const meta: MetaFunction = () => [{ title: "Revision history · HostHelp" }, { name: "robots", content: "noindex" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idParam(params.id);
  const found = id ? await listRevisions(id, context.member) : null;
  if (!found) notFound("This post does not exist or was removed.");
  return {
    thread: { id: found.thread.id, slug: found.thread.slug, title: found.thread.title },
    postNumber: found.post.postNumber,
    revisions: found.revisions,
  };
}

export default function Revisions() {
  const { thread, postNumber, revisions } = useLoaderData<typeof loader>();
  return (
    <section>
      <p className="breadcrumbs">
        <Link to={threadPath(thread, postNumber)}>← {thread.title}</Link>
      </p>
      <h1>Revision history</h1>
      <ol className="revisions" reversed>
        {revisions.map((revision) => (
          <li key={revision.revision} className="revision">
            <h2>
              {revision.revision === 1 ? "Original" : `Revision ${revision.revision}`} by <Link to={`/u/${revision.editorName}`}>{revision.editorName}</Link>, <Time value={revision.createdAt} withTime />
            </h2>
            {revision.reason ? <p className="revision__reason">Reason: {revision.reason}</p> : null}
            {revision.hidden ? (
              <p className="revision__hidden">
                {revision.bodySource === null ? "The text of this version was hidden by" : "Hidden from other members by"}{" "}
                <Link to={`/u/${revision.hidden.by}`}>{revision.hidden.by}</Link>, <Time value={revision.hidden.at} withTime />.
              </p>
            ) : null}
            {revision.title ? <p className="revision__title">Title: {revision.title}</p> : null}
            {revision.bodySource !== null ? <pre className="revision__source">{revision.bodySource}</pre> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
