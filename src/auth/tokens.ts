import {
  type CryptoKey,
  decodeJwt,
  errors,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from "jose";
import { unauthenticated } from "../core/errors.js";
import { newId } from "../core/ids.js";
import type { Db } from "../db/client.js";
import { createKeyCipher } from "./key-encryption.js";

const ALG = "ES256";

export type TokenSubject =
  | { readonly kind: "member"; readonly userId: string; readonly tenantId: string }
  | { readonly kind: "operator"; readonly operatorId: string };

export interface IssuedToken {
  readonly token: string;
  readonly expiresAt: Date;
}

export interface TokenSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
  readonly keyEncryptionSecret: string;
}

interface LoadedKey {
  readonly id: string;
  readonly alg: string;
  readonly publicJwk: JWK;
  readonly publicKey: CryptoKey;
  readonly privateJwkEncrypted: string;
  readonly active: boolean;
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
 * connection; API processes pick the new key up within 30 seconds.
 */
export async function rotateSigningKey(ownerDb: Db, settings: Pick<TokenSettings, "ttlSeconds" | "keyEncryptionSecret">): Promise<string> {
  const key = await newKeyMaterial(createKeyCipher(settings.keyEncryptionSecret));
  const grace = `${settings.ttlSeconds + 60} seconds`;
  await ownerDb.sql`select auth_add_signing_key(${key.id}, ${ALG}, ${key.publicJwk}::jsonb, ${key.sealed}, ${grace}::interval, false)`;
  return key.id;
}

export type TokenService = ReturnType<typeof createTokenService>;

/**
 * Access tokens: ES256-signed JWTs with issuer, audience, expiry and key id. Keys live in
 * Postgres (private halves encrypted), so every API process signs and verifies with the same set.
 * Private keys are decrypted only to sign; a key that cannot be read is skipped for verification.
 */
export function createTokenService(db: Db, settings: TokenSettings) {
  const cipher = createKeyCipher(settings.keyEncryptionSecret);
  let keys: readonly LoadedKey[] = [];
  let loadedAt = 0;
  let loading: Promise<readonly LoadedKey[]> | undefined;
  const privateKeys = new Map<string, Promise<CryptoKey>>();

  async function load(): Promise<readonly LoadedKey[]> {
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
          };
        } catch {
          return undefined;
        }
      }),
    );
    keys = loaded.filter((k): k is LoadedKey => k !== undefined);
    loadedAt = Date.now();
    return keys;
  }

  function refresh(maxAgeMs: number): Promise<readonly LoadedKey[]> {
    if (Date.now() - loadedAt < maxAgeMs && keys.length > 0 && maxAgeMs > 0) return Promise.resolve(keys);
    loading ??= load().finally(() => {
      loading = undefined;
    });
    return loading;
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
    const current = (await refresh(30_000)).find((k) => k.active);
    if (current) return current;
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
      const claims: JWTPayload = subject.kind === "member" ? { kind: "member", tid: subject.tenantId } : { kind: "operator" };
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

    async verify(token: string): Promise<TokenSubject> {
      try {
        const { payload } = await jwtVerify(
          token,
          async (header) => {
            const kid = header.kid;
            if (!kid) throw unauthenticated("The token has no key id.");
            // An unknown key id: reload when the cache may predate the token (iat has whole seconds),
            // at most every 100 ms otherwise.
            const issuedAt = (decodeJwt(token).iat ?? 0) * 1000;
            const known = (await refresh(30_000)).find((k) => k.id === kid);
            const found = known ?? (await refresh(loadedAt < issuedAt + 1000 ? 0 : 100)).find((k) => k.id === kid);
            if (!found) throw unauthenticated("The token was signed by an unknown key.");
            return found.publicKey;
          },
          { issuer: settings.issuer, audience: settings.audience, algorithms: [ALG], requiredClaims: ["exp", "sub"] },
        );
        return subjectOf(payload);
      } catch (error) {
        throw toAuthError(error);
      }
    },

    async jwks(): Promise<{ keys: JWK[] }> {
      return { keys: (await refresh(30_000)).map((k) => k.publicJwk) };
    },
  };
}

function subjectOf(payload: JWTPayload): TokenSubject {
  const sub = payload.sub;
  if (typeof sub !== "string") throw unauthenticated("The token has no subject.");
  if (payload.kind === "member" && typeof payload.tid === "string") {
    return { kind: "member", userId: sub, tenantId: payload.tid };
  }
  if (payload.kind === "operator") return { kind: "operator", operatorId: sub };
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
