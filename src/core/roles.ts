/** The scopes a principal may hold: every tenant verb is called under one of them. */
export const SCOPES = [
  "tenant:read",
  "tenant:write",
  "members:read",
  "members:write",
  "apikeys:read",
  "apikeys:write",
  "audit:read",
  "assets:read",
  "assets:write",
  "telemetry:read",
  "telemetry:write",
  "models:read",
  "models:write",
  "models:promote",
  "billing:read",
  "billing:write",
] as const;

export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** A member's role in a tenant. */
export const MEMBER_ROLES = ["owner", "admin", "engineer", "viewer", "finance"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** An operator's (the machine maker's staff) role. */
export const OPERATOR_ROLES = ["support", "finance"] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];
