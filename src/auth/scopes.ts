import { type MemberRole, SCOPES, type Scope } from "../core/roles.js";

export { isScope, SCOPES, type Scope } from "../core/roles.js";

const READ: readonly Scope[] = SCOPES.filter((s) => s.endsWith(":read"));
/** Not models:promote: changing a model's champion is for owners and admins only. */
const ENGINEERING: readonly Scope[] = ["assets:write", "telemetry:write", "models:write"];

/** What each member role may do. Exhaustive: a new role fails to compile until it is listed. */
export function scopesOfRole(role: MemberRole): readonly Scope[] {
  switch (role) {
    case "owner":
      return SCOPES;
    case "admin":
      return SCOPES.filter((s) => s !== "billing:write");
    case "engineer":
      return [...READ.filter((s) => s !== "billing:read" && s !== "audit:read"), ...ENGINEERING];
    case "viewer":
      return READ.filter((s) => s !== "billing:read" && s !== "audit:read" && s !== "apikeys:read");
    case "finance":
      return ["tenant:read", "members:read", "billing:read", "billing:write"];
  }
}
