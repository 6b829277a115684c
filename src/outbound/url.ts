import { validation } from "../core/errors.js";
import { addressUse, describeUse, parseIp } from "./addresses.js";
import { isAllowed } from "./allow-list.js";
import type { OutboundPolicy } from "./policy.js";

export const MAX_URL_LENGTH = 2000;

/** Names that only mean something inside a network (RFC 6761, 6762 appendix G, 8375, ICANN's .internal). */
const INTERNAL_SUFFIXES = ["localhost", "local", "internal", "localdomain", "intranet", "lan", "corp", "private", "arpa"];

/** Ports below 1024 other than these are other protocols' (SSH, SMTP, ...), not a web server's. */
const WEB_PORTS = new Set([80, 443]);

/** Why a host name is one of ours rather than the customer's, or null. */
export function internalName(hostname: string): string | null {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  if (name === "") return "has no host name";
  if (!name.includes(".")) return `must be a fully qualified host name (such as hooks.example.com), not "${name}"`;
  const suffix = INTERNAL_SUFFIXES.find((s) => name === s || name.endsWith(`.${s}`));
  return suffix ? `points to an internal name (.${suffix}); use a public host name` : null;
}

/** The URL's port, or the scheme's default. */
export function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
}

/**
 * Checks a URL the platform is asked to send requests to, without resolving it: https (http only
 * when allowed), no credentials, a web port, and a host that is neither an internal name nor a
 * non-public IP address in any spelling (WHATWG parsing turns `127.1`, `2130706433`, `0x7f.1`
 * and `0` into dotted IPv4 first). Returns the normalised URL; VALIDATION naming the problem
 * otherwise. Run again before every request, so rows stored under older rules are held to these.
 */
export function checkOutboundUrl(policy: OutboundPolicy, value: string, field = "url"): URL {
  const what = "The webhook URL";
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw validation(`${what} is not a valid URL.`, { field });
  }
  if (url.href.length > MAX_URL_LENGTH) throw validation(`${what} may be at most 2,000 characters long.`, { field });
  if (url.protocol !== "https:" && !(policy.allowHttp && url.protocol === "http:"))
    throw validation(`${what} must start with https://.`, { field });
  if (url.username || url.password) throw validation("Put no credentials in the webhook URL; verify our signature instead.", { field });
  const port = portOf(url);
  const ip = parseIp(url.hostname);
  if (ip) {
    if (isAllowed(policy.allowed, ip, port)) return url;
    const use = addressUse(ip);
    if (use !== "public") throw validation(`${what} points to ${describeUse(use)}; use a public host name.`, { field });
  } else {
    const problem = internalName(url.hostname);
    if (problem) throw validation(`${what} ${problem}.`, { field });
  }
  if (port < 1024 && !WEB_PORTS.has(port))
    throw validation(`${what} must use port 443, 80 or a port from 1024 up, not ${port}.`, { field });
  return url;
}
