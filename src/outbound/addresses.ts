import { isIPv4, isIPv6 } from "node:net";

/** An IP address as a number: 32 bits for IPv4, 128 for IPv6. */
export interface Ip {
  readonly family: 4 | 6;
  readonly value: bigint;
}

/**
 * What an address is for. Only "public" may be contacted for a customer; every other use is a
 * network of ours, of the host, or no destination at all.
 */
export type AddressUse =
  | "public"
  | "loopback"
  | "unspecified"
  | "private"
  | "link-local"
  | "carrier-nat"
  | "unique-local"
  | "multicast"
  | "broadcast"
  | "documentation"
  | "reserved";

function parseIPv4(text: string): bigint {
  return text.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number.parseInt(part, 10)), 0n);
}

function parseIPv6(text: string): bigint {
  let body = text;
  const lastColon = body.lastIndexOf(":");
  const last = body.slice(lastColon + 1);
  if (last.includes(".")) {
    const v4 = parseIPv4(last);
    body = `${body.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const groups = (s: string) => (s === "" ? [] : s.split(":").map((g) => BigInt(Number.parseInt(g, 16))));
  const [head = "", rest] = body.split("::");
  const front = groups(head);
  const back = rest === undefined ? [] : groups(rest);
  const zeros = rest === undefined ? 0 : 8 - front.length - back.length;
  return [...front, ...Array.from({ length: zeros }, () => 0n), ...back].reduce((acc, g) => (acc << 16n) | g, 0n);
}

/**
 * Parses an IP address in any form a URL host or a resolver can give: dotted IPv4, the short,
 * decimal, octal and hex forms (`127.1`, `2130706433`, `0x7f.1`, `0`) as the WHATWG URL parser
 * reads them, IPv6 with or without brackets, an embedded dotted tail, or a zone id (`%eth0`).
 * Null for anything that is not an IP address (a host name).
 */
export function parseIp(text: string): Ip | null {
  let host = text.trim();
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  const zone = host.indexOf("%");
  if (zone >= 0 && host.includes(":")) host = host.slice(0, zone);
  if (isIPv6(host)) return { family: 6, value: parseIPv6(host.toLowerCase()) };
  if (isIPv4(host)) return { family: 4, value: parseIPv4(host) };
  if (!/^[0-9a-fA-FxX.]{1,255}$/.test(host)) return null;
  let normalised: string;
  try {
    normalised = new URL(`http://${host}/`).hostname;
  } catch {
    return null;
  }
  return isIPv4(normalised) ? { family: 4, value: parseIPv4(normalised) } : null;
}

interface Range {
  readonly base: bigint;
  readonly prefix: number;
  readonly use: AddressUse;
}

export function inPrefix(ip: Ip, base: bigint, prefix: number): boolean {
  const shift = BigInt((ip.family === 4 ? 32 : 128) - prefix);
  return ip.value >> shift === base >> shift;
}

const v4 = (text: string, prefix: number, use: AddressUse): Range => ({ base: parseIPv4(text), prefix, use });
const v6 = (text: string, prefix: number, use: AddressUse): Range => ({ base: parseIPv6(text), prefix, use });

/** IANA's special-purpose IPv4 registry, most specific first. */
const IPV4: readonly Range[] = [
  v4("255.255.255.255", 32, "broadcast"),
  v4("0.0.0.0", 8, "unspecified"),
  v4("10.0.0.0", 8, "private"),
  v4("100.64.0.0", 10, "carrier-nat"),
  v4("127.0.0.0", 8, "loopback"),
  v4("169.254.0.0", 16, "link-local"),
  v4("172.16.0.0", 12, "private"),
  v4("192.0.0.0", 24, "reserved"),
  v4("192.0.2.0", 24, "documentation"),
  v4("192.88.99.0", 24, "reserved"),
  v4("192.168.0.0", 16, "private"),
  v4("198.18.0.0", 15, "reserved"),
  v4("198.51.100.0", 24, "documentation"),
  v4("203.0.113.0", 24, "documentation"),
  v4("224.0.0.0", 4, "multicast"),
  v4("240.0.0.0", 4, "reserved"),
];

/** IPv6 ranges that are no destination of their own (embeddings of IPv4 are judged separately). */
const IPV6: readonly Range[] = [
  v6("::", 128, "unspecified"),
  v6("::1", 128, "loopback"),
  v6("::", 96, "reserved"),
  v6("100::", 64, "reserved"),
  v6("2001:db8::", 32, "documentation"),
  v6("2001::", 23, "reserved"),
  v6("3fff::", 20, "documentation"),
  v6("fc00::", 7, "unique-local"),
  v6("fe80::", 10, "link-local"),
  v6("fec0::", 10, "reserved"),
  v6("ff00::", 8, "multicast"),
];

const MAPPED = parseIPv6("::ffff:0:0");
const NAT64 = parseIPv6("64:ff9b::");
const SIX_TO_FOUR = parseIPv6("2002::");
const TEREDO = parseIPv6("2001::");
const GLOBAL_UNICAST = parseIPv6("2000::");

const ipv4At = (ip: Ip, shift: bigint): Ip => ({ family: 4, value: (ip.value >> shift) & 0xffffffffn });

/**
 * The IPv4 address an IPv6 address carries and is delivered to: IPv4-mapped (`::ffff:a.b.c.d`),
 * NAT64 (`64:ff9b::/96`), 6to4 (`2002::/16`) and Teredo (`2001::/32`, server and client).
 */
export function embeddedIPv4(ip: Ip): Ip[] {
  if (ip.family === 4) return [];
  if (inPrefix(ip, MAPPED, 96) || inPrefix(ip, NAT64, 96)) return [ipv4At(ip, 0n)];
  if (inPrefix(ip, SIX_TO_FOUR, 16)) return [ipv4At(ip, 80n)];
  if (inPrefix(ip, TEREDO, 32)) return [ipv4At(ip, 64n), { family: 4, value: (ip.value & 0xffffffffn) ^ 0xffffffffn }];
  return [];
}

/** The address itself when it is IPv4 or IPv4-mapped IPv6, so both spellings compare alike. */
export function unmapped(ip: Ip): Ip {
  return ip.family === 6 && inPrefix(ip, MAPPED, 96) ? ipv4At(ip, 0n) : ip;
}

/** What the address is for: "public", or the kind of network it belongs to. */
export function addressUse(ip: Ip): AddressUse {
  if (ip.family === 4) return IPV4.find((r) => inPrefix(ip, r.base, r.prefix))?.use ?? "public";
  for (const inner of embeddedIPv4(ip)) {
    const use = addressUse(inner);
    if (use !== "public") return use;
  }
  if (inPrefix(ip, MAPPED, 96) || inPrefix(ip, NAT64, 96) || inPrefix(ip, SIX_TO_FOUR, 16)) return "public";
  const special = IPV6.find((r) => inPrefix(ip, r.base, r.prefix));
  if (special) return special.use;
  return inPrefix(ip, GLOBAL_UNICAST, 3) ? "public" : "reserved";
}

/** For messages: what kind of address it is, in words. */
export function describeUse(use: Exclude<AddressUse, "public">): string {
  switch (use) {
    case "loopback":
      return "a loopback address";
    case "unspecified":
      return "an unspecified address";
    case "private":
      return "a private-network address";
    case "link-local":
      return "a link-local address (such as a cloud metadata service)";
    case "carrier-nat":
      return "a carrier-grade NAT address";
    case "unique-local":
      return "a unique-local IPv6 address";
    case "multicast":
      return "a multicast address";
    case "broadcast":
      return "the broadcast address";
    case "documentation":
      return "an address reserved for documentation";
    case "reserved":
      return "a reserved address";
  }
}
