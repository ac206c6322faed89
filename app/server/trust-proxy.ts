/**
 * TRUST_PROXY: which proxies in front of HostHelp may say, in X-Forwarded-For, whom a request
 * came from. The rate limits count that address, so trusting too much lets any client choose it.
 */
import { isIP } from "node:net";

/** Express's "trust proxy" setting: false, a hop count, or proxies' addresses. */
export type TrustProxy = false | number | string;

const NAMED_RANGES = new Set(["loopback", "linklocal", "uniquelocal"]);

export function parseTrustProxy(value: string | undefined): { ok: true; setting: TrustProxy } | { ok: false; message: string } {
  const text = value?.trim() ?? "";
  if (text === "") return { ok: true, setting: false };
  if (/^\d+$/.test(text)) return { ok: true, setting: Number(text) };
  const entries = text.split(",").map((entry) => entry.trim());
  const wrong = entries.find((entry) => !NAMED_RANGES.has(entry) && !isAddressOrRange(entry));
  if (wrong === undefined) return { ok: true, setting: entries.join(",") };
  const why =
    wrong.toLowerCase() === "true" || /\/0$/.test(wrong)
      ? `"${wrong}" would trust any X-Forwarded-For header a client sends, and with it the address the rate limits count`
      : `"${wrong}" is neither a proxy's address, a range such as 10.0.0.0/8, nor loopback, linklocal or uniquelocal`;
  return {
    ok: false,
    message: `TRUST_PROXY: ${why}. Give the number of proxies in front of HostHelp (TRUST_PROXY=1 behind one load balancer) or their addresses (TRUST_PROXY=loopback, TRUST_PROXY=10.0.0.0/8).`,
  };
}

/** An IP address, or a range in CIDR notation narrower than everything (/0). */
function isAddressOrRange(entry: string): boolean {
  const [address = "", bits, ...rest] = entry.split("/");
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d+$/.test(bits) && Number(bits) >= 1 && Number(bits) <= (version === 4 ? 32 : 128);
}
