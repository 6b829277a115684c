import type { Db, Tx } from "../db/client.js";
import type { MemberRole, OperatorRole, Scope } from "./roles.js";

/** Who is calling: built once per request, passed down, never rebuilt. */
export type Principal = MemberPrincipal | ApiKeyPrincipal | OperatorPrincipal | AnonymousPrincipal;

/** The access token a request came with: its id and expiry, to sign this one token out. */
export interface TokenSession {
  readonly tokenId: string;
  readonly expiresAt: Date;
}

export interface MemberPrincipal {
  readonly kind: "member";
  readonly tenantId: string;
  readonly userId: string;
  readonly role: MemberRole;
  readonly scopes: readonly Scope[];
  /** Set when the caller came with an access token (not for verbs run on a member's behalf). */
  readonly session?: TokenSession;
}

export interface ApiKeyPrincipal {
  readonly kind: "apiKey";
  readonly tenantId: string;
  readonly apiKeyId: string;
  readonly scopes: readonly Scope[];
}

export interface OperatorPrincipal {
  readonly kind: "operator";
  readonly operatorId: string;
  readonly role: OperatorRole;
  readonly session?: TokenSession;
}

export interface AnonymousPrincipal {
  readonly kind: "anonymous";
}

/** A background job (a Temporal workflow's activities) acting inside one tenant, never from a request. */
export interface WorkflowPrincipal {
  readonly kind: "workflow";
  readonly tenantId: string;
  readonly workflowId: string;
  readonly scopes: readonly Scope[];
}

/** A device writing telemetry inside its tenant: by its token over HTTP, by its topic over MQTT. */
export interface DevicePrincipal {
  readonly kind: "device";
  readonly tenantId: string;
  readonly deviceId: string;
  /** Always DEVICE_SCOPES: a device writes telemetry and nothing else. */
  readonly scopes: readonly Scope[];
}

export const DEVICE_SCOPES: readonly Scope[] = ["telemetry:write"];

export type TenantPrincipal = MemberPrincipal | ApiKeyPrincipal | WorkflowPrincipal | DevicePrincipal;

/**
 * The first argument of every tenant verb, `verb(ctx, input)`: the caller, its tenant's
 * transaction, the request id and the long-lived dependencies the verb uses. Each capability
 * names the dependencies its verbs need as `D` (a structural subset of what the process builds),
 * so a verb says what it uses and nothing is threaded by hand.
 */
export interface TenantContext<D = unknown> {
  readonly principal: TenantPrincipal;
  readonly tx: Tx;
  readonly requestId: string;
  readonly deps: D;
}

/**
 * The first argument of every operator verb: the machine maker's staff member, the operator
 * database role (read-only on tenant data; each verb logs its access there) and the request id.
 */
export interface OperatorContext<D = unknown> {
  readonly principal: OperatorPrincipal;
  readonly opsDb: Db;
  readonly requestId: string;
  readonly deps: D;
}

/** Where verbs read the time, so a test or a replay can set it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function actorOf(principal: TenantPrincipal | OperatorPrincipal): { kind: string; id: string } {
  switch (principal.kind) {
    case "workflow":
      return { kind: "workflow", id: principal.workflowId };
    case "device":
      return { kind: "device", id: principal.deviceId };
    case "member":
      return { kind: "user", id: principal.userId };
    case "apiKey":
      return { kind: "api_key", id: principal.apiKeyId };
    case "operator":
      return { kind: "operator", id: principal.operatorId };
  }
}
