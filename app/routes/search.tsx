import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Pagination } from "~/components/thread-list";
import { pageParam } from "~/lib/params";
import { listCategories } from "~/models/categories.server";
import { QUERY_MAX, searchThreads, type SearchStatus } from "~/models/search.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.query ? `“${data.query}” · Search · HostHelp` : "Search · HostHelp" }, { name: "robots", content: "noindex" }];

const STATUSES: Record<SearchStatus, string> = { solved: "Solved only", unanswered: "Unanswered only" };

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const query = (url.searchParams.get("q") ?? "").trim().slice(0, QUERY_MAX);
  const category = url.searchParams.get("category") || undefined;
  const statusParam = url.searchParams.get("status");
  const status = statusParam && Object.hasOwn(STATUSES, statusParam) ? (statusParam as SearchStatus) : undefined;
  const page = pageParam(url, 100);
  const [categories, found] = await Promise.all([listCategories(), query ? searchThreads({ query, categorySlug: category, status, page }) : Promise.resolve(null)]);
  return { query, category: category ?? "", status: status ?? "", page, categories: categories.map(({ slug, name }) => ({ slug, name })), found };
}

export default function Search() {
  const { query, category, status, page, categories, found } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>Search</h1>
      <Form method="get" className="search-form" role="search">
        <div className="field">
          <label htmlFor="search-q">Search for</label>
          <input id="search-q" type="search" name="q" defaultValue={query} maxLength={QUERY_MAX} />
        </div>
        <div className="field">
          <label htmlFor="search-category">Category</label>
          <select id="search-category" name="category" defaultValue={category}>
            <option value="">All categories</option>
            {categories.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="search-status">Show</label>
          <select id="search-status" name="status" defaultValue={status}>
            <option value="">All threads</option>
            {Object.entries(STATUSES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Search</button>
      </Form>
      {!found ? (
        <p>Type what you are looking for: an error message, a product, a question.</p>
      ) : found.results.length === 0 ? (
        <p>
          Nothing matches “{query}”{page > 1 ? " on this page" : ""}. Try fewer or other words, or <Link to={`/ask?title=${encodeURIComponent(query)}`}>ask it as a new question</Link>.
        </p>
      ) : (
        <>
          <ol className="search-results">
            {found.results.map((result) => (
              <li key={result.id}>
                <h2>
                  <Link to={`/t/${result.id}/${result.slug}`}>{result.title}</Link> {result.solved ? <span className="badge badge--solved">Solved</span> : null}
                </h2>
                <p className="search-results__snippet">
                  {result.snippet.map((part, index) => (part.match ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>))}
                </p>
                <p className="muted">
                  <Link to={`/c/${result.categorySlug}`}>{result.categoryName}</Link> · {result.replyCount} {result.replyCount === 1 ? "reply" : "replies"} · asked by {result.authorName}
                </p>
              </li>
            ))}
          </ol>
          <Pagination page={page} hasMore={found.hasMore} />
        </>
      )}
    </section>
  );
}
