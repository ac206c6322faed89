import { describe, expect, it } from "vitest";
import { isCrossSiteWrite } from "~/auth/origin";

const ours = "https://forum.example-host.com";

describe("isCrossSiteWrite", () => {
  it("never blocks reads", () => {
    expect(isCrossSiteWrite({ method: "GET", origin: "https://evil.test" }, ours)).toBe(false);
    expect(isCrossSiteWrite({ method: "HEAD", secFetchSite: "cross-site" }, ours)).toBe(false);
  });

  it("allows writes from our own pages", () => {
    expect(isCrossSiteWrite({ method: "POST", origin: ours, secFetchSite: "same-origin" }, ours)).toBe(false);
    expect(isCrossSiteWrite({ method: "POST", referer: `${ours}/login` }, ours)).toBe(false);
  });

  it("trusts Sec-Fetch-Site over an opaque Origin from a page with a no-referrer policy", () => {
    expect(isCrossSiteWrite({ method: "POST", origin: "null", secFetchSite: "same-origin" }, ours)).toBe(false);
  });

  it("blocks writes from other sites, by Origin, Referer or Sec-Fetch-Site", () => {
    expect(isCrossSiteWrite({ method: "POST", origin: "https://evil.test" }, ours)).toBe(true);
    expect(isCrossSiteWrite({ method: "DELETE", origin: "http://forum.example-host.com" }, ours)).toBe(true);
    expect(isCrossSiteWrite({ method: "POST", origin: "null" }, ours)).toBe(true);
    expect(isCrossSiteWrite({ method: "POST", referer: "https://evil.test/page" }, ours)).toBe(true);
    expect(isCrossSiteWrite({ method: "POST", secFetchSite: "cross-site", origin: ours }, ours)).toBe(true);
    expect(isCrossSiteWrite({ method: "POST", secFetchSite: "same-site" }, ours)).toBe(true);
    expect(isCrossSiteWrite({ method: "POST", referer: "not a url" }, ours)).toBe(true);
  });

  it("lets through clients that are not browsers (no Origin, Referer or Sec-Fetch-Site)", () => {
    expect(isCrossSiteWrite({ method: "POST" }, ours)).toBe(false);
  });
});
