import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { searchResultsMarkup } from "~/components/search-results.server";
import { leftToMarkup, ServerMarkup } from "~/components/server-markup";
import { useFollowLinks } from "~/components/follow-links";
import { Pagination } from "~/components/pagination";
import { pageParam, queryText } from "~/lib/params";
import { listCategories } from "~/models/categories.server";
import { SEARCH_PAGES } from "~/models/forum-rules";
import { QUERY_MAX, searchPage, type SearchStatus } from "~/models/search.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.query ? `“${data.query}” · Search · HostHelp` : "Search · HostHelp" }, { name: "robots", content: "noindex" }];

const STATUSES: Record<SearchStatus, string> = { solved: "Solved only", unanswered: "Unanswered only" };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const query = queryText(url, "q", QUERY_MAX);
  const category = queryText(url, "category", 100) || undefined;
  const statusParam = url.searchParams.get("status");
  const status = statusParam && Object.hasOwn(STATUSES, statusParam) ? (statusParam as SearchStatus) : undefined;
  const page = pageParam(url, SEARCH_PAGES);
  // With a query, the categories come in the search's own round trip.
  const { categories, found } = query ? await searchPage({ query, categorySlug: category, status, page }) : { categories: await listCategories(), found: null };
  return {
    query,
    category: category ?? "",
    status: status ?? "",
    page,
    categories: categories.map(({ slug, name }) => ({ slug, name })),
    // The results as HTML (see ~/components/search-results.server).
    found: found && {
      matched: found.results.length > 0,
      hasMore: found.hasMore && page < SEARCH_PAGES,
      pastLastPage: found.hasMore && page === SEARCH_PAGES,
      resultsHtml: leftToMarkup("search-results", found.results.length > 0 ? searchResultsMarkup(found.results) : "", context.markupFragments),
    },
  };
}

export default function Search() {
  const { query, category, status, page, categories, found } = useLoaderData<typeof loader>();
  const followLink = useFollowLinks();
  return (
    // The results' links are plain anchors, followed from here (see useFollowLinks).
    <section onClick={followLink}>
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
      ) : !found.matched ? (
        <p>
          Nothing matches “{query}”{page > 1 ? " on this page" : ""}. Try fewer or other words, or <Link to={`/ask?title=${encodeURIComponent(query)}`}>ask it as a new question</Link>.
        </p>
      ) : (
        <>
          <ServerMarkup name="search-results" html={found.resultsHtml} />
          <Pagination page={page} hasMore={found.hasMore} />
          {found.pastLastPage ? <p>Search shows {SEARCH_PAGES} pages at most. Add a word or a filter to find the rest.</p> : null}
        </>
      )}
    </section>
  );
}
