import type { HeadersFunction } from "@remix-run/node";

/**
 * Remix applies headers returned by a loader or action to the page only through the route's
 * `headers` export. Form routes re-export this so that, for example, a 429 keeps its Retry-After.
 */
export const passThroughHeaders: HeadersFunction = ({ loaderHeaders, actionHeaders }) => {
  const headers = new Headers(loaderHeaders);
  actionHeaders.forEach((value, name) => headers.set(name, value));
  return headers;
};
