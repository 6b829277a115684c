import { lookup } from "node:dns/promises";
import { type ClientRequest, request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { type AddressUse, addressUse, parseIp } from "./addresses.js";
import { isAllowed } from "./allow-list.js";
import type { OutboundPolicy } from "./policy.js";
import { checkOutboundUrl, portOf } from "./url.js";

/**
 * What became of a request, in classes that are safe to show the customer: the target's raw
 * status and error text are not part of it.
 */
export type OutboundOutcome = "DELIVERED" | "REDIRECTED" | "REJECTED" | "FAILED" | "TIMEOUT" | "UNREACHABLE" | "BLOCKED_ADDRESS";

export interface OutboundResult {
  readonly outcome: OutboundOutcome;
  /** The status of the answer, for support; only ever from a target that was contacted (public or allowed). */
  readonly statusCode: number | null;
  /** For support: a short code (`ECONNREFUSED`, `CERT_HAS_EXPIRED`, `blocked:loopback`), never a message. */
  readonly detail: string | null;
}

export interface CheckedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

export type Resolution = { readonly ok: true; readonly addresses: CheckedAddress[] } | { readonly ok: false; readonly use: AddressUse };

/**
 * Resolves a host (all its addresses) and checks every one: a single address that is not public
 * (and not on the operator's allow-list for this port) blocks the host, whatever the others are.
 * An IP literal is checked as it is. Resolver failures reject (ENOTFOUND, ...).
 */
export async function resolveChecked(policy: OutboundPolicy, hostname: string, port: number): Promise<Resolution> {
  const literal = parseIp(hostname);
  const found: CheckedAddress[] = literal
    ? [{ address: hostname.replace(/^\[|\]$/g, ""), family: literal.family }]
    : (await lookup(hostname, { all: true, order: "verbatim" })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  for (const a of found) {
    const ip = parseIp(a.address);
    if (!ip) return { ok: false, use: "reserved" };
    if (isAllowed(policy.allowed, ip, port)) continue;
    const use = addressUse(ip);
    if (use !== "public") return { ok: false, use };
  }
  return { ok: true, addresses: found };
}

/** Connects to the checked addresses only, whatever the resolver would answer by now. */
function pinnedLookup(addresses: readonly CheckedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const [first] = addresses;
    if (options.all)
      callback(
        null,
        addresses.map((a) => ({ address: a.address, family: a.family })),
      );
    else if (first) callback(null, first.address, first.family);
    else callback(Object.assign(new Error("no address"), { code: "ENOTFOUND" }), "", 4);
  };
}

function outcomeOf(status: number): OutboundOutcome {
  if (status >= 200 && status < 300) return "DELIVERED";
  if (status >= 300 && status < 400) return "REDIRECTED";
  if (status >= 400 && status < 500) return "REJECTED";
  return "FAILED";
}

const codeOf = (error: unknown): string => {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  return typeof code === "string" && /^[A-Z0-9_]{1,40}$/.test(code) ? code : "ERROR";
};

/**
 * POSTs to a customer's URL, as the platform's one way to do so. The URL is checked again
 * (`checkOutboundUrl`), its host resolved and every address checked, and the connection made to
 * those addresses only (no second lookup a DNS rebinding could answer differently); SNI and Host
 * stay the name. Redirects are not followed (a 3xx is an outcome), the answer's body is never
 * read, and the whole request has `policy.timeoutMs`. Never throws.
 */
export function postOutbound(
  policy: OutboundPolicy,
  target: string,
  message: { readonly headers: Readonly<Record<string, string>>; readonly body: string },
): Promise<OutboundResult> {
  let url: URL;
  try {
    url = checkOutboundUrl(policy, target);
  } catch {
    return Promise.resolve({ outcome: "BLOCKED_ADDRESS", statusCode: null, detail: "blocked:url" });
  }
  const port = portOf(url);
  return new Promise((resolve) => {
    let req: ClientRequest | undefined;
    let done = false;
    const finish = (result: OutboundResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req?.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ outcome: "TIMEOUT", statusCode: null, detail: "TIMEOUT" }), policy.timeoutMs);
    const unreachable = (error: unknown) => finish({ outcome: "UNREACHABLE", statusCode: null, detail: codeOf(error) });
    resolveChecked(policy, url.hostname, port).then((resolution) => {
      if (done) return;
      if (!resolution.ok) {
        finish({ outcome: "BLOCKED_ADDRESS", statusCode: null, detail: `blocked:${resolution.use}` });
        return;
      }
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      req = send(
        url,
        {
          method: "POST",
          headers: { ...message.headers, "content-length": String(Buffer.byteLength(message.body)) },
          lookup: pinnedLookup(resolution.addresses),
          agent: false,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          res.destroy();
          finish({ outcome: outcomeOf(status), statusCode: status, detail: null });
        },
      );
      req.on("error", unreachable);
      req.end(message.body);
    }, unreachable);
  });
}
