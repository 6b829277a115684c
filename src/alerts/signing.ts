import { createHmac, randomBytes } from "node:crypto";

/**
 * Deliveries are signed as the Standard Webhooks specification says (www.standardwebhooks.com), so
 * receivers verify them with its libraries: `new Webhook(secret).verify(body, headers)`.
 *
 * - `webhook-id`: the delivery's id, the same on every attempt of it (receivers deduplicate on it);
 * - `webhook-timestamp`: the attempt's time, in Unix seconds (receivers refuse old ones);
 * - `webhook-signature`: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed with the
 *   bytes the secret encodes.
 */
export interface SignedHeaders {
  readonly "webhook-id": string;
  readonly "webhook-timestamp": string;
  readonly "webhook-signature": string;
}

const PREFIX = "whsec_";
const SECRET_BYTES = 32;

/** A new signing secret: `whsec_` and the base64 of 32 random bytes, the form the libraries take as it is. */
export function newSigningSecret(): string {
  return `${PREFIX}${randomBytes(SECRET_BYTES).toString("base64")}`;
}

/**
 * The HMAC key a secret stands for: the bytes after `whsec_`, base64-decoded. Node's decoder also
 * reads the URL-safe alphabet without padding, the form secrets were issued in before, so those
 * keep their 32 bytes; receivers holding one pass it to the libraries in the standard alphabet
 * (`-` → `+`, `_` → `/`, then `=`): see docs/webhooks.md.
 */
function signingKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, "base64");
}

/** The Standard Webhooks headers of one attempt at a delivery. */
export function signedHeaders(secret: string, message: { id: string; unixSeconds: number; body: string }): SignedHeaders {
  const timestamp = String(message.unixSeconds);
  const mac = createHmac("sha256", signingKey(secret)).update(`${message.id}.${timestamp}.${message.body}`).digest("base64");
  return { "webhook-id": message.id, "webhook-timestamp": timestamp, "webhook-signature": `v1,${mac}` };
}
