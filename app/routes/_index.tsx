import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { leftToMarkup, ServerMarkup } from "~/components/server-markup";
import { threadListMarkup } from "~/components/thread-list.server";
import { useFollowLinks } from "~/components/follow-links";
import { Pagination } from "~/components/pagination";
import { pageParam } from "~/lib/params";
import { listCategories } from "~/models/categories.server";
import { listThreads } from "~/models/threads.server";

export const meta: MetaFunction = () => [
  { title: "HostHelp: hosting questions answered by the community" },
  { name: "description", content: "Ask questions about domains, DNS, email, cPanel, WordPress, SSL and billing, and get answers from other customers and the host's moderators." },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const page = pageParam(new URL(request.url));
  const [{ threads, hasMore }, categories] = await Promise.all([listThreads({ page }), listCategories()]);
  // The list as HTML (see ~/components/thread-list.server).
  return { threadsHtml: leftToMarkup("threads", threadListMarkup(threads, { now: Date.now() }), context.markupFragments), hasMore, page, categories };
}

export default function Home() {
  const { threadsHtml, hasMore, page, categories } = useLoaderData<typeof loader>();
  // The list's links are plain anchors, followed from here (see useFollowLinks).
  const followLink = useFollowLinks();
  return (
    <div className="with-sidebar">
      <section onClick={followLink}>
        <div className="page-heading">
          <h1>Latest questions</h1>
          <Link to="/ask" className="button">
            Ask a question
          </Link>
        </div>
        <ServerMarkup name="threads" html={threadsHtml} />
        <Pagination page={page} hasMore={hasMore} />
      </section>
      <aside aria-labelledby="categories-heading" className="sidebar">
        <h2 id="categories-heading">Categories</h2>
        <ul className="category-list">
          {categories.map((category) => (
            <li key={category.id}>
              <Link to={`/c/${category.slug}`}>{category.name}</Link>
              <p>{category.description}</p>
            </li>
          ))}
        </ul>
      </aside>
    </div>
  );
}
