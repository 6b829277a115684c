import Stripe from "stripe";

/** The one Stripe client; the base URL points at Stripe or at stripe-mock. */
export function createStripe(secretKey: string, apiBase: string, timeoutMs = 10_000): Stripe {
  const url = new URL(apiBase);
  return new Stripe(secretKey, {
    host: url.hostname,
    port: url.port || (url.protocol === "https:" ? 443 : 80),
    protocol: url.protocol === "https:" ? "https" : "http",
    maxNetworkRetries: 2,
    timeout: timeoutMs,
    telemetry: false,
  });
}
