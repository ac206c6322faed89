import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { DISCOVER, Pagination, useFollowLinks } from "~/components/thread-list";
import { pageParam, queryText } from "~/lib/params";
import { threadPath } from "~/lib/paths";
import { listCategories } from "~/models/categories.server";
import { QUERY_MAX, searchPage, type SearchStatus, type SnippetPart } from "~/models/search.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.query ? `“${data.query}” · Search · HostHelp` : "Search · HostHelp" }, { name: "robots", content: "noindex" }];

const STATUSES: Record<SearchStatus, string> = { solved: "Solved only", unanswered: "Unanswered only" };

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const query = queryText(url, "q", QUERY_MAX);
  const category = queryText(url, "category", 100) || undefined;
  const statusParam = url.searchParams.get("status");
  const status = statusParam && Object.hasOwn(STATUSES, statusParam) ? (statusParam as SearchStatus) : undefined;
  const page = pageParam(url, 100);
  // With a query, the categories come in the search's own round trip.
  const { categories, found } = query ? await searchPage({ query, categorySlug: category, status, page }) : { categories: await listCategories(), found: null };
  return {
    query,
    category: category ?? "",
    status: status ?? "",
    page,
    categories: categories.map(({ slug, name }) => ({ slug, name })),
    found: found && { hasMore: found.hasMore, results: found.results.map(({ snippet, ...result }) => ({ ...result, snippet: alternating(snippet) })) },
  };
}

/**
 * A snippet as texts that alternate between plain (even places) and matching (odd places): the
 * page data carries twenty of them, and strings serialize far cheaper than objects.
 */
function alternating(parts: SnippetPart[]): string[] {
  const texts: string[] = [];
  for (const part of parts) {
    if (part.match === (texts.length % 2 === 1)) texts.push(part.text);
    else if (texts.length > 0 && !part.match) texts[texts.length - 1] += part.text;
    else texts.push("", part.text);
  }
  return texts;
}

export default function Search() {
  const { query, category, status, page, categories, found } = useLoaderData<typeof loader>();
  const followLink = useFollowLinks();
  return (
    <section>
      <h1>Search</h1>
      <Form method="get" className="search-form" role="search" aria-label="Search with filters">
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
          <ol className="search-results" onClick={followLink}>
            {found.results.map((result) => (
              <li key={result.id}>
                <h2>
                  <a href={threadPath(result)} {...DISCOVER}>
                    {result.title}
                  </a> {result.solved ? <span className="badge badge--solved">Solved</span> : null}
                </h2>
                <p className="search-results__snippet">
                  {result.snippetFrom === "question" ? null : <span className="search-results__source">From {result.snippetFrom === "reply" ? "a reply" : "the accepted answer"}: </span>}
                  {result.snippet.map((text, index) => (index % 2 === 1 ? <mark key={index}>{text}</mark> : text))}
                </p>
                <p className="muted">
                  <a href={`/c/${result.categorySlug}`} {...DISCOVER}>
                    {result.categoryName}
                  </a>
                  {` · ${result.replyCount} ${result.replyCount === 1 ? "reply" : "replies"} · asked by ${result.authorName}`}
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
