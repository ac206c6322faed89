import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { leftToMarkup, ServerMarkup } from "~/components/server-markup";
import { threadListMarkup } from "~/components/thread-list.server";
import { useFollowLinks } from "~/components/follow-links";
import { Pagination } from "~/components/pagination";
import { pageParam } from "~/lib/params";
import { FIRST_RESPONSE_TARGET_SECONDS, formatDuration } from "~/models/forum-rules";
import { listUnanswered } from "~/models/threads.server";

export const meta: MetaFunction = () => [{ title: "Waiting for an answer · HostHelp" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const page = pageParam(new URL(request.url));
  const { threads, hasMore } = await listUnanswered({ page });
  // The list as HTML (see ~/components/thread-list.server).
  return { threadsHtml: leftToMarkup("threads", threadListMarkup(threads, { now: Date.now() }), context.markupFragments), hasMore, page };
}

export default function Unanswered() {
  const { threadsHtml, hasMore, page } = useLoaderData<typeof loader>();
  // The list's links are plain anchors, followed from here (see useFollowLinks).
  const followLink = useFollowLinks();
  return (
    <section onClick={followLink}>
      <h1>Waiting for an answer</h1>
      <p className="lead">
        Questions nobody but their asker has replied to yet: urgent ones first, then the longest waiting. The targets are a first response within{" "}
        {formatDuration(FIRST_RESPONSE_TARGET_SECONDS.urgent)} for urgent questions and {formatDuration(FIRST_RESPONSE_TARGET_SECONDS.normal)} for all others.
      </p>
      <ServerMarkup name="threads" html={threadsHtml} />
      <Pagination page={page} hasMore={hasMore} />
    </section>
  );
}
