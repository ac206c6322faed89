import { describe, expect, it } from "vitest";
import { describeWait } from "~/auth/rate-limit.server";
import { retryDelaySeconds } from "~/jobs/backoff";
import { NUL_IN_TEXT, parseForm } from "~/lib/forms.server";
import { limitedAddress } from "~/auth/rate-limit.server";
import { safeRedirectPath } from "~/lib/http.server";
import { parseTrustProxy } from "~/server/trust-proxy";
import { hasCredentials, withoutUrlCredentials } from "~/lib/url-credentials";
import { noticeText, withNotice } from "~/lib/notices";
import { idParam, queryText, textParam } from "~/lib/params";
import { signInSchema } from "~/models/account-input.server";

describe("retry backoff", () => {
  it("starts at 30 s, doubles, and stops growing at an hour", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map(retryDelaySeconds)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
  });
});

describe("credentials in addresses", () => {
  it("are found in a setting", () => {
    expect(hasCredentials(new URL("https://user:secret@billing.example.com/"))).toBe(true);
    expect(hasCredentials(new URL("https://user@billing.example.com/"))).toBe(true);
    expect(hasCredentials(new URL("https://billing.example.com/hooks?to=a@b.example"))).toBe(false);
  });

  it("are taken out of any text, passwords holding @ included, and nothing else is", () => {
    expect(withoutUrlCredentials("Could not reach https://user:p@ss@billing.example.com/includes/api.php: refused")).toBe("Could not reach https://***@billing.example.com/includes/api.php: refused");
    expect(withoutUrlCredentials("smtps://mailer:hunter2@smtp.example.com:465 and http://a:b@127.0.0.1:8080")).toBe("smtps://***@smtp.example.com:465 and http://***@127.0.0.1:8080");
    for (const clean of ["https://billing.example.com/hooks?to=a@b.example", "mail me at ops@example.com", "HTTP 500: no answer"]) {
      expect(withoutUrlCredentials(clean)).toBe(clean);
    }
    // An error can quote a visitor's address: a long run of words joined by "." is text like any other.
    const dotted = `URI malformed: /%ZZ${"a.".repeat(8000)}`;
    expect(withoutUrlCredentials(dotted)).toBe(dotted);
    expect(withoutUrlCredentials(`${"a.".repeat(8000)}x+y://u:p@host`)).toBe(`${"a.".repeat(8000)}x+y://***@host`);
  });
});

describe("parseForm", () => {
  it("returns the first message per field and the typed values without secrets", () => {
    const form = new FormData();
    form.set("login", "");
    form.set("password", "hunter2hunter2");
    form.set("redirectTo", "/account");
    const result = parseForm(signInSchema, form);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({ login: "Enter your username or email." });
    expect(result.values).toEqual({ login: "", redirectTo: "/account" });
  });
});

describe("NUL characters in forms", () => {
  it("are refused by the field and left out of the text put back, but allowed in secrets, which are only hashed", () => {
    const form = new FormData();
    form.set("login", "owner\0");
    form.set("password", "pass\0word pass\0word");
    form.set("redirectTo", "/account");
    const result = parseForm(signInSchema, form);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({ login: NUL_IN_TEXT });
    expect(result.values).toEqual({ login: "owner", redirectTo: "/account" });
  });
});

describe("address parameters", () => {
  it("read ids within PostgreSQL's integer range, and names and query texts without NUL characters", () => {
    expect(["1", "2147483647", "2147483648", "0", "01", "1e3", "-1", "", undefined].map(idParam)).toEqual([1, 2147483647, null, null, 1, null, null, null, null]);
    expect([textParam("email"), textParam("email\0"), textParam(""), textParam(undefined)]).toEqual(["email", null, null, null]);
    const url = new URL("http://local/search?q=%20mail%00box%20&category=%00");
    expect([queryText(url, "q", 200), queryText(url, "category", 100), queryText(url, "missing", 100), queryText(url, "q", 4)]).toEqual(["mailbox", "", "", "mail"]);
  });
});

describe("safeRedirectPath", () => {
  it("follows only paths on this site", () => {
    expect(safeRedirectPath("/t/1/dns?page=2")).toBe("/t/1/dns?page=2");
    expect(safeRedirectPath("//evil.test/x")).toBe("/");
    expect(safeRedirectPath("/\\evil.test")).toBe("/");
    expect(safeRedirectPath("https://evil.test")).toBe("/");
    expect(safeRedirectPath(null, "/account")).toBe("/account");
  });

  it("judges the path as a browser resolves it, dot segments and all", () => {
    for (const sneaky of ["/.//evil.test", "/a/..//evil.test", "/%2e//evil.test", "/%2E//evil.test/x?y", "/./\\evil.test", "/\t/evil.test"]) {
      expect([sneaky, safeRedirectPath(sneaky)]).toEqual([sneaky, "/"]);
    }
    expect(safeRedirectPath("/c/../t/1/dns#post-2")).toBe("/t/1/dns#post-2");
  });

  it("percent-encodes letters beyond ASCII and refuses control characters, which no header can carry", () => {
    expect(safeRedirectPath("/t/7/zażółć?page=2")).toBe("/t/7/za%C5%BC%C3%B3%C5%82%C4%87?page=2");
    expect(safeRedirectPath("/t/7/za%C5%BC")).toBe("/t/7/za%C5%BC");
    expect(safeRedirectPath("/t/7/x\0")).toBe("/");
    expect(safeRedirectPath("/t/7/x\r\nSet-Cookie: a=b")).toBe("/");
  });
});

describe("notices", () => {
  it("shows only known texts", () => {
    expect(noticeText("signed-out")).toBe("You are signed out.");
    expect(noticeText("<script>alert(1)</script>")).toBeNull();
    expect(noticeText("toString")).toBeNull();
    expect(withNotice("/account?tab=x", "password-changed")).toBe("/account?tab=x&notice=password-changed");
  });
});

describe("describeWait", () => {
  it("speaks in human units", () => {
    expect([5, 89, 90, 900, 5340, 5400, 7200].map(describeWait)).toEqual(["5 seconds", "89 seconds", "2 minutes", "15 minutes", "89 minutes", "2 hours", "2 hours"]);
  });
});

describe("limitedAddress", () => {
  it("counts an IPv4 address whole and an IPv6 address by its /64, however it is written", () => {
    expect(limitedAddress("192.0.2.7")).toBe("192.0.2.7");
    for (const sameIPv4 of ["::ffff:192.0.2.7", "0:0:0:0:0:ffff:192.0.2.7", "::ffff:c000:207", "::FFFF:C000:0207"]) {
      expect([sameIPv4, limitedAddress(sameIPv4)]).toEqual([sameIPv4, "192.0.2.7"]);
    }
    expect(limitedAddress("::1")).toBe("0:0:0:0::/64");
    for (const sameNetwork of ["2001:db8:1:2::1", "2001:0db8:0001:0002:ffff:ffff:ffff:ffff", "2001:db8:1:2:aaaa::", "2001:db8:1:2::1%eth0"]) {
      expect([sameNetwork, limitedAddress(sameNetwork)]).toEqual([sameNetwork, "2001:db8:1:2::/64"]);
    }
    expect(limitedAddress("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
    expect(limitedAddress("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(limitedAddress("2001:db8:1::1.2.3.4")).toBe("2001:db8:1:0::/64");
    expect(limitedAddress("unknown")).toBe("unknown");
  });
});

describe("parseTrustProxy", () => {
  it("takes a hop count or proxies' addresses and ranges", () => {
    expect(parseTrustProxy(undefined)).toEqual({ ok: true, setting: false });
    expect(parseTrustProxy("1")).toEqual({ ok: true, setting: 1 });
    expect(parseTrustProxy("loopback, 10.0.0.0/8, fd00::/8, 192.0.2.1")).toEqual({ ok: true, setting: "loopback,10.0.0.0/8,fd00::/8,192.0.2.1" });
  });

  it("refuses what would trust every client, and what is not an address, saying which", () => {
    for (const [value, says] of [
      ["true", '"true" would trust any X-Forwarded-For header'],
      ["loopback,0.0.0.0/0", '"0.0.0.0/0" would trust any X-Forwarded-For header'],
      ["::/0", '"::/0" would trust any X-Forwarded-For header'],
      ["yes", '"yes" is neither a proxy\'s address'],
      ["10.0.0.0/33", '"10.0.0.0/33" is neither'],
      ["10.0.0.0/255.0.0.0", '"10.0.0.0/255.0.0.0" is neither'],
    ] as const) {
      const parsed = parseTrustProxy(value);
      expect([value, parsed.ok]).toEqual([value, false]);
      if (!parsed.ok) expect(parsed.message).toContain(says);
    }
  });
});
