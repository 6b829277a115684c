/**
 * The secret an InfluxDB client presents, in every form InfluxDB 1.8 takes: the `p` parameter,
 * `Authorization: Basic` (the password, or the user name when there is no password),
 * `Authorization: Token <secret>` or `Token <user>:<secret>` (1.8's 2.x-compatible API, the
 * official 2.x clients' 1.x mode; our tokens and keys hold no colon), and `Bearer <secret>`.
 * `null` when an Authorization header uses another scheme or has no value.
 */
export function influxCredential(authorization: string | undefined, password: string | undefined): string | undefined | null {
  const header = authorization?.trim();
  if (!header) return password || undefined;
  const [scheme = "", value] = header.split(/\s+/, 2);
  if (!value) return null;
  if (/^token$/i.test(scheme)) return value.slice(value.indexOf(":") + 1) || undefined;
  if (/^bearer$/i.test(scheme)) return value;
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return decoded || undefined;
    return decoded.slice(colon + 1) || decoded.slice(0, colon) || undefined;
  }
  return null;
}
