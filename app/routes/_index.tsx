import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Pagination, ThreadList } from "~/components/thread-list";
import { pageParam } from "~/lib/params";
import { listCategories } from "~/models/categories.server";
import { listThreads } from "~/models/threads.server";

export const meta: MetaFunction = () => [
  { title: "HostHelp: hosting questions answered by the community" },
  { name: "description", content: "Ask questions about domains, DNS, email, cPanel, WordPress, SSL and billing, and get answers from other customers and the host's moderators." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const page = pageParam(new URL(request.url));
  const [{ threads, hasMore }, categories] = await Promise.all([listThreads({ page }), listCategories()]);
  return { threads, hasMore, page, categories, now: Date.now() };
}

export default function Home() {
  const { threads, hasMore, page, categories, now } = useLoaderData<typeof loader>();
  return (
    <div className="with-sidebar">
      <section>
        <div className="page-heading">
          <h1>Latest questions</h1>
          <Link to="/ask" className="button">
            Ask a question
          </Link>
        </div>
        <ThreadList threads={threads} now={now} />
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
