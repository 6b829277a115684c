import { retireSigningKeysNow, rotateSigningKey } from "../src/auth/index.js";
import { parseConfig, parseOwnerConfig } from "../src/config.js";
import { connectDb } from "../src/db/client.js";

/**
 * Adds a new token signing key (owner connection). Tokens signed by the previous key stay valid
 * until they expire: the API's token lifetime (AUTH_TOKEN_TTL_SECONDS) sets the grace period.
 *
 * With --retire-now (a key may have leaked), every other key is retired at once instead: every
 * token signed so far is refused by every API process from the commit on, and everyone signs in
 * again.
 */
const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== "--retire-now");
if (unknown.length > 0) {
  process.stderr.write(`unknown argument ${unknown.join(" ")}: the only option is --retire-now (retire every other key at once)\n`);
  process.exit(2);
}
const config = parseConfig(process.env);
const db = connectDb(parseOwnerConfig(process.env).DATABASE_OWNER_URL, { max: 1, applicationName: "pdm-rotate-keys" });
try {
  if (args.includes("--retire-now")) {
    const id = await retireSigningKeysNow(db, { keyEncryptionSecret: config.AUTH_KEY_ENCRYPTION_SECRET });
    process.stdout.write(`new signing key ${id}; every other key is retired: tokens signed so far are refused\n`);
  } else {
    const id = await rotateSigningKey(db, {
      ttlSeconds: config.AUTH_TOKEN_TTL_SECONDS,
      keyEncryptionSecret: config.AUTH_KEY_ENCRYPTION_SECRET,
    });
    process.stdout.write(`new signing key ${id}\n`);
  }
} finally {
  await db.close();
}
