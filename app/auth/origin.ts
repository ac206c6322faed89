/**
 * Cross-site request forgery defence: a state-changing request must come from our own pages.
 * Browsers send Origin on every POST (and Sec-Fetch-Site where supported); a request with neither
 * did not come from a browser page and cannot carry a victim's cookies against their will.
 */
export interface WriteRequest {
  method: string;
  origin?: string | null;
  referer?: string | null;
  secFetchSite?: string | null;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isCrossSiteWrite(request: WriteRequest, expectedOrigin: string): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false;
  // Sec-Fetch-Site is set by the browser itself and no page can forge it, so where it is sent it
  // decides: a page under a no-referrer policy sends "Origin: null" even to its own site.
  if (request.secFetchSite) return request.secFetchSite !== "same-origin" && request.secFetchSite !== "none";
  if (request.origin) return request.origin !== expectedOrigin;
  if (request.referer) return originOf(request.referer) !== expectedOrigin;
  return false;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
