import { type CryptoKey, errors, exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from "jose";
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
  readonly publicJwk: JWK;
  readonly publicKey: CryptoKey;
  readonly privateKey: CryptoKey;
  readonly active: boolean;
}

interface KeyRow {
  id: string;
  alg: string;
  public_jwk: JWK;
  private_jwk_encrypted: string;
  retire_at: string | null;
}

export type TokenService = ReturnType<typeof createTokenService>;

/**
 * Access tokens: ES256-signed JWTs with issuer, audience, expiry and key id. Keys live in
 * Postgres (private halves encrypted), so every API process signs and verifies with the same set;
 * a rotation adds a key and retires the old one only after its last token expired.
 */
export function createTokenService(db: Db, settings: TokenSettings) {
  const cipher = createKeyCipher(settings.keyEncryptionSecret);
  let keys: readonly LoadedKey[] = [];
  let loadedAt = 0;
  let loading: Promise<readonly LoadedKey[]> | undefined;

  async function load(): Promise<readonly LoadedKey[]> {
    const rows = await db.sql<KeyRow[]>`select id, alg, public_jwk, private_jwk_encrypted, retire_at from auth_signing_keys()`;
    const loaded = await Promise.all(
      rows.map(async (row) => ({
        id: row.id,
        publicJwk: row.public_jwk,
        publicKey: (await importJWK(row.public_jwk, row.alg)) as CryptoKey,
        privateKey: (await importJWK(JSON.parse(cipher.decrypt(row.private_jwk_encrypted)) as JWK, row.alg)) as CryptoKey,
        active: row.retire_at === null,
      })),
    );
    keys = loaded;
    loadedAt = Date.now();
    return loaded;
  }

  function refresh(maxAgeMs: number): Promise<readonly LoadedKey[]> {
    if (Date.now() - loadedAt < maxAgeMs && keys.length > 0) return Promise.resolve(keys);
    loading ??= load().finally(() => {
      loading = undefined;
    });
    return loading;
  }

  async function addKey(onlyIfNone: boolean): Promise<string | undefined> {
    const { publicKey, privateKey } = await generateKeyPair(ALG, { extractable: true });
    const id = newId("signingKey");
    const publicJwk = { ...(await exportJWK(publicKey)), kid: id, alg: ALG, use: "sig" };
    const sealed = cipher.encrypt(JSON.stringify(await exportJWK(privateKey)));
    const grace = `${settings.ttlSeconds + 60} seconds`;
    const [row] = await db.sql<{ added: boolean }[]>`
      select auth_add_signing_key(${id}, ${ALG}, ${JSON.stringify(publicJwk)}::jsonb, ${sealed}, ${grace}::interval, ${onlyIfNone}) as added`;
    await load();
    return row?.added ? id : undefined;
  }

  async function signingKey(): Promise<LoadedKey> {
    const current = (await refresh(30_000)).find((k) => k.active);
    if (current) return current;
    await addKey(true);
    const created = (await load()).find((k) => k.active);
    if (!created) throw new Error("No active signing key after creating one");
    return created;
  }

  return {
    /** Creates the first key when there is none. Safe to call from every process at start-up. */
    async ensureKey(): Promise<void> {
      await signingKey();
    },

    /** Adds a new signing key; tokens signed by the previous one stay valid until they expire. */
    async rotate(): Promise<string> {
      const id = await addKey(false);
      if (!id) throw new Error("Signing key rotation did not add a key");
      return id;
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
        .setJti(newId("signingKey").replace("sig_", "jti_"))
        .sign(key.privateKey);
      return { token, expiresAt: new Date(exp * 1000) };
    },

    async verify(token: string): Promise<TokenSubject> {
      try {
        const { payload } = await jwtVerify(
          token,
          async (header) => {
            const kid = header.kid;
            if (!kid) throw unauthenticated("The token has no key id.");
            const found = (await refresh(30_000)).find((k) => k.id === kid) ?? (await refresh(1_000)).find((k) => k.id === kid);
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
