import type { PublicContext } from "../auth/index.js";
import { notFound, validation } from "../core/errors.js";
import { sha256 } from "../core/secrets.js";
import type { MemberRole } from "./schema.js";

/** Where an invitation stands: only an open one can be accepted. */
export type InvitationState = "open" | "expired" | "revoked" | "accepted";

/** What the page an invitation link opens shows before anyone types a password. */
export interface InvitationPreview {
  readonly tenantName: string;
  readonly email: string;
  readonly role: MemberRole;
  readonly expiresAt: Date;
  readonly state: InvitationState;
  /** Whether the invited address has an account: its password is asked, not a new one. */
  readonly hasAccount: boolean;
}

interface PreviewRow {
  tenant_name: string;
  email: string;
  role: MemberRole;
  // Raw rows through the drizzle-configured client keep timestamps as text.
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
  has_account: boolean;
}

/** Invitation tokens are 32 random bytes in base64url (43 characters); anything else cannot be one. */
const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

/** The page an invitation link opens: the link's path with the token in the fragment, which browsers never send to a server. */
export function invitationUrl(portalUrl: string, token: string): string {
  return `${portalUrl.replace(/\/+$/, "")}/invitation#${token}`;
}

/** Describes the invitation a link holds, for its holder alone: the token is the only key. */
export async function describeInvitation(ctx: PublicContext, input: { token: string }): Promise<InvitationPreview> {
  const token = input.token.trim();
  if (!TOKEN.test(token)) {
    throw validation("This is not an invitation link's token: open the link from the invitation as it was sent.", { field: "token" });
  }
  const [row] = await ctx.db.sql<PreviewRow[]>`
    select tenant_name, email, role, expires_at, accepted_at, revoked_at, has_account from auth_describe_invitation(${sha256(token)})`;
  if (!row) throw notFound("Invitation", "for this link");
  const expiresAt = new Date(row.expires_at);
  const state: InvitationState = row.accepted_at
    ? "accepted"
    : row.revoked_at
      ? "revoked"
      : expiresAt.getTime() < Date.now()
        ? "expired"
        : "open";
  // Whether the address has an account matters only to join; a closed link (forwarded, or kept after it was withdrawn) does not tell it.
  return {
    tenantName: row.tenant_name,
    email: row.email,
    role: row.role,
    expiresAt,
    state,
    hasAccount: state === "open" && row.has_account,
  };
}
