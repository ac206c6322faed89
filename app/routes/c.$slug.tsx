import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Pagination, ThreadList } from "~/components/thread-list";
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

export async function loader({ params, request }: LoaderFunctionArgs) {
  const slug = textParam(params.slug);
  const category = slug ? await findCategoryBySlug(slug) : null;
  if (!category) notFound("There is no such category.");
  const page = pageParam(new URL(request.url));
  const { threads, hasMore } = await listThreads({ categoryId: category.id, page });
  return { category, threads, hasMore, page, now: Date.now() };
}

export default function CategoryPage() {
  const { category, threads, hasMore, page, now } = useLoaderData<typeof loader>();
  const member = useCurrentMember();
  // Visitors are offered to ask wherever members may (asking signs them in first).
  const mayAsk = member ? can(member, "thread:create", { category }) : !category.staffOnly;
  return (
    <section>
      <div className="page-heading">
        <h1>{category.name}</h1>
        {mayAsk ? (
          <Link to={`/ask?category=${category.slug}`} className="button">
            Ask in {category.name}
          </Link>
        ) : null}
      </div>
      <p className="lead">{category.description}</p>
      <ThreadList threads={threads} showCategory={false} now={now} />
      <Pagination page={page} hasMore={hasMore} />
    </section>
  );
}
