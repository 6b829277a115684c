import { rotateSigningKey } from "../src/auth/tokens.js";
import { parseConfig, parseOwnerConfig } from "../src/config.js";
import { connectDb } from "../src/db/client.js";

/**
 * Adds a new token signing key (owner connection). Tokens signed by the previous key stay valid
 * until they expire: the API's token lifetime (AUTH_TOKEN_TTL_SECONDS) sets the grace period.
 */
const config = parseConfig(process.env);
const db = connectDb(parseOwnerConfig(process.env).DATABASE_OWNER_URL, { max: 1, applicationName: "pdm-rotate-keys" });
try {
  const id = await rotateSigningKey(db, {
    ttlSeconds: config.AUTH_TOKEN_TTL_SECONDS,
    keyEncryptionSecret: config.AUTH_KEY_ENCRYPTION_SECRET,
  });
  process.stdout.write(`new signing key ${id}\n`);
} finally {
  await db.close();
}
