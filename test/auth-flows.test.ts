import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { resolvePrincipal } from "../src/auth/principal.js";
import { SIGN_IN_RULES } from "../src/auth/throttle.js";
import { tenantCall } from "../src/core/calls.js";
import { connectDb } from "../src/db/client.js";
import { SIGN_UP_ACCEPTED } from "../src/tenancy/sign-up.js";
import { renameTenant } from "../src/tenancy/tenant.js";
import * as ops from "./generated/graphql.js";
import {
  type Api,
  addMember,
  codeOf,
  gql,
  gqlOk,
  newClientAddress,
  newTenant,
  ownerUrl,
  PASSWORD,
  startApi,
  uniqueEmail,
} from "./support/harness.js";

describe("sign-up, sign-in, invitations, pagination and the audit log", () => {
  let api: Api;
  before(async () => {
    api = await startApi();
  });
  after(() => api?.close());

  it("signs up a tenant with its owner and signs in again", async () => {
    const email = uniqueEmail("Mixed.Case");
    const { signUp } = await gqlOk(
      api,
      ops.SignUpDocument,
      { input: { tenantName: "Pump Works", email, name: "Pia", password: PASSWORD } },
      undefined,
      newClientAddress(),
    );
    assert.deepEqual(signUp, { email: email.toLowerCase(), message: SIGN_UP_ACCEPTED });
    const { signIn } = await gqlOk(api, ops.SignInDocument, { input: { email: email.toUpperCase(), password: PASSWORD } });
    const again = await gqlOk(api, ops.SignInDocument, { input: { email, password: PASSWORD } });
    assert.equal(again.signIn.tenantId, signIn.tenantId);
    assert.equal(again.signIn.userId, signIn.userId);
    assert.ok(Date.parse(signIn.expiresAt) > Date.now());
    const { tenant } = await gqlOk(api, ops.TenantDocument, {}, signIn.token);
    assert.equal(tenant.name, "Pump Works");
  });

  it("answers a taken email like a new one, refuses a weak password and a wrong password with typed errors", async () => {
    const t = await newTenant(api);
    const again = await gql(
      api,
      ops.SignUpDocument,
      { input: { tenantName: "Dup", email: t.ownerEmail, name: "D", password: PASSWORD } },
      undefined,
      newClientAddress(),
    );
    assert.equal(again.errors, undefined);
    assert.deepEqual(again.data?.signUp, { email: t.ownerEmail, message: SIGN_UP_ACCEPTED });
    const weak = await gql(api, ops.SignUpDocument, {
      input: { tenantName: "Weak", email: uniqueEmail("w"), name: "W", password: "short" },
    });
    assert.equal(weak.errors?.[0]?.extensions?.code, "VALIDATION");
    assert.equal(weak.errors?.[0]?.extensions?.field, "password");
    const wrong = await gql(api, ops.SignInDocument, { input: { email: t.ownerEmail, password: `${PASSWORD}!` } });
    assert.equal(wrong.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
    const unknown = await gql(api, ops.SignInDocument, { input: { email: uniqueEmail("nobody"), password: PASSWORD } });
    assert.equal(unknown.errors?.[0]?.message, wrong.errors?.[0]?.message, "no hint whether the account exists");
  });

  it("throttles repeated failed sign-ins per account and address with RATE_LIMITED", async () => {
    const t = await newTenant(api);
    const other = await newTenant(api);
    const from = newClientAddress();
    const attempt = (email: string, password: string) => gql(api, ops.SignInDocument, { input: { email, password } }, undefined, from);
    const free = SIGN_IN_RULES.pair.free;
    // A success clears earlier failures.
    for (let i = 0; i < free - 1; i++)
      assert.equal((await attempt(t.ownerEmail, "wrong password 123")).errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
    assert.equal((await attempt(t.ownerEmail, PASSWORD)).errors, undefined);
    for (let i = 0; i < free; i++) {
      assert.equal(
        (await attempt(t.ownerEmail, "wrong password 123")).errors?.[0]?.extensions?.code,
        "UNAUTHENTICATED",
        `attempt ${i + 1}`,
      );
    }
    // Past the free attempts each failure blocks for twice as long as the one before.
    let limited: Awaited<ReturnType<typeof attempt>> | undefined;
    for (let i = 0; i < 12 && !limited; i++) {
      const answer = await attempt(t.ownerEmail, "wrong password 123");
      if (answer.errors?.[0]?.extensions?.code === "RATE_LIMITED") limited = answer;
    }
    const wait = limited?.errors?.[0]?.extensions?.retryAfterSeconds;
    assert.ok(typeof wait === "number" && wait >= 1 && wait <= SIGN_IN_RULES.pair.maxSeconds, `retry after ${String(wait)} s`);
    assert.match(limited?.errors?.[0]?.message ?? "", /try again in \d+ seconds/);
    assert.equal((await attempt(other.ownerEmail, PASSWORD)).errors, undefined, "another account is not affected");
  });

  it("lets one person belong to two tenants and choose at sign-in", async () => {
    const first = await newTenant(api, "First");
    const second = await newTenant(api, "Second");
    const { createInvitation } = await gqlOk(
      api,
      ops.CreateInvitationDocument,
      { email: first.ownerEmail, role: "ENGINEER" },
      second.token,
    );
    // An existing account proves its password; a wrong one is refused and the invitation stays open.
    const bad = await gql(api, ops.AcceptInvitationDocument, { input: { token: createInvitation.token, password: "not the password" } });
    assert.equal(bad.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
    const { acceptInvitation } = await gqlOk(api, ops.AcceptInvitationDocument, {
      input: { token: createInvitation.token, password: PASSWORD },
    });
    assert.equal(acceptInvitation.userId, first.ownerId);
    assert.equal(acceptInvitation.tenantId, second.tenantId);

    const ambiguous = await gql(api, ops.SignInDocument, { input: { email: first.ownerEmail, password: PASSWORD } });
    assert.equal(ambiguous.errors?.[0]?.extensions?.code, "VALIDATION");
    const listed = ambiguous.errors?.[0]?.extensions?.tenants as { id: string }[];
    assert.deepEqual(listed.map((x) => x.id).sort(), [first.tenantId, second.tenantId].sort());
    const { signIn } = await gqlOk(api, ops.SignInDocument, {
      input: { email: first.ownerEmail, password: PASSWORD, tenantId: second.tenantId },
    });
    const { viewer } = await gqlOk(api, ops.ViewerDocument, {}, signIn.token);
    assert.equal(viewer.role, "ENGINEER");
    // Used once only.
    assert.equal(
      await codeOf(api, ops.AcceptInvitationDocument, { input: { token: createInvitation.token, password: PASSWORD } }),
      "CONFLICT",
    );
  });

  it("refuses revoked invitations and invitations of members", async () => {
    const t = await newTenant(api);
    const email = uniqueEmail("revoked");
    const { createInvitation } = await gqlOk(api, ops.CreateInvitationDocument, { email, role: "VIEWER" }, t.token);
    await gqlOk(api, ops.RevokeInvitationDocument, { id: createInvitation.invitation.id }, t.token);
    const accepted = await gql(api, ops.AcceptInvitationDocument, {
      input: { token: createInvitation.token, password: PASSWORD, name: "R" },
    });
    assert.equal(accepted.errors?.[0]?.extensions?.code, "CONFLICT");
    assert.match(accepted.errors?.[0]?.message ?? "", /revoked/);
    assert.equal(await codeOf(api, ops.CreateInvitationDocument, { email: t.ownerEmail, role: "VIEWER" }, t.token), "CONFLICT");
    const fresh = await gql(api, ops.AcceptInvitationDocument, {
      input: {
        token: (await gqlOk(api, ops.CreateInvitationDocument, { email, role: "VIEWER" }, t.token)).createInvitation.token,
        password: PASSWORD,
      },
    });
    assert.equal(fresh.errors?.[0]?.extensions?.code, "VALIDATION", "a new account needs a name");
    assert.equal(fresh.errors?.[0]?.extensions?.field, "name");
  });

  it("describes an invitation link to its holder (open, expired, revoked, accepted) and links to the portal's invitation page", async () => {
    const t = await newTenant(api, "Preview Works");
    const email = uniqueEmail("preview");
    const { createInvitation } = await gqlOk(api, ops.CreateInvitationDocument, { email, role: "ENGINEER" }, t.token);
    assert.equal(createInvitation.url, `${api.services.config.PORTAL_URL.replace(/\/+$/, "")}/invitation#${createInvitation.token}`);
    const preview = (token: string) => gqlOk(api, ops.InvitationPreviewDocument, { token }).then((r) => r.invitationPreview);

    const open = await preview(createInvitation.token);
    assert.deepEqual(
      { ...open, expiresAt: undefined },
      { tenantName: "Preview Works", email, role: "ENGINEER", state: "OPEN", hasAccount: false, expiresAt: undefined },
    );
    // An address with an account (the owner's, invited to a second company) is asked for its password.
    const other = await newTenant(api, "Other Works");
    const existing = await gqlOk(api, ops.CreateInvitationDocument, { email: t.ownerEmail, role: "VIEWER" }, other.token);
    assert.equal((await preview(existing.createInvitation.token)).hasAccount, true);

    await gqlOk(api, ops.AcceptInvitationDocument, { input: { token: createInvitation.token, password: PASSWORD, name: "Pat" } });
    assert.equal((await preview(createInvitation.token)).state, "ACCEPTED");
    await gqlOk(api, ops.RevokeInvitationDocument, { id: existing.createInvitation.invitation.id }, other.token);
    const revoked = await preview(existing.createInvitation.token);
    assert.equal(revoked.state, "REVOKED");
    assert.equal(revoked.hasAccount, false, "a withdrawn link does not tell whether the address has an account");

    const late = await gqlOk(api, ops.CreateInvitationDocument, { email: uniqueEmail("late"), role: "VIEWER" }, t.token);
    const owner = connectDb(ownerUrl(), { max: 1, applicationName: "pdm-test-owner" });
    try {
      await owner.sql`update invitations set expires_at = now() - interval '1 minute' where id = ${late.createInvitation.invitation.id}`;
    } finally {
      await owner.close();
    }
    assert.equal((await preview(late.createInvitation.token)).state, "EXPIRED");

    const unknown = await gql(api, ops.InvitationPreviewDocument, { token: "A".repeat(43) });
    assert.equal(unknown.errors?.[0]?.extensions?.code, "NOT_FOUND");
    const malformed = await gql(api, ops.InvitationPreviewDocument, { token: "not a token" });
    assert.equal(malformed.errors?.[0]?.extensions?.code, "VALIDATION");
    assert.match(malformed.errors?.[0]?.message ?? "", /invitation link/);
  });

  it("pages through members with cursors, each member once", async () => {
    const t = await newTenant(api);
    const added = [await addMember(api, t, "VIEWER"), await addMember(api, t, "ENGINEER"), await addMember(api, t, "FINANCE")];
    const seen: string[] = [];
    let after: string | null | undefined;
    let pages = 0;
    do {
      const { members } = await gqlOk(api, ops.MembersDocument, { first: 2, after }, t.token);
      seen.push(...members.edges.map((e) => e.node.userId));
      after = members.pageInfo.hasNextPage ? members.pageInfo.endCursor : undefined;
      pages++;
    } while (after);
    assert.equal(pages, 2);
    assert.deepEqual([...seen].sort(), [t.ownerId, ...added.map((m) => m.userId)].sort());
    assert.equal(new Set(seen).size, 4);
  });

  it("records every write in the audit log with the request id the caller saw", async () => {
    const t = await newTenant(api);
    const renamed = await gql(api, ops.RenameTenantDocument, { name: "Audited GmbH" }, t.token);
    assert.equal(renamed.errors, undefined);
    const { auditLog } = await gqlOk(api, ops.AuditLogDocument, { first: 10 }, t.token);
    const actions = auditLog.edges.map((e) => e.node.action);
    assert.deepEqual(actions, ["tenant.renamed", "tenant.created"], "newest first");
    const entry = auditLog.edges[0]?.node;
    assert.equal(entry?.requestId, renamed.requestId);
    assert.equal(entry?.actorId, t.ownerId);
    assert.deepEqual(entry?.data, { name: "Audited GmbH" });
  });

  it("rolls a verb's write and its audit entry back together when the call fails after writing", async () => {
    const t = await newTenant(api);
    const principal = await resolvePrincipal(api.services, `Bearer ${t.token}`);
    const rc = { requestId: "req_rollback_test", clientAddress: "127.0.0.1", principal, services: api.services };
    await assert.rejects(
      tenantCall(rc, "tenant:write", async (ctx) => {
        await renameTenant(ctx, { name: "Never Seen GmbH" });
        throw new Error("fails after the write");
      }),
      /fails after the write/,
    );
    const { tenant } = await gqlOk(api, ops.TenantDocument, {}, t.token);
    assert.equal(tenant.name, "Acme Turbines");
    const { auditLog } = await gqlOk(api, ops.AuditLogDocument, { first: 100 }, t.token);
    assert.deepEqual(
      auditLog.edges.map((e) => e.node.action),
      ["tenant.created"],
    );
  });

  it("answers VALIDATION, not INTERNAL, to input the database cannot store", async () => {
    const t = await newTenant(api);
    const nul = await gql(api, ops.MemberDocument, { userId: "usr_\u0000" }, t.token);
    assert.equal(nul.errors?.[0]?.extensions?.code, "VALIDATION");
    const cursor = Buffer.from("k:\u0000").toString("base64url");
    assert.equal(await codeOf(api, ops.AuditLogDocument, { after: cursor }, t.token), "VALIDATION");
    const email = await gql(api, ops.SignInDocument, { input: { email: "a\u0000@b.c", password: PASSWORD } });
    assert.equal(email.errors?.[0]?.extensions?.code, "VALIDATION");
  });
});
