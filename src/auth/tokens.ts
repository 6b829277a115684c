import { type CryptoKey, errors, exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from "jose";
import { unauthenticated } from "../core/errors.js";
import { newId } from "../core/ids.js";
import type { ChangeFence } from "../db/change-fence.js";
import type { ChangeFeed } from "../db/changes.js";
import type { Db } from "../db/client.js";
import { createKeyCipher } from "./key-encryption.js";

const ALG = "ES256";

/** `generation` is the user's (or operator's) session generation when the token was issued. */
export type TokenSubject =
  | { readonly kind: "member"; readonly userId: string; readonly tenantId: string; readonly generation: number }
  | { readonly kind: "operator"; readonly operatorId: string; readonly generation: number };

/** A verified token: its subject, its id (for signing this one token out) and its expiry. */
export type VerifiedToken = TokenSubject & { readonly tokenId: string; readonly expiresAt: Date };

export interface IssuedToken {
  readonly token: string;
  readonly expiresAt: Date;
}

export interface TokenSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
  readonly keyEncryptionSecret: string;
  /**
   * Tokens signed by a key this process does not know reload the keys from a small budget: a
   * burst of `unknownKeyReloadBurst` (default 5) refilled by one every `unknownKeyReloadMs`
   * (default 1 s) per process, so a flood of unknown key ids cannot reach Postgres per request.
   */
  readonly unknownKeyReloadMs?: number;
  readonly unknownKeyReloadBurst?: number;
}

interface LoadedKey {
  readonly id: string;
  readonly alg: string;
  readonly publicJwk: JWK;
  readonly publicKey: CryptoKey;
  readonly privateJwkEncrypted: string;
  readonly active: boolean;
  /** When the key stops verifying (ms since the epoch); null while it signs. */
  readonly retireAt: number | null;
}

/** Whether a key still verifies: a scheduled retirement passes without any announcement. */
const published = (key: LoadedKey, now = Date.now()): boolean => key.retireAt === null || key.retireAt > now;

/**
 * A fallback only: keys added or retired are announced on the change feed, and a scheduled
 * retirement is read from the key itself.
 */
const FALLBACK_REFRESH_MS = 60_000;
/** While the change feed cannot confirm it is up to date, the keys are read again at most this often. */
const UNCONFIRMED_REFRESH_MS = 1_000;

/** How the key cache follows changes made by other processes (the operators' key command). */
export interface KeyCoherence {
  readonly changes: ChangeFeed;
  readonly fence: ChangeFence;
}

interface KeyRow {
  id: string;
  alg: string;
  public_jwk: JWK;
  private_jwk_encrypted: string;
  retire_at: string | null;
}

async function newKeyMaterial(cipher: ReturnType<typeof createKeyCipher>) {
  const { publicKey, privateKey } = await generateKeyPair(ALG, { extractable: true });
  const id = newId("signingKey");
  const publicJwk = { ...(await exportJWK(publicKey)), kid: id, alg: ALG, use: "sig" };
  return { id, publicJwk: JSON.stringify(publicJwk), sealed: cipher.encrypt(JSON.stringify(await exportJWK(privateKey))) };
}

/**
 * Adds a new signing key and retires the active ones once every token they signed has expired
 * (`ttlSeconds` + a minute), so nobody is logged out. A provisioning step: it needs the owner's
 * connection; the change is announced to every API process when it commits.
 */
export async function rotateSigningKey(ownerDb: Db, settings: Pick<TokenSettings, "ttlSeconds" | "keyEncryptionSecret">): Promise<string> {
  const key = await newKeyMaterial(createKeyCipher(settings.keyEncryptionSecret));
  const grace = `${settings.ttlSeconds + 60} seconds`;
  await ownerDb.sql`select auth_add_signing_key(${key.id}, ${ALG}, ${key.publicJwk}::jsonb, ${key.sealed}, ${grace}::interval, false)`;
  return key.id;
}

/**
 * Emergency rotation, for a key that may have leaked: adds a new signing key and retires every
 * other one at once, so every token signed so far is refused by every API process from the
 * commit on (everyone signs in again). Owner connection, like the rotation.
 */
export async function retireSigningKeysNow(ownerDb: Db, settings: Pick<TokenSettings, "keyEncryptionSecret">): Promise<string> {
  const key = await newKeyMaterial(createKeyCipher(settings.keyEncryptionSecret));
  await ownerDb.sql.begin(async (tx) => {
    await tx`select auth_add_signing_key(${key.id}, ${ALG}, ${key.publicJwk}::jsonb, ${key.sealed}, '0 seconds'::interval, false)`;
    // Keys in their grace period after an earlier rotation go too.
    await tx`update signing_keys set retire_at = now() where id <> ${key.id} and (retire_at is null or retire_at > now())`;
  });
  return key.id;
}

export type TokenService = ReturnType<typeof createTokenService>;

/**
 * Access tokens: ES256-signed JWTs with issuer, audience, expiry and key id. Keys live in
 * Postgres (private halves encrypted), so every API process signs and verifies with the same set.
 * Private keys are decrypted only to sign; a key that cannot be read is skipped for verification.
 * With `coherence` (API processes), the keys are cached until a change of them is announced, and
 * every use first confirms through the change fence that no announcement is still on its way, so
 * a key retired anywhere is refused everywhere from the next request on.
 */
export function createTokenService(db: Db, settings: TokenSettings, coherence?: KeyCoherence) {
  const cipher = createKeyCipher(settings.keyEncryptionSecret);
  let keys: readonly LoadedKey[] = [];
  let loadedAt = 0;
  let loading: Promise<readonly LoadedKey[]> | undefined;
  let keyLoads = 0;
  const reloadEveryMs = settings.unknownKeyReloadMs ?? 1000;
  const reloadBurst = settings.unknownKeyReloadBurst ?? 5;
  let reloadBudget = reloadBurst;
  let budgetAt = Date.now();
  const privateKeys = new Map<string, Promise<CryptoKey>>();
  /** Grows with every announced change of the keys: a load begun before one is not kept as current. */
  let generation = 0;
  let epoch = coherence?.fence.epoch ?? 0;

  const invalidate = () => {
    generation += 1;
    loadedAt = 0;
    loading = undefined;
  };
  coherence?.changes.subscribe((change) => {
    if (change === undefined || change.kind === "signing-keys") invalidate();
  });

  async function load(): Promise<readonly LoadedKey[]> {
    keyLoads++;
    const began = generation;
    const rows = await db.sql<KeyRow[]>`select id, alg, public_jwk, private_jwk_encrypted, retire_at from auth_signing_keys()`;
    const loaded = await Promise.all(
      rows.map(async (row): Promise<LoadedKey | undefined> => {
        try {
          const publicKey = (await importJWK(row.public_jwk, row.alg)) as CryptoKey;
          return {
            id: row.id,
            alg: row.alg,
            publicJwk: row.public_jwk,
            publicKey,
            privateJwkEncrypted: row.private_jwk_encrypted,
            active: row.retire_at === null,
            retireAt: row.retire_at === null ? null : new Date(row.retire_at).getTime(),
          };
        } catch {
          return undefined;
        }
      }),
    );
    const current = loaded.filter((k): k is LoadedKey => k !== undefined);
    if (began === generation) {
      keys = current;
      loadedAt = Date.now();
      for (const id of privateKeys.keys()) if (!current.some((k) => k.id === id)) privateKeys.delete(id);
    }
    return current;
  }

  function refresh(maxAgeMs: number): Promise<readonly LoadedKey[]> {
    if (Date.now() - loadedAt < maxAgeMs && keys.length > 0 && maxAgeMs > 0) return Promise.resolve(keys);
    if (!loading) {
      const started = load().finally(() => {
        if (loading === started) loading = undefined;
      });
      loading = started;
    }
    return loading;
  }

  /** The keys as of now: every change committed before the call is reflected. */
  async function current(): Promise<readonly LoadedKey[]> {
    if (!coherence) return refresh(FALLBACK_REFRESH_MS);
    const confirmed = await coherence.fence.sync();
    if (coherence.fence.epoch !== epoch) {
      epoch = coherence.fence.epoch;
      invalidate();
    }
    return refresh(confirmed ? FALLBACK_REFRESH_MS : UNCONFIRMED_REFRESH_MS);
  }

  function reloadForUnknownKey(): Promise<readonly LoadedKey[]> {
    if (loading) return loading;
    const now = Date.now();
    reloadBudget = Math.min(reloadBurst, reloadBudget + (now - budgetAt) / reloadEveryMs);
    budgetAt = now;
    if (reloadBudget < 1) return Promise.resolve(keys);
    reloadBudget -= 1;
    return refresh(0);
  }

  function privateKeyOf(key: LoadedKey): Promise<CryptoKey> {
    let found = privateKeys.get(key.id);
    if (!found) {
      found = (async () => {
        let jwk: JWK;
        try {
          jwk = JSON.parse(cipher.decrypt(key.privateJwkEncrypted)) as JWK;
        } catch {
          throw new Error(`Signing key ${key.id} cannot be decrypted: AUTH_KEY_ENCRYPTION_SECRET differs from the one it was made with`);
        }
        return (await importJWK(jwk, key.alg)) as CryptoKey;
      })();
      found.catch(() => privateKeys.delete(key.id));
      privateKeys.set(key.id, found);
    }
    return found;
  }

  async function signingKey(): Promise<LoadedKey> {
    const signing = (await current()).find((k) => k.active);
    if (signing) return signing;
    const first = await newKeyMaterial(cipher);
    await db.sql`select auth_create_first_signing_key(${first.id}, ${ALG}, ${first.publicJwk}::jsonb, ${first.sealed})`;
    const created = (await load()).find((k) => k.active);
    if (!created) throw new Error("No active signing key after creating one");
    return created;
  }

  return {
    /** Creates the first key when there is none. Safe to call from every process at start-up. */
    async ensureKey(): Promise<void> {
      await signingKey();
    },

    async issue(subject: TokenSubject): Promise<IssuedToken> {
      const key = await signingKey();
      const now = Math.floor(Date.now() / 1000);
      const exp = now + settings.ttlSeconds;
      const claims: JWTPayload =
        subject.kind === "member"
          ? { kind: "member", tid: subject.tenantId, gen: subject.generation }
          : { kind: "operator", gen: subject.generation };
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: ALG, kid: key.id, typ: "at+jwt" })
        .setSubject(subject.kind === "member" ? subject.userId : subject.operatorId)
        .setIssuer(settings.issuer)
        .setAudience(settings.audience)
        .setIssuedAt(now)
        .setExpirationTime(exp)
        .setJti(newId("tokenId"))
        .sign(await privateKeyOf(key));
      return { token, expiresAt: new Date(exp * 1000) };
    },

    async verify(token: string): Promise<VerifiedToken> {
      try {
        const { payload } = await jwtVerify(
          token,
          async (header) => {
            const kid = header.kid;
            if (!kid) throw unauthenticated("The token has no key id.");
            // An unknown key id (a key another process just added) reloads the keys, from a
            // budget per process whatever the token claims.
            const usable = (k: LoadedKey) => k.id === kid && published(k);
            const found = (await current()).find(usable) ?? (await reloadForUnknownKey()).find(usable);
            if (!found) throw unauthenticated("The token was signed by an unknown key (or one retired since); sign in again.");
            return found.publicKey;
          },
          { issuer: settings.issuer, audience: settings.audience, algorithms: [ALG], requiredClaims: ["exp", "sub", "jti"] },
        );
        return subjectOf(payload);
      } catch (error) {
        throw toAuthError(error);
      }
    },

    async jwks(): Promise<{ keys: JWK[] }> {
      return { keys: (await current()).filter((k) => published(k)).map((k) => k.publicJwk) };
    },

    /** How often this process has read the signing keys from Postgres. */
    keyLoads(): number {
      return keyLoads;
    },
  };
}

function subjectOf(payload: JWTPayload): VerifiedToken {
  const sub = payload.sub;
  if (typeof sub !== "string") throw unauthenticated("The token has no subject.");
  if (typeof payload.jti !== "string" || typeof payload.exp !== "number") throw unauthenticated("The token has no id.");
  // Tokens from before session generations carry none: generation 0, every account's first.
  const generation = payload.gen === undefined ? 0 : payload.gen;
  if (typeof generation !== "number" || !Number.isSafeInteger(generation)) throw unauthenticated("The token's session is not valid.");
  const token = { tokenId: payload.jti, expiresAt: new Date(payload.exp * 1000), generation };
  if (payload.kind === "member" && typeof payload.tid === "string") {
    return { kind: "member", userId: sub, tenantId: payload.tid, ...token };
  }
  if (payload.kind === "operator") return { kind: "operator", operatorId: sub, ...token };
  throw unauthenticated("The token is not an access token of this platform.");
}

function toAuthError(error: unknown): Error {
  if (error instanceof errors.JWTExpired) return unauthenticated("The token has expired; sign in again.");
  if (error instanceof errors.JWTClaimValidationFailed) {
    return unauthenticated(`The token's "${error.claim}" claim is not valid here.`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return unauthenticated("The token's signature is not valid.");
  if (error instanceof errors.JOSEAlgNotAllowed) return unauthenticated("The token's algorithm is not accepted.");
  if (error instanceof errors.JOSEError) return unauthenticated("The token is malformed or not valid.");
  return error instanceof Error ? error : new Error(String(error));
}
