import { isIP } from "node:net";
import { type Ip, inPrefix, parseIp, unmapped } from "./addresses.js";

/** One explicitly allowed destination: an address or a network, on one port or on any. */
export interface AllowedAddress {
  readonly family: 4 | 6;
  readonly base: bigint;
  readonly prefix: number;
  readonly port: number | null;
}

function parseNetwork(text: string): Omit<AllowedAddress, "port"> | null {
  const [address = "", prefixText, extra] = text.split("/");
  if (extra !== undefined) return null;
  const ip = isIP(address) ? parseIp(address) : null;
  if (!ip) return null;
  const bits = ip.family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (!(prefix >= 0 && prefix <= bits)) return null;
  return { family: ip.family, base: ip.value, prefix };
}

function parsePort(text: string): number | null | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/**
 * One entry of WEBHOOK_ALLOWED_ADDRESSES: `127.0.0.1`, `127.0.0.1:8080`, `10.1.0.0/16`,
 * `10.1.0.0/16:443`, `fd00::/8`, `[::1]:8080` or `[fd00::/8]:443`. Null when it is none of these.
 */
export function parseAllowedAddress(entry: string): AllowedAddress | null {
  const text = entry.trim();
  let host = text;
  let port: number | null | undefined = null;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close < 0) return null;
    host = text.slice(1, close);
    const after = text.slice(close + 1);
    if (after !== "") port = after.startsWith(":") ? parsePort(after.slice(1)) : undefined;
  } else if (text.split(":").length === 2) {
    const colon = text.indexOf(":");
    host = text.slice(0, colon);
    port = parsePort(text.slice(colon + 1));
  }
  if (port === undefined) return null;
  const network = parseNetwork(host);
  return network ? { ...network, port } : null;
}

/** The comma-separated list; the entries that are not understood, for the configuration's message. */
export function parseAllowList(text: string): { entries: AllowedAddress[]; invalid: string[] } {
  const entries: AllowedAddress[] = [];
  const invalid: string[] = [];
  for (const item of text.split(",")) {
    if (item.trim() === "") continue;
    const entry = parseAllowedAddress(item);
    if (entry) entries.push(entry);
    else invalid.push(item.trim());
  }
  return { entries, invalid };
}

/** Whether the operator allowed this address (IPv4-mapped IPv6 counts as its IPv4) on this port. */
export function isAllowed(list: readonly AllowedAddress[], address: Ip, port: number): boolean {
  const ip = unmapped(address);
  return list.some((e) => e.family === ip.family && inPrefix(ip, e.base, e.prefix) && (e.port === null || e.port === port));
}
