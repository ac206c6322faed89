/**
 * The search page's results, as HTML strings: with the page's database work cut down, rendering
 * fifteen results and their snippets through React, and sending them again in the hydration data,
 * was most of what a search cost the server beyond the page's frame (see ~/lib/html.server and
 * ~/components/server-markup). Links are plain anchors, followed through the router by the page's
 * click handler (useFollowLinks) and marked with `data-discover` as <Link> would be.
 */
import { html } from "~/lib/html.server";
import { threadPath } from "~/lib/paths";
import type { SearchResult, SnippetPart } from "~/models/search.server";

const SNIPPET_SOURCES = { question: null, reply: "From a reply: ", "accepted answer": "From the accepted answer: " } as const;

export function searchResultsMarkup(results: SearchResult[]): string {
  return html`
    <ol class="search-results">
      ${results.map((result) => {
        const source = SNIPPET_SOURCES[result.snippetFrom];
        return html`
          <li>
            <h2><a href="${threadPath(result)}" data-discover="true">${marked(result.title)}</a> ${result.solved && html`<span class="badge badge--solved">Solved</span>`}</h2>
            <p class="search-results__snippet">
              ${source && html`<span class="search-results__source">${source}</span>`}
              ${marked(result.snippet)}
            </p>
            <p class="muted">
              <a href="/c/${result.categorySlug}" data-discover="true">${result.categoryName}</a>
              ${` · ${result.replyCount} ${result.replyCount === 1 ? "reply" : "replies"} · asked by ${result.authorName}`}
            </p>
          </li>`;
      })}
    </ol>`.text;
}

/** Text parts with the matching words in <mark>, each part escaped. */
function marked(parts: SnippetPart[]) {
  return parts.map((part) => (part.match ? html`<mark>${part.text}</mark>` : part.text));
}
