import { timingSafeEqual } from "node:crypto";
import type { Principal } from "../core/context.js";
import { unauthenticated } from "../core/errors.js";
import type { MemberRole, OperatorRole } from "../core/roles.js";
import { sha256 } from "../core/secrets.js";
import type { Db } from "../db/client.js";
import { parseApiKey } from "./api-keys.js";
import { isScope, scopesOfRole } from "./scopes.js";
import type { TokenService } from "./tokens.js";

const SIGNED_OUT = "This session has ended (signed out, or the password changed); sign in again.";

export interface PrincipalDeps {
  readonly db: Db;
  readonly opsDb: Db;
  readonly tokens: TokenService;
}

/**
 * Builds the caller from the Authorization header, once per request: a signed access token
 * (member or operator) or a partner API key. Memberships and operators are re-read, so a
 * removed member or a disabled operator is refused at once, not when the token expires.
 */
export async function resolvePrincipal(deps: PrincipalDeps, authorization: string | undefined): Promise<Principal> {
  if (authorization === undefined || authorization.trim() === "") return { kind: "anonymous" };
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  const credential = match?.[1];
  if (!credential) throw unauthenticated('The Authorization header must be "Bearer <token>".');
  if (credential.startsWith("pdm_")) return apiKeyPrincipal(deps, credential);
  const subject = await deps.tokens.verify(credential);
  const session = { tokenId: subject.tokenId, expiresAt: subject.expiresAt };
  if (subject.kind === "operator") {
    // The operators' own table, read by name: the operators capability builds on this one.
    const [row] = await deps.opsDb.sql<{ id: string; role: OperatorRole; generation: number }[]>`
      select id, role, session_generation as generation from operators where id = ${subject.operatorId} and disabled_at is null`;
    if (!row) throw unauthenticated("This operator account is disabled or gone.");
    if (row.generation !== subject.generation) throw unauthenticated(SIGNED_OUT);
    return { kind: "operator", operatorId: row.id, role: row.role, session };
  }
  // One round trip: the membership, the user's session generation and this token's sign-out.
  const [row] = await deps.db.sql<{ role: MemberRole | null }[]>`
    select auth_member_session(${subject.tenantId}, ${subject.userId}, ${subject.generation}, ${subject.tokenId}) as role`;
  const role = row?.role;
  if (!role) throw unauthenticated(`You are no longer a member of this tenant, or ${SIGNED_OUT.toLowerCase()}`);
  return { kind: "member", tenantId: subject.tenantId, userId: subject.userId, role, scopes: scopesOfRole(role), session };
}

/**
 * A partner key acts for the member who created it: its scopes intersected with that member's
 * scopes now (the role is re-read in the key's own lookup, no extra round trip). A key whose
 * creator left the tenant, or one created by a key since revoked, is refused as unauthenticated.
 */
async function apiKeyPrincipal(deps: PrincipalDeps, credential: string): Promise<Principal> {
  const parsed = parseApiKey(credential);
  if (!parsed) throw unauthenticated("The API key is malformed.");
  const [row] = await deps.db.sql<
    { tenant_id: string; id: string; secret_hash: string; scopes: string[]; revoked_at: string | null; creator_role: MemberRole | null }[]
  >`select tenant_id, id, secret_hash, scopes, revoked_at, creator_role from auth_find_api_key(${parsed.prefix})`;
  const presented = Buffer.from(sha256(parsed.secret), "hex");
  const stored = Buffer.from(row?.secret_hash ?? "0".repeat(64), "hex");
  if (!row || !timingSafeEqual(presented, stored)) throw unauthenticated("The API key is not valid.");
  if (row.revoked_at) throw unauthenticated("The API key has been revoked.");
  if (!row.creator_role) {
    throw unauthenticated(
      "The member who created this API key is no longer in the tenant, or the key that created it was revoked; ask an owner or admin for a new key.",
    );
  }
  const held = scopesOfRole(row.creator_role);
  await deps.db.sql`select auth_touch_api_key(${parsed.prefix})`;
  return { kind: "apiKey", tenantId: row.tenant_id, apiKeyId: row.id, scopes: row.scopes.filter(isScope).filter((s) => held.includes(s)) };
}
