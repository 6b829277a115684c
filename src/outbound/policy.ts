import type { AllowedAddress } from "./allow-list.js";

/**
 * Where the platform may send requests to a URL a customer gave (webhooks): from the
 * configuration (WEBHOOK_ALLOW_HTTP, WEBHOOK_ALLOWED_ADDRESSES, WEBHOOK_TIMEOUT_MS).
 */
export interface OutboundPolicy {
  /** Plain http:// as well as https:// (development and tests only). */
  readonly allowHttp: boolean;
  /** Addresses that may be contacted although they are not public (the operator's own choice). */
  readonly allowed: readonly AllowedAddress[];
  /** For the whole request: resolving, connecting, sending and the answer's status line. */
  readonly timeoutMs: number;
}

export function outboundPolicy(config: {
  WEBHOOK_ALLOW_HTTP: boolean;
  WEBHOOK_ALLOWED_ADDRESSES: readonly AllowedAddress[];
  WEBHOOK_TIMEOUT_MS: number;
}): OutboundPolicy {
  return { allowHttp: config.WEBHOOK_ALLOW_HTTP, allowed: config.WEBHOOK_ALLOWED_ADDRESSES, timeoutMs: config.WEBHOOK_TIMEOUT_MS };
}
