import { createTokenService } from "../src/auth/tokens.js";
import { parseConfig } from "../src/config.js";
import { connectDb } from "../src/db/client.js";

/** Adds a new token signing key. Tokens signed by the previous key stay valid until they expire. */
const config = parseConfig(process.env);
const db = connectDb(config.DATABASE_URL, { max: 1, applicationName: "pdm-rotate-keys" });
try {
  const tokens = createTokenService(db, {
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    ttlSeconds: config.AUTH_TOKEN_TTL_SECONDS,
    keyEncryptionSecret: config.AUTH_KEY_ENCRYPTION_SECRET,
  });
  process.stdout.write(`new signing key ${await tokens.rotate()}\n`);
} finally {
  await db.close();
}
