import type { CurrentMember } from "~/auth/session.server";
import type { MarkupFragments } from "~/components/server-markup";

/** What the web server hands every loader and action (see app/server/app.ts). */
declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The signed-in member, or null; the session was checked once for the whole request. */
    member: CurrentMember | null;
    sessionId: string | null;
    clientIp: string;
    /** The nonce that lets Remix's own inline scripts past the Content-Security-Policy. */
    cspNonce: string;
    /** Present when the server reports query counts (REPORT_QUERY_COUNTS=1). */
    queryTally?: { queries: number };
    /**
     * On a request for an HTML page, where loaders put markup made outside React that the page
     * carries and its hydration data leaves out (see ~/components/server-markup); null on a
     * client navigation's data request, whose data carries it.
     */
    markupFragments: MarkupFragments | null;
  }
}


// Tells Remix's types that loaders and actions return through single fetch (future.v3_singleFetch).
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export {};
