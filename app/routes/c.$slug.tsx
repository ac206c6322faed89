import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { leftToMarkup, ServerMarkup } from "~/components/server-markup";
import { threadListMarkup } from "~/components/thread-list.server";
import { useFollowLinks } from "~/components/follow-links";
import { Pagination } from "~/components/pagination";
import { notFound } from "~/lib/http.server";
import { pageParam, textParam } from "~/lib/params";
import { findCategoryBySlug } from "~/models/categories.server";
import { can } from "~/models/permissions";
import { listThreads } from "~/models/threads.server";
import { useCurrentMember } from "~/root";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.category.name} · HostHelp` : "Category not found · HostHelp" },
  ...(data ? [{ name: "description", content: data.category.description }] : []),
];

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const slug = textParam(params.slug);
  const category = slug ? await findCategoryBySlug(slug) : null;
  if (!category) notFound("There is no such category.");
  const page = pageParam(new URL(request.url));
  const { threads, hasMore } = await listThreads({ categoryId: category.id, page });
  // The list as HTML (see ~/components/thread-list.server).
  return { category, threadsHtml: leftToMarkup("threads", threadListMarkup(threads, { showCategory: false, now: Date.now() }), context.markupFragments), hasMore, page };
}

export default function CategoryPage() {
  const { category, threadsHtml, hasMore, page } = useLoaderData<typeof loader>();
  const member = useCurrentMember();
  // The list's links are plain anchors, followed from here (see useFollowLinks).
  const followLink = useFollowLinks();
  // Visitors are offered to ask wherever members may (asking signs them in first).
  const mayAsk = member ? can(member, "thread:create", { category }) : !category.staffOnly;
  return (
    <section onClick={followLink}>
      <div className="page-heading">
        <h1>{category.name}</h1>
        {mayAsk ? (
          <Link to={`/ask?category=${category.slug}`} className="button">
            Ask in {category.name}
          </Link>
        ) : null}
      </div>
      <p className="lead">{category.description}</p>
      <ServerMarkup name="threads" html={threadsHtml} />
      <Pagination page={page} hasMore={hasMore} />
    </section>
  );
}
