import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Pagination, ThreadList } from "~/components/thread-list";
import { pageParam } from "~/lib/params";
import { FIRST_RESPONSE_TARGET_SECONDS, formatDuration } from "~/models/forum-rules";
import { listUnanswered } from "~/models/threads.server";

export const meta: MetaFunction = () => [{ title: "Waiting for an answer · HostHelp" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const page = pageParam(new URL(request.url));
  return { ...(await listUnanswered({ page })), page, now: Date.now() };
}

export default function Unanswered() {
  const { threads, hasMore, page, now } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>Waiting for an answer</h1>
      <p className="lead">
        Questions nobody but their asker has replied to yet: urgent ones first, then the longest waiting. The targets are a first response within{" "}
        {formatDuration(FIRST_RESPONSE_TARGET_SECONDS.urgent)} for urgent questions and {formatDuration(FIRST_RESPONSE_TARGET_SECONDS.normal)} for all others.
      </p>
      <ThreadList threads={threads} now={now} />
      <Pagination page={page} hasMore={hasMore} />
    </section>
  );
}
