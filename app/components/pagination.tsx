import { useLocation } from "@remix-run/react";
import { withPage } from "~/lib/params";
import { DISCOVER, useFollowLinks } from "./follow-links";

/**
 * Previous / next links. By default they keep the current address and query (filters, search
 * words) and change only `page`. A page with two of them names each (`label`), so that a screen
 * reader's list of landmarks tells them apart.
 */
export function Pagination({ page, hasMore, pages, makeLink, label = "Pages" }: { page: number; hasMore?: boolean; pages?: number; makeLink?: (page: number) => string; label?: string }) {
  const location = useLocation();
  // Plain anchors followed from the nav (see useFollowLinks): two <Link>s cost a thread page more.
  const followLink = useFollowLinks();
  const linkTo = makeLink ?? ((n: number) => withPage(new URL(`${location.pathname}${location.search}`, "http://local"), n));
  const next = pages ? page < pages : hasMore;
  if (page <= 1 && !next) return null;
  return (
    <nav aria-label={label} className="pagination" onClick={followLink}>
      {page > 1 ? (
        <a href={linkTo(page - 1)} rel="prev" {...DISCOVER}>
          ← Previous
        </a>
      ) : null}
      <span>
        Page {page}
        {pages ? ` of ${pages}` : ""}
      </span>
      {next ? (
        <a href={linkTo(page + 1)} rel="next" {...DISCOVER}>
          Next →
        </a>
      ) : null}
    </nav>
  );
}
