import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { buildApiSchema } from "../src/api/schema.js";
import { SCOPES, type Scope } from "../src/auth/scopes.js";
import { newId } from "../src/core/ids.js";
import type { ScoreFleetWorkflow } from "../src/mlops/index.js";
import { SCORE_FLEET } from "../src/mlops/index.js";
import * as ops from "./generated/graphql.js";
import { financeOperatorToken, planInput } from "./support/billing.js";
import {
  type Api,
  addMember,
  type GqlResult,
  gql,
  gqlOk,
  newApiKey,
  newFleet,
  newOperator,
  newTenant,
  PASSWORD,
  startApi,
  type TestTenant,
  uniqueEmail,
} from "./support/harness.js";
import { registerTestVersion, seedAlert, seedMlopsRows } from "./support/models.js";
import { subscribeOnce } from "./support/subscription.js";
import { temporalClient } from "./support/worker.js";

/** Everything the checks need: two tenants with data, an operator, keys lacking one scope each. */
interface Fixture {
  api: Api;
  a: TestTenant;
  b: TestTenant & { memberId: string; invitationId: string; apiKeyId: string; apiKeySecret: string; fleet: Fleet; model: TestModel };
  aFleet: Fleet;
  aModel: TestModel;
  operatorToken: string;
  operatorEmail: string;
  /** All of B's ids: none may appear in anything A is shown. */
  bIds: string[];
  keyWithout(scope: Scope): Promise<string>;
}

type Fleet = Awaited<ReturnType<typeof newFleet>>;
type TestModel = {
  modelId: string;
  versionId: string;
  runId: string;
  predictionId: string;
  checkId: string;
  scoringRunId: string;
  alertId: string;
  webhookId: string;
};
type Call = (f: Fixture, token: string | undefined) => Promise<GqlResult<unknown>>;
type Expected = "OK" | "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "VALIDATION" | "CONFLICT";

/**
 * Every GraphQL operation, with who may call it and how it is called with the other tenant's
 * ids. The suite refuses to run when an operation of the schema is missing here.
 */
interface OperationCase {
  readonly access: { kind: "tenant"; scope: Scope } | { kind: "public" } | { kind: "operator" } | { kind: "anyone signed in" };
  /** As tenant A's owner, aimed at tenant B: NOT_FOUND, or an answer that shows nothing of B. */
  readonly crossTenant?: { call: Call; expect: "NOT_FOUND" | "NOTHING_OF_B" };
  /** A call with input a person got wrong. */
  readonly badInput: { call: Call; expect: Expected };
  /** For the access checks, when there is no cross-tenant call: a valid call made with the given token. */
  readonly probe?: Call;
}

/** A closed range of whole UTC hours for the billing views. */
const BILLING_FROM = "2026-01-01T00:00:00Z";
const BILLING_TO = "2026-01-03T00:00:00Z";

const CASES: Record<string, OperationCase> = {
  // Queries
  viewer: {
    access: { kind: "anyone signed in" },
    crossTenant: { call: (f, t) => gql(f.api, ops.ViewerDocument, {}, t), expect: "NOTHING_OF_B" },
    badInput: { call: (f) => gql(f.api, ops.ViewerDocument, {}, "not-a-token"), expect: "UNAUTHENTICATED" },
  },
  tenant: {
    access: { kind: "tenant", scope: "tenant:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.TenantDocument, {}, t), expect: "NOTHING_OF_B" },
    badInput: { call: (f) => gql(f.api, ops.TenantDocument, {}, `${f.a.token}x`), expect: "UNAUTHENTICATED" },
  },
  members: {
    access: { kind: "tenant", scope: "members:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.MembersDocument, { first: 100 }, t), expect: "NOTHING_OF_B" },
    badInput: { call: (f, t) => gql(f.api, ops.MembersDocument, { first: 0 }, t), expect: "VALIDATION" },
  },
  member: {
    access: { kind: "tenant", scope: "members:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.MemberDocument, { userId: f.b.memberId }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.MemberDocument, { userId: "" }, t), expect: "NOT_FOUND" },
  },
  invitations: {
    access: { kind: "tenant", scope: "members:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.InvitationsDocument, { first: 100 }, t), expect: "NOTHING_OF_B" },
    badInput: { call: (f, t) => gql(f.api, ops.InvitationsDocument, { after: "not-a-cursor" }, t), expect: "VALIDATION" },
  },
  apiKeys: {
    access: { kind: "tenant", scope: "apikeys:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.ApiKeysDocument, { first: 100 }, t), expect: "NOTHING_OF_B" },
    badInput: { call: (f, t) => gql(f.api, ops.ApiKeysDocument, { first: 101 }, t), expect: "VALIDATION" },
  },
  auditLog: {
    access: { kind: "tenant", scope: "audit:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.AuditLogDocument, { first: 100 }, t), expect: "NOTHING_OF_B" },
    badInput: { call: (f, t) => gql(f.api, ops.AuditLogDocument, { first: -1 }, t), expect: "VALIDATION" },
  },
  invitationPreview: {
    access: { kind: "public" },
    badInput: { call: (f) => gql(f.api, ops.InvitationPreviewDocument, { token: "not a token\u0000" }), expect: "VALIDATION" },
  },
  operator: {
    access: { kind: "operator" },
    probe: (f, t) => gql(f.api, ops.OperatorDocument, {}, t),
    badInput: { call: (f) => gql(f.api, ops.OperatorDocument, {}, "x.y.z"), expect: "UNAUTHENTICATED" },
  },
  operatorTenants: {
    access: { kind: "operator" },
    probe: (f, t) => gql(f.api, ops.OperatorTenantsDocument, { reason: "ticket 7: weekly review" }, t),
    badInput: { call: (f) => gql(f.api, ops.OperatorTenantsDocument, { reason: "" }, f.operatorToken), expect: "VALIDATION" },
  },
  operatorTenant: {
    access: { kind: "operator" },
    probe: (f, t) => gql(f.api, ops.OperatorTenantDocument, { tenantId: f.a.tenantId, reason: "ticket 8: customer call" }, t),
    badInput: {
      call: (f) => gql(f.api, ops.OperatorTenantDocument, { tenantId: "ten_missing", reason: "ticket 42: customer call" }, f.operatorToken),
      expect: "NOT_FOUND",
    },
  },
  operatorTenantFleet: {
    access: { kind: "operator" },
    probe: (f, t) => gql(f.api, ops.OperatorTenantFleetDocument, { tenantId: f.a.tenantId, reason: "ticket 13: machine check" }, t),
    badInput: {
      call: (f) =>
        gql(f.api, ops.OperatorTenantFleetDocument, { tenantId: "ten_missing", reason: "ticket 13: machine check" }, f.operatorToken),
      expect: "NOT_FOUND",
    },
  },
  // Mutations
  signUp: {
    access: { kind: "public" },
    badInput: {
      call: (f) =>
        gql(f.api, ops.SignUpDocument, { input: { tenantName: "X Corp", email: "not-an-email", name: "X", password: PASSWORD } }),
      expect: "VALIDATION",
    },
  },
  signIn: {
    access: { kind: "public" },
    crossTenant: {
      call: (f) => gql(f.api, ops.SignInDocument, { input: { email: f.a.ownerEmail, password: PASSWORD, tenantId: f.b.tenantId } }),
      expect: "NOT_FOUND",
    },
    badInput: {
      call: (f) => gql(f.api, ops.SignInDocument, { input: { email: f.a.ownerEmail, password: "wrong password!!" } }),
      expect: "UNAUTHENTICATED",
    },
  },
  acceptInvitation: {
    access: { kind: "public" },
    badInput: {
      call: (f) => gql(f.api, ops.AcceptInvitationDocument, { input: { token: "forged", password: PASSWORD } }),
      expect: "NOT_FOUND",
    },
  },
  signOut: {
    access: { kind: "anyone signed in" },
    probe: (f, t) => gql(f.api, ops.SignOutDocument, {}, t),
    badInput: { call: (f) => gql(f.api, ops.SignOutDocument, {}, `${f.a.token}x`), expect: "UNAUTHENTICATED" },
  },
  signOutEverywhere: {
    access: { kind: "anyone signed in" },
    probe: (f, t) => gql(f.api, ops.SignOutEverywhereDocument, {}, t),
    badInput: { call: (f) => gql(f.api, ops.SignOutEverywhereDocument, {}, `${f.a.token}x`), expect: "UNAUTHENTICATED" },
  },
  changePassword: {
    access: { kind: "anyone signed in" },
    probe: (f, t) => gql(f.api, ops.ChangePasswordDocument, { input: { currentPassword: PASSWORD, newPassword: `${PASSWORD} again` } }, t),
    badInput: {
      call: (f, t) => gql(f.api, ops.ChangePasswordDocument, { input: { currentPassword: PASSWORD, newPassword: "password1234" } }, t),
      expect: "VALIDATION",
    },
  },
  operatorSignIn: {
    access: { kind: "public" },
    badInput: {
      call: (f) => gql(f.api, ops.OperatorSignInDocument, { input: { email: f.a.ownerEmail, password: PASSWORD } }),
      expect: "UNAUTHENTICATED",
    },
  },
  renameTenant: {
    access: { kind: "tenant", scope: "tenant:write" },
    crossTenant: { call: (f, t) => gql(f.api, ops.RenameTenantDocument, { name: "Tenant A renamed" }, t), expect: "NOTHING_OF_B" },
    badInput: { call: (f, t) => gql(f.api, ops.RenameTenantDocument, { name: " " }, t), expect: "VALIDATION" },
  },
  updateMemberRole: {
    access: { kind: "tenant", scope: "members:write" },
    crossTenant: {
      call: (f, t) => gql(f.api, ops.UpdateMemberRoleDocument, { userId: f.b.memberId, role: "ADMIN" }, t),
      expect: "NOT_FOUND",
    },
    badInput: { call: (f, t) => gql(f.api, ops.UpdateMemberRoleDocument, { userId: f.a.ownerId, role: "ADMIN" }, t), expect: "CONFLICT" },
  },
  removeMember: {
    access: { kind: "tenant", scope: "members:write" },
    crossTenant: { call: (f, t) => gql(f.api, ops.RemoveMemberDocument, { userId: f.b.memberId }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.RemoveMemberDocument, { userId: f.a.ownerId }, t), expect: "CONFLICT" },
  },
  createInvitation: {
    access: { kind: "tenant", scope: "members:write" },
    crossTenant: {
      call: (f, t) => gql(f.api, ops.CreateInvitationDocument, { email: uniqueEmail("cross"), role: "VIEWER" }, t),
      expect: "NOTHING_OF_B",
    },
    badInput: { call: (f, t) => gql(f.api, ops.CreateInvitationDocument, { email: "nobody", role: "VIEWER" }, t), expect: "VALIDATION" },
  },
  revokeInvitation: {
    access: { kind: "tenant", scope: "members:write" },
    crossTenant: { call: (f, t) => gql(f.api, ops.RevokeInvitationDocument, { id: f.b.invitationId }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.RevokeInvitationDocument, { id: "inv_nope" }, t), expect: "NOT_FOUND" },
  },
  createApiKey: {
    access: { kind: "tenant", scope: "apikeys:write" },
    crossTenant: {
      call: (f, t) => gql(f.api, ops.CreateApiKeyDocument, { input: { name: "cross", scopes: ["tenant:read"] } }, t),
      expect: "NOTHING_OF_B",
    },
    badInput: {
      call: (f, t) => gql(f.api, ops.CreateApiKeyDocument, { input: { name: "bad", scopes: ["everything:write"] } }, t),
      expect: "VALIDATION",
    },
  },
  revokeApiKey: {
    access: { kind: "tenant", scope: "apikeys:write" },
    crossTenant: { call: (f, t) => gql(f.api, ops.RevokeApiKeyDocument, { id: f.b.apiKeyId }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.RevokeApiKeyDocument, { id: "key_nope" }, t), expect: "NOT_FOUND" },
  },
  // Assets and devices
  assetTypes: {
    access: { kind: "tenant", scope: "assets:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.AssetTypesDocument, { first: 100 }, t), expect: "NOTHING_OF_B" },
    badInput: { call: (f, t) => gql(f.api, ops.AssetTypesDocument, { first: 0 }, t), expect: "VALIDATION" },
  },
  assetType: {
    access: { kind: "tenant", scope: "assets:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.AssetTypeDocument, { id: f.b.fleet.typeId }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.AssetTypeDocument, { id: "atp_nope" }, t), expect: "NOT_FOUND" },
  },
  createAssetType: {
    access: { kind: "tenant", scope: "assets:write" },
    crossTenant: {
      call: (f, t) =>
        gql(f.api, ops.CreateAssetTypeDocument, { input: { key: `pump_${Date.now()}`, name: "Pump", sensors: [{ key: "rpm" }] } }, t),
      expect: "NOTHING_OF_B",
    },
    badInput: {
      call: (f, t) => gql(f.api, ops.CreateAssetTypeDocument, { input: { key: "Bad Key", name: "X", sensors: [] } }, t),
      expect: "VALIDATION",
    },
  },
  addSensors: {
    access: { kind: "tenant", scope: "assets:write" },
    crossTenant: {
      call: (f, t) => gql(f.api, ops.AddSensorsDocument, { assetTypeId: f.b.fleet.typeId, sensors: [{ key: "extra" }] }, t),
      expect: "NOT_FOUND",
    },
    badInput: {
      call: (f, t) => gql(f.api, ops.AddSensorsDocument, { assetTypeId: f.aFleet.typeId, sensors: [{ key: "s1" }] }, t),
      expect: "CONFLICT",
    },
  },
  assets: {
    access: { kind: "tenant", scope: "assets:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.AssetsDocument, { first: 100 }, t), expect: "NOTHING_OF_B" },
    badInput: { call: (f, t) => gql(f.api, ops.AssetsDocument, { first: 0 }, t), expect: "VALIDATION" },
  },
  asset: {
    access: { kind: "tenant", scope: "assets:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.AssetDocument, { id: f.b.fleet.assets[0]?.id ?? "" }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.AssetDocument, { id: "ast_nope" }, t), expect: "NOT_FOUND" },
  },
  createAsset: {
    access: { kind: "tenant", scope: "assets:write" },
    crossTenant: {
      call: (f, t) => gql(f.api, ops.CreateAssetDocument, { input: { assetTypeId: f.b.fleet.typeId, externalId: "x1", name: "X" } }, t),
      expect: "NOT_FOUND",
    },
    badInput: {
      call: (f, t) => gql(f.api, ops.CreateAssetDocument, { input: { assetTypeId: f.aFleet.typeId, externalId: "bad id!", name: "X" } }, t),
      expect: "VALIDATION",
    },
  },
  updateAsset: {
    access: { kind: "tenant", scope: "assets:write" },
    crossTenant: {
      call: (f, t) => gql(f.api, ops.UpdateAssetDocument, { input: { id: f.b.fleet.assets[0]?.id ?? "", name: "Mine" } }, t),
      expect: "NOT_FOUND",
    },
    badInput: {
      call: (f, t) =>
        gql(f.api, ops.UpdateAssetDocument, { input: { id: f.aFleet.assets[0]?.id ?? "", parentId: f.aFleet.assets[0]?.id ?? "" } }, t),
      expect: "VALIDATION",
    },
  },
  devices: {
    access: { kind: "tenant", scope: "assets:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.DevicesDocument, { first: 100 }, t), expect: "NOTHING_OF_B" },
    badInput: { call: (f, t) => gql(f.api, ops.DevicesDocument, { first: 0 }, t), expect: "VALIDATION" },
  },
  device: {
    access: { kind: "tenant", scope: "assets:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.DeviceDocument, { id: f.b.fleet.deviceId }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.DeviceDocument, { id: "dev_nope" }, t), expect: "NOT_FOUND" },
  },
  createDevice: {
    access: { kind: "tenant", scope: "assets:write" },
    crossTenant: {
      call: (f, t) => gql(f.api, ops.CreateDeviceDocument, { input: { name: "Sneaky", assetIds: [f.b.fleet.assets[0]?.id ?? ""] } }, t),
      expect: "NOT_FOUND",
    },
    badInput: { call: (f, t) => gql(f.api, ops.CreateDeviceDocument, { input: { name: " ", assetIds: [] } }, t), expect: "VALIDATION" },
  },
  setDeviceAssets: {
    access: { kind: "tenant", scope: "assets:write" },
    crossTenant: {
      call: (f, t) =>
        gql(f.api, ops.SetDeviceAssetsDocument, { deviceId: f.aFleet.deviceId, assetIds: [f.b.fleet.assets[0]?.id ?? ""] }, t),
      expect: "NOT_FOUND",
    },
    badInput: { call: (f, t) => gql(f.api, ops.SetDeviceAssetsDocument, { deviceId: "dev_nope", assetIds: [] }, t), expect: "NOT_FOUND" },
  },
  createDeviceToken: {
    access: { kind: "tenant", scope: "assets:write" },
    crossTenant: { call: (f, t) => gql(f.api, ops.CreateDeviceTokenDocument, { deviceId: f.b.fleet.deviceId }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.CreateDeviceTokenDocument, { deviceId: "dev_nope" }, t), expect: "NOT_FOUND" },
  },
  revokeDeviceToken: {
    access: { kind: "tenant", scope: "assets:write" },
    crossTenant: { call: (f, t) => gql(f.api, ops.RevokeDeviceTokenDocument, { id: f.b.fleet.tokenId }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.RevokeDeviceTokenDocument, { id: "dtk_nope" }, t), expect: "NOT_FOUND" },
  },
  // Telemetry
  telemetry: {
    access: { kind: "tenant", scope: "telemetry:read" },
    crossTenant: {
      call: (f, t) =>
        gql(
          f.api,
          ops.TelemetryDocument,
          { assetId: f.b.fleet.assets[0]?.id ?? "", from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" },
          t,
        ),
      expect: "NOT_FOUND",
    },
    badInput: {
      call: (f, t) =>
        gql(
          f.api,
          ops.TelemetryDocument,
          { assetId: f.aFleet.assets[0]?.id ?? "", from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z" },
          t,
        ),
      expect: "VALIDATION",
    },
  },
  telemetryAggregate: {
    access: { kind: "tenant", scope: "telemetry:read" },
    crossTenant: {
      call: (f, t) =>
        gql(
          f.api,
          ops.TelemetryAggregateDocument,
          {
            assetId: f.b.fleet.assets[0]?.id ?? "",
            from: "2026-01-01T00:00:00Z",
            to: "2026-01-02T00:00:00Z",
            windowSeconds: 3600,
            aggregate: "MEAN",
          },
          t,
        ),
      expect: "NOT_FOUND",
    },
    badInput: {
      call: (f, t) =>
        gql(
          f.api,
          ops.TelemetryAggregateDocument,
          {
            assetId: f.aFleet.assets[0]?.id ?? "",
            from: "2026-01-01T00:00:00Z",
            to: "2026-01-02T00:00:00Z",
            windowSeconds: 0,
            aggregate: "MEAN",
          },
          t,
        ),
      expect: "VALIDATION",
    },
  },
  latestTelemetry: {
    access: { kind: "tenant", scope: "telemetry:read" },
    crossTenant: {
      call: (f, t) => gql(f.api, ops.LatestTelemetryDocument, { assetId: f.b.fleet.assets[0]?.id ?? "" }, t),
      expect: "NOT_FOUND",
    },
    badInput: {
      call: (f, t) => gql(f.api, ops.LatestTelemetryDocument, { assetId: f.aFleet.assets[0]?.id ?? "", sensors: ["nope"] }, t),
      expect: "VALIDATION",
    },
  },
  recordMaintenanceEvent: {
    access: { kind: "tenant", scope: "assets:write" },
    crossTenant: {
      call: (f, t) =>
        gql(
          f.api,
          ops.RecordMaintenanceEventDocument,
          { input: { assetId: f.b.fleet.assets[0]?.id ?? "", kind: "REPAIR", occurredAt: "2026-01-01T00:00:00Z" } },
          t,
        ),
      expect: "NOT_FOUND",
    },
    badInput: {
      call: (f, t) =>
        gql(
          f.api,
          ops.RecordMaintenanceEventDocument,
          { input: { assetId: f.aFleet.assets[0]?.id ?? "", kind: "FAILURE", occurredAt: "2999-01-01T00:00:00Z" } },
          t,
        ),
      expect: "VALIDATION",
    },
  },
  maintenanceEvents: {
    access: { kind: "tenant", scope: "assets:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.MaintenanceEventsDocument, { first: 100 }, t), expect: "NOTHING_OF_B" },
    badInput: {
      call: (f, t) =>
        gql(
          f.api,
          ops.MaintenanceEventsDocument,
          { assetId: f.aFleet.assets[0]?.id ?? "", from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" },
          t,
        ),
      expect: "VALIDATION",
    },
  },
  models: {
    access: { kind: "tenant", scope: "models:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.ModelsDocument, {}, t), expect: "NOTHING_OF_B" },
    badInput: { call: (f, t) => gql(f.api, ops.ModelsDocument, { assetTypeId: "atp_unknown", task: "RUL" }, t), expect: "NOT_FOUND" },
  },
  model: {
    access: { kind: "tenant", scope: "models:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.ModelDocument, { id: f.b.model.modelId }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.ModelDocument, { id: "" }, t), expect: "NOT_FOUND" },
  },
  modelVersions: {
    access: { kind: "tenant", scope: "models:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.ModelVersionsDocument, { modelId: f.b.model.modelId }, t), expect: "NOT_FOUND" },
    badInput: {
      call: (f, t) => gql(f.api, ops.ModelVersionsDocument, { modelId: f.aModel.modelId, first: 1000 }, t),
      expect: "VALIDATION",
    },
  },
  modelVersion: {
    access: { kind: "tenant", scope: "models:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.ModelVersionDocument, { id: f.b.model.versionId }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.ModelVersionDocument, { id: "mdv_nope" }, t), expect: "NOT_FOUND" },
  },
  promoteModelVersion: {
    access: { kind: "tenant", scope: "models:promote" },
    crossTenant: {
      call: (f, t) => gql(f.api, ops.PromoteModelVersionDocument, { versionId: f.b.model.versionId, reason: "steal" }, t),
      expect: "NOT_FOUND",
    },
    badInput: {
      call: (f, t) => gql(f.api, ops.PromoteModelVersionDocument, { versionId: f.aModel.versionId, reason: "" }, t),
      expect: "VALIDATION",
    },
  },
  rollbackModel: {
    access: { kind: "tenant", scope: "models:promote" },
    crossTenant: {
      call: (f, t) => gql(f.api, ops.RollbackModelDocument, { modelId: f.b.model.modelId, reason: "undo theirs" }, t),
      expect: "NOT_FOUND",
    },
    badInput: {
      call: (f, t) => gql(f.api, ops.RollbackModelDocument, { modelId: f.aModel.modelId, reason: "x".repeat(501) }, t),
      expect: "VALIDATION",
    },
  },
  trainModel: {
    access: { kind: "tenant", scope: "models:write" },
    crossTenant: {
      call: (f, t) => gql(f.api, ops.TrainModelDocument, { input: { assetTypeId: f.b.fleet.typeId, task: "RUL", reason: "theirs" } }, t),
      expect: "NOT_FOUND",
    },
    badInput: {
      call: (f, t) => gql(f.api, ops.TrainModelDocument, { input: { assetTypeId: f.aFleet.typeId, task: "RUL", reason: " " } }, t),
      expect: "VALIDATION",
    },
  },
  cancelTrainingRun: {
    access: { kind: "tenant", scope: "models:write" },
    crossTenant: { call: (f, t) => gql(f.api, ops.CancelTrainingRunDocument, { id: f.b.model.runId }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.CancelTrainingRunDocument, { id: "trn_unknown" }, t), expect: "NOT_FOUND" },
  },
  trainingRun: {
    access: { kind: "tenant", scope: "models:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.TrainingRunDocument, { id: f.b.model.runId }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.TrainingRunDocument, { id: "" }, t), expect: "NOT_FOUND" },
  },
  trainingRuns: {
    access: { kind: "tenant", scope: "models:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.TrainingRunsDocument, { first: 100 }, t), expect: "NOTHING_OF_B" },
    badInput: { call: (f, t) => gql(f.api, ops.TrainingRunsDocument, { first: 0 }, t), expect: "VALIDATION" },
  },
  scoreFleet: {
    access: { kind: "tenant", scope: "models:write" },
    crossTenant: { call: (f, t) => gql(f.api, ops.ScoreFleetDocument, { assetTypeId: f.b.fleet.typeId }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.ScoreFleetDocument, { assetTypeId: "atp_unknown" }, t), expect: "NOT_FOUND" },
  },
  predictRul: {
    access: { kind: "tenant", scope: "models:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.PredictRulDocument, { assetId: f.b.fleet.assets[0]?.id ?? "" }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.PredictRulDocument, { assetId: f.aFleet.assets[0]?.id ?? "" }, t), expect: "CONFLICT" },
  },
  assetHealth: {
    access: { kind: "tenant", scope: "models:read" },
    crossTenant: {
      call: (f, t) => gql(f.api, ops.AssetHealthDocument, { assetId: f.b.fleet.assets[0]?.id ?? "" }, t),
      expect: "NOT_FOUND",
    },
    badInput: { call: (f, t) => gql(f.api, ops.AssetHealthDocument, { assetId: "ast_unknown" }, t), expect: "NOT_FOUND" },
  },
  predictions: {
    access: { kind: "tenant", scope: "models:read" },
    crossTenant: {
      call: (f, t) => gql(f.api, ops.PredictionsDocument, { assetId: f.b.fleet.assets[0]?.id ?? "" }, t),
      expect: "NOT_FOUND",
    },
    badInput: {
      call: (f, t) => gql(f.api, ops.PredictionsDocument, { assetId: f.aFleet.assets[0]?.id ?? "", first: 0 }, t),
      expect: "VALIDATION",
    },
  },
  setModelSchedule: {
    access: { kind: "tenant", scope: "models:write" },
    crossTenant: {
      call: (f, t) => gql(f.api, ops.SetModelScheduleDocument, { input: { assetTypeId: f.b.fleet.typeId, retrainEveryHours: 24 } }, t),
      expect: "NOT_FOUND",
    },
    badInput: {
      call: (f, t) => gql(f.api, ops.SetModelScheduleDocument, { input: { assetTypeId: f.aFleet.typeId, retrainEveryHours: 0 } }, t),
      expect: "VALIDATION",
    },
  },
  modelSchedule: {
    access: { kind: "tenant", scope: "models:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.ModelScheduleDocument, { assetTypeId: f.b.fleet.typeId }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.ModelScheduleDocument, { assetTypeId: "atp_unknown" }, t), expect: "NOT_FOUND" },
  },
  checkDrift: {
    access: { kind: "tenant", scope: "models:write" },
    crossTenant: { call: (f, t) => gql(f.api, ops.CheckDriftDocument, { assetTypeId: f.b.fleet.typeId }, t), expect: "NOT_FOUND" },
    badInput: {
      call: (f, t) => gql(f.api, ops.CheckDriftDocument, { assetTypeId: f.aFleet.typeId, threshold: -1 }, t),
      expect: "VALIDATION",
    },
  },
  driftChecks: {
    access: { kind: "tenant", scope: "models:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.DriftChecksDocument, { assetTypeId: f.b.fleet.typeId }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.DriftChecksDocument, { assetTypeId: f.aFleet.typeId, first: 0 }, t), expect: "VALIDATION" },
  },
  scoringRun: {
    access: { kind: "tenant", scope: "models:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.ScoringRunDocument, { id: f.b.model.scoringRunId }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.ScoringRunDocument, { id: "scr_unknown" }, t), expect: "NOT_FOUND" },
  },
  fleetHealth: {
    access: { kind: "tenant", scope: "models:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.FleetHealthDocument, { assetTypeId: f.b.fleet.typeId }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.FleetHealthDocument, { assetTypeId: f.aFleet.typeId, first: 0 }, t), expect: "VALIDATION" },
  },
  alerts: {
    access: { kind: "tenant", scope: "models:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.AlertsDocument, { first: 100 }, t), expect: "NOTHING_OF_B" },
    badInput: { call: (f, t) => gql(f.api, ops.AlertsDocument, { first: 0 }, t), expect: "VALIDATION" },
  },
  alert: {
    access: { kind: "tenant", scope: "models:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.AlertDocument, { id: f.b.model.alertId }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.AlertDocument, { id: "alr_unknown" }, t), expect: "NOT_FOUND" },
  },
  acknowledgeAlert: {
    access: { kind: "tenant", scope: "models:write" },
    crossTenant: { call: (f, t) => gql(f.api, ops.AcknowledgeAlertDocument, { id: f.b.model.alertId }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.AcknowledgeAlertDocument, { id: "alr_unknown" }, t), expect: "NOT_FOUND" },
  },
  acknowledgeAlerts: {
    access: { kind: "tenant", scope: "models:write" },
    crossTenant: { call: (f, t) => gql(f.api, ops.AcknowledgeAlertsDocument, { ids: [f.b.model.alertId] }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.AcknowledgeAlertsDocument, { ids: [] }, t), expect: "VALIDATION" },
  },
  alertDeliveries: {
    access: { kind: "tenant", scope: "models:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.AlertDeliveriesDocument, { alertId: f.b.model.alertId }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.AlertDeliveriesDocument, { alertId: "alr_unknown" }, t), expect: "NOT_FOUND" },
  },
  alertRules: {
    access: { kind: "tenant", scope: "models:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.AlertRulesDocument, {}, t), expect: "NOTHING_OF_B" },
    badInput: { call: (f) => gql(f.api, ops.AlertRulesDocument, {}, `${f.a.token}x`), expect: "UNAUTHENTICATED" },
  },
  setAlertRule: {
    access: { kind: "tenant", scope: "models:write" },
    crossTenant: {
      call: (f, t) => gql(f.api, ops.SetAlertRuleDocument, { input: { assetTypeId: f.b.fleet.typeId, rulBelow: 1 } }, t),
      expect: "NOT_FOUND",
    },
    badInput: {
      call: (f, t) => gql(f.api, ops.SetAlertRuleDocument, { input: { assetTypeId: f.aFleet.typeId, rulBelow: -5 } }, t),
      expect: "VALIDATION",
    },
  },
  webhooks: {
    access: { kind: "tenant", scope: "tenant:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.WebhooksDocument, {}, t), expect: "NOTHING_OF_B" },
    badInput: { call: (f) => gql(f.api, ops.WebhooksDocument, {}, `${f.a.token}x`), expect: "UNAUTHENTICATED" },
  },
  createWebhook: {
    access: { kind: "tenant", scope: "tenant:write" },
    probe: (f, t) => gql(f.api, ops.CreateWebhookDocument, { url: "https://a.example.test/hooks" }, t),
    badInput: { call: (f, t) => gql(f.api, ops.CreateWebhookDocument, { url: "ftp://a.example.test/hooks" }, t), expect: "VALIDATION" },
  },
  disableWebhook: {
    access: { kind: "tenant", scope: "tenant:write" },
    crossTenant: { call: (f, t) => gql(f.api, ops.DisableWebhookDocument, { id: f.b.model.webhookId }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.DisableWebhookDocument, { id: "whk_unknown" }, t), expect: "NOT_FOUND" },
  },
  // The webhooks' delivery log and test events.
  webhookDeliveries: {
    access: { kind: "tenant", scope: "tenant:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.WebhookDeliveriesDocument, { webhookId: f.b.model.webhookId }, t), expect: "NOT_FOUND" },
    badInput: {
      call: (f, t) => gql(f.api, ops.WebhookDeliveriesDocument, { webhookId: f.aModel.webhookId, first: 0 }, t),
      expect: "VALIDATION",
    },
  },
  sendTestWebhook: {
    access: { kind: "tenant", scope: "tenant:write" },
    crossTenant: { call: (f, t) => gql(f.api, ops.SendTestWebhookDocument, { id: f.b.model.webhookId }, t), expect: "NOT_FOUND" },
    badInput: { call: (f, t) => gql(f.api, ops.SendTestWebhookDocument, { id: "whk_unknown" }, t), expect: "NOT_FOUND" },
  },
  alertRaised: {
    access: { kind: "tenant", scope: "models:read" },
    crossTenant: { call: (f, t) => subscribeOnce(f.api, ops.AlertRaisedDocument, t), expect: "NOTHING_OF_B" },
    badInput: { call: (f) => subscribeOnce(f.api, ops.AlertRaisedDocument, "not-a-token"), expect: "UNAUTHENTICATED" },
  },
  alertChanged: {
    access: { kind: "tenant", scope: "models:read" },
    crossTenant: { call: (f, t) => subscribeOnce(f.api, ops.AlertChangedDocument, t), expect: "NOTHING_OF_B" },
    badInput: { call: (f) => subscribeOnce(f.api, ops.AlertChangedDocument, "not-a-token"), expect: "UNAUTHENTICATED" },
  },
  supportInbox: {
    access: { kind: "operator" },
    probe: (f, t) => gql(f.api, ops.SupportInboxDocument, { reason: "ticket 9: daily inbox" }, t),
    badInput: { call: (f) => gql(f.api, ops.SupportInboxDocument, { reason: "" }, f.operatorToken), expect: "VALIDATION" },
  },
  fleetOverview: {
    access: { kind: "tenant", scope: "telemetry:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.FleetOverviewDocument, { first: 100 }, t), expect: "NOTHING_OF_B" },
    badInput: { call: (f, t) => gql(f.api, ops.FleetOverviewDocument, { first: 0 }, t), expect: "VALIDATION" },
  },
  usage: {
    access: { kind: "tenant", scope: "billing:read" },
    crossTenant: {
      call: (f, t) => gql(f.api, ops.UsageDocument, { from: BILLING_FROM, to: BILLING_TO, granularity: "DAY" }, t),
      expect: "NOTHING_OF_B",
    },
    badInput: {
      call: (f, t) => gql(f.api, ops.UsageDocument, { from: BILLING_TO, to: BILLING_FROM, granularity: "DAY" }, t),
      expect: "VALIDATION",
    },
  },
  invoicePreview: {
    access: { kind: "tenant", scope: "billing:read" },
    probe: (f, t) => gql(f.api, ops.InvoicePreviewDocument, {}, t),
    // Tenant A has no subscription: there is no invoice to preview.
    badInput: { call: (f, t) => gql(f.api, ops.InvoicePreviewDocument, {}, t), expect: "CONFLICT" },
  },
  usageReconciliation: {
    access: { kind: "tenant", scope: "billing:read" },
    crossTenant: {
      call: (f, t) => gql(f.api, ops.UsageReconciliationDocument, { from: BILLING_FROM, to: BILLING_TO }, t),
      expect: "NOTHING_OF_B",
    },
    badInput: {
      call: (f, t) => gql(f.api, ops.UsageReconciliationDocument, { from: "2026-01-01T00:00:00Z", to: "2026-03-01T00:00:00Z" }, t),
      expect: "VALIDATION",
    },
  },
  operatorUsage: {
    access: { kind: "operator" },
    probe: (f, t) =>
      gql(
        f.api,
        ops.OperatorUsageDocument,
        { reason: "ticket 10: month-end close", from: BILLING_FROM, to: BILLING_TO, granularity: "DAY" },
        t,
      ),
    badInput: {
      call: (f) =>
        gql(f.api, ops.OperatorUsageDocument, { reason: "", from: BILLING_FROM, to: BILLING_TO, granularity: "DAY" }, f.operatorToken),
      expect: "VALIDATION",
    },
  },
  operatorReconciliation: {
    access: { kind: "operator" },
    probe: (f, t) =>
      gql(f.api, ops.OperatorReconciliationDocument, { reason: "ticket 11: meter audit", from: BILLING_FROM, to: BILLING_TO }, t),
    badInput: {
      call: (f) =>
        gql(
          f.api,
          ops.OperatorReconciliationDocument,
          { reason: "ticket 11: meter audit", from: BILLING_TO, to: BILLING_FROM },
          f.operatorToken,
        ),
      expect: "VALIDATION",
    },
  },
  operatorInvoicePreview: {
    access: { kind: "operator" },
    probe: (f, t) => gql(f.api, ops.OperatorInvoicePreviewDocument, { tenantId: f.a.tenantId, reason: "ticket 12: invoice question" }, t),
    badInput: {
      call: (f) => gql(f.api, ops.OperatorInvoicePreviewDocument, { tenantId: f.a.tenantId, reason: "" }, f.operatorToken),
      expect: "VALIDATION",
    },
  },
  operatorUnbillableUsage: {
    access: { kind: "operator" },
    probe: (f, t) => gql(f.api, ops.OperatorUnbillableUsageDocument, { reason: "ticket 13: usage no invoice includes" }, t),
    badInput: {
      call: (f) => gql(f.api, ops.OperatorUnbillableUsageDocument, { reason: "" }, f.operatorToken),
      expect: "VALIDATION",
    },
  },
  plans: {
    access: { kind: "tenant", scope: "tenant:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.PlansDocument, {}, t), expect: "NOTHING_OF_B" },
    badInput: { call: (f) => gql(f.api, ops.PlansDocument, {}, `${f.a.token}x`), expect: "UNAUTHENTICATED" },
  },
  billingAccount: {
    access: { kind: "tenant", scope: "billing:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.BillingAccountDocument, {}, t), expect: "NOTHING_OF_B" },
    badInput: { call: (f) => gql(f.api, ops.BillingAccountDocument, {}, `${f.a.token}x`), expect: "UNAUTHENTICATED" },
  },
  billingStanding: {
    access: { kind: "tenant", scope: "tenant:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.BillingStandingDocument, {}, t), expect: "NOTHING_OF_B" },
    badInput: { call: (f) => gql(f.api, ops.BillingStandingDocument, {}, `${f.a.token}x`), expect: "UNAUTHENTICATED" },
  },
  quotaUse: {
    access: { kind: "tenant", scope: "billing:read" },
    crossTenant: { call: (f, t) => gql(f.api, ops.QuotaUseDocument, {}, t), expect: "NOTHING_OF_B" },
    badInput: { call: (f) => gql(f.api, ops.QuotaUseDocument, {}, `${f.a.token}x`), expect: "UNAUTHENTICATED" },
  },
  startCheckout: {
    access: { kind: "tenant", scope: "billing:write" },
    probe: (f, t) => gql(f.api, ops.StartCheckoutDocument, { planCode: "starter" }, t),
    badInput: { call: (f, t) => gql(f.api, ops.StartCheckoutDocument, { planCode: "no-such-plan" }, t), expect: "NOT_FOUND" },
  },
  openCustomerPortal: {
    access: { kind: "tenant", scope: "billing:write" },
    probe: (f, t) => gql(f.api, ops.OpenCustomerPortalDocument, {}, t),
    // A tenant that never subscribed has no Stripe customer yet.
    badInput: {
      call: async (f) => gql(f.api, ops.OpenCustomerPortalDocument, {}, (await newTenant(f.api, "No customer")).token),
      expect: "CONFLICT",
    },
  },
  operatorCreatePlan: {
    access: { kind: "operator" },
    probe: (f, t) => gql(f.api, ops.OperatorCreatePlanDocument, { input: planInput(), reason: "ticket 10: new plan" }, t),
    badInput: {
      call: async (f) =>
        gql(
          f.api,
          ops.OperatorCreatePlanDocument,
          { input: planInput({ currency: "EURO" }), reason: "ticket 11: new plan" },
          await financeOperatorToken(f.api),
        ),
      expect: "VALIDATION",
    },
  },
  operatorUpdatePlan: {
    access: { kind: "operator" },
    probe: (f, t) =>
      gql(f.api, ops.OperatorUpdatePlanDocument, { id: "pln_unknown", input: { baseAmount: 100 }, reason: "ticket 12: price" }, t),
    badInput: {
      call: async (f) =>
        gql(
          f.api,
          ops.OperatorUpdatePlanDocument,
          { id: "pln_unknown", input: { baseAmount: 100 }, reason: "ticket 13: price" },
          await financeOperatorToken(f.api),
        ),
      expect: "NOT_FOUND",
    },
  },
};
/** The call an operation gets for the access checks: its cross-tenant call, or its bad-input one. */
function probe(c: OperationCase): Call {
  const call = c.probe ?? c.crossTenant?.call;
  if (!call) throw new Error("An operation case needs a probe or a cross-tenant call");
  return call;
}

function codeOf(result: GqlResult<unknown>): string {
  return result.errors?.[0]?.extensions?.code ?? "OK";
}

describe("security suite: every GraphQL operation", () => {
  let f: Fixture;
  const keys = new Map<Scope, string>();

  before(async () => {
    const api = await startApi();
    const a = await newTenant(api, "Tenant A");
    const bBase = await newTenant(api, "Tenant B");
    const bMember = await addMember(api, bBase, "ENGINEER");
    const { createInvitation } = await gqlOk(
      api,
      ops.CreateInvitationDocument,
      { email: uniqueEmail("b-pending"), role: "VIEWER" },
      bBase.token,
    );
    const bKey = await newApiKey(api, bBase, ["tenant:read", "members:read"]);
    const bFleet = await newFleet(api, bBase);
    const aFleet = await newFleet(api, a);
    const { recordMaintenanceEvent: bEvent } = await gqlOk(
      api,
      ops.RecordMaintenanceEventDocument,
      { input: { assetId: bFleet.assets[0]?.id ?? "", kind: "FAILURE", occurredAt: new Date(Date.now() - 60_000).toISOString() } },
      bBase.token,
    );
    await addMember(api, a, "VIEWER");
    const operator = await newOperator(api, "support");
    const bVersion = await registerTestVersion(api, bBase, { assetTypeId: bFleet.typeId, runId: "b-train", rmse: 14 });
    await gqlOk(api, ops.PromoteModelVersionDocument, { versionId: bVersion.version.id, reason: "first model" }, bBase.token);
    const aVersion = await registerTestVersion(api, a, { assetTypeId: aFleet.typeId, runId: "a-train", rmse: 14 });
    const bRows = await seedMlopsRows(api, bBase, {
      assetTypeId: bFleet.typeId,
      assetId: bFleet.assets[0]?.id ?? "",
      versionId: bVersion.version.id,
    });
    const aRows = await seedMlopsRows(api, a, {
      assetTypeId: aFleet.typeId,
      assetId: aFleet.assets[0]?.id ?? "",
      versionId: aVersion.version.id,
    });
    const bAlert = await seedAlert(api, bBase, { assetId: bFleet.assets[0]?.id ?? "", predictionId: bRows.predictionId });
    const aAlert = await seedAlert(api, a, { assetId: aFleet.assets[0]?.id ?? "", predictionId: aRows.predictionId });
    const { createWebhook: bWebhook } = await gqlOk(api, ops.CreateWebhookDocument, { url: "https://b.example.test/hooks" }, bBase.token);
    await gqlOk(api, ops.SetAlertRuleDocument, { input: { assetTypeId: bFleet.typeId, rulBelow: 30 } }, bBase.token);
    // A scoring run of B's that no worker picks up (its queue is not polled); terminated afterwards.
    const temporal = await temporalClient();
    const bScoring = await temporal.client.workflow.start<ScoreFleetWorkflow>(SCORE_FLEET.name, {
      workflowId: newId("scoringRun"),
      taskQueue: "security-suite-unpolled",
      args: [{ tenantId: bBase.tenantId, assetTypeId: bFleet.typeId }],
      memo: { tenantId: bBase.tenantId },
    });
    stopScoring = async () => {
      await bScoring.terminate("security suite done");
      await temporal.close();
    };
    const b = {
      ...bBase,
      model: {
        modelId: bVersion.model.id,
        versionId: bVersion.version.id,
        ...bRows,
        scoringRunId: bScoring.workflowId,
        alertId: bAlert,
        webhookId: bWebhook.webhook.id,
      },
      memberId: bMember.userId,
      invitationId: createInvitation.invitation.id,
      apiKeyId: bKey.id,
      apiKeySecret: bKey.secret,
      fleet: bFleet,
    };
    f = {
      api,
      a,
      b,
      operatorToken: operator.token,
      operatorEmail: operator.email,
      aFleet,
      aModel: { modelId: aVersion.model.id, versionId: aVersion.version.id, ...aRows, scoringRunId: "", alertId: aAlert, webhookId: "" },
      bIds: [
        b.tenantId,
        b.ownerId,
        b.memberId,
        b.invitationId,
        b.apiKeyId,
        bFleet.typeId,
        bFleet.deviceId,
        bFleet.tokenId,
        ...bFleet.assets.map((x) => x.id),
        bEvent.id,
        bVersion.model.id,
        bVersion.version.id,
        bRows.runId,
        bRows.predictionId,
        bRows.checkId,
        bScoring.workflowId,
        bAlert,
        bWebhook.webhook.id,
      ],
      async keyWithout(scope) {
        const cached = keys.get(scope);
        if (cached) return cached;
        const key = await newApiKey(
          api,
          a,
          SCOPES.filter((s) => s !== scope),
        );
        keys.set(scope, key.secret);
        return key.secret;
      },
    };
  });

  let stopScoring: () => Promise<void> = async () => {};
  after(async () => {
    await stopScoring();
    await f?.api.close();
  });

  it("has a case for every query and mutation of the schema", async () => {
    const schema = await buildApiSchema();
    const operations = [
      ...Object.keys(schema.getQueryType()?.getFields() ?? {}),
      ...Object.keys(schema.getMutationType()?.getFields() ?? {}),
      ...Object.keys(schema.getSubscriptionType()?.getFields() ?? {}),
    ].sort();
    assert.deepEqual(Object.keys(CASES).sort(), operations);
  });

  for (const [name, c] of Object.entries(CASES)) {
    describe(name, () => {
      if (c.access.kind !== "public") {
        it("answers UNAUTHENTICATED without credentials", async () => {
          const result = await probe(c)(f, undefined);
          assert.equal(codeOf(result), "UNAUTHENTICATED", JSON.stringify(result.errors));
        });
      }
      if (c.access.kind === "tenant") {
        const scope = c.access.scope;
        it(`answers FORBIDDEN to an API key without "${scope}"`, async () => {
          const result = await probe(c)(f, await f.keyWithout(scope));
          assert.equal(codeOf(result), "FORBIDDEN", JSON.stringify(result.errors));
          assert.match(result.errors?.[0]?.message ?? "", new RegExp(scope));
        });
        it("answers FORBIDDEN to an operator (operators have their own paths)", async () => {
          const result = await probe(c)(f, f.operatorToken);
          assert.equal(codeOf(result), "FORBIDDEN");
        });
      }
      if (c.access.kind === "operator") {
        it("answers FORBIDDEN to a tenant member and to an API key", async () => {
          assert.equal(codeOf(await probe(c)(f, f.a.token)), "FORBIDDEN");
          assert.equal(codeOf(await probe(c)(f, await f.keyWithout("billing:write"))), "FORBIDDEN");
        });
      }
      const cross = c.crossTenant;
      if (cross) {
        it(`never reaches the other tenant (${cross.expect})`, async () => {
          const result = await cross.call(f, f.a.token);
          if (cross.expect === "NOT_FOUND") {
            assert.equal(codeOf(result), "NOT_FOUND", JSON.stringify(result.errors));
            assert.equal(result.data, null);
          } else {
            assert.equal(codeOf(result), "OK", JSON.stringify(result.errors));
            const shown = JSON.stringify(result.data);
            for (const id of f.bIds) assert.ok(!shown.includes(id), `${name} showed ${id} of tenant B`);
          }
        });
      }
      it(`answers ${c.badInput.expect} to bad input, with a message a person can act on`, async () => {
        const result = await c.badInput.call(f, f.a.token);
        assert.equal(codeOf(result), c.badInput.expect, JSON.stringify(result.errors));
        const message = result.errors?.[0]?.message ?? "";
        assert.ok(message.length > 10 && !/postgres|select |stack|at \//i.test(message), message);
        assert.match(result.errors?.[0]?.extensions?.requestId ?? "", /^req_/);
      });
    });
  }

  it("left everything of tenant B as it was", async () => {
    const { member } = await gqlOk(f.api, ops.MemberDocument, { userId: f.b.memberId }, f.b.token);
    assert.equal(member.role, "ENGINEER");
    const { tenant } = await gqlOk(f.api, ops.TenantDocument, {}, f.b.token);
    assert.equal(tenant.name, "Tenant B");
    const { invitations } = await gqlOk(f.api, ops.InvitationsDocument, {}, f.b.token);
    const pending = invitations.edges.find((e) => e.node.id === f.b.invitationId);
    assert.equal(pending?.node.revokedAt, null);
    const { viewer } = await gqlOk(f.api, ops.ViewerDocument, {}, f.b.apiKeySecret);
    assert.equal(viewer.tenantId, f.b.tenantId);
  });
});
