import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { print } from "graphql";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { SIGN_IN_RULES } from "../src/auth/throttle.js";
import { createTokenService } from "../src/auth/tokens.js";
import { connectDb, type Db } from "../src/db/client.js";
import { SIGN_UP_ACCEPTED } from "../src/tenancy/sign-up.js";
import * as ops from "./generated/graphql.js";
import {
  type Api,
  type GqlResult,
  gql,
  gqlOk,
  newClientAddress,
  newOperator,
  newTenant,
  ownerUrl,
  PASSWORD,
  startApi,
  uniqueEmail,
} from "./support/harness.js";

const WRONG = "not the password at all";
const code = (r: GqlResult<unknown>) => r.errors?.[0]?.extensions?.code ?? "OK";

describe("account safety", () => {
  let api: Api;
  let owner: Db;
  before(async () => {
    api = await startApi();
    owner = connectDb(ownerUrl(), { max: 1, applicationName: "pdm-test-accounts" });
  });
  after(async () => {
    await owner?.close();
    await api?.close();
  });

  const signIn = (email: string, password: string, from: string) =>
    gql(api, ops.SignInDocument, { input: { email, password } }, undefined, from);
  const signUp = (email: string, password: string, from: string) =>
    gql(api, ops.SignUpDocument, { input: { tenantName: "Pump Works", email, name: "Pia", password } }, undefined, from);
  const notices = (email: string) =>
    owner.sql<{ kind: string; user_id: string | null; sent_at: string | null }[]>`
      select kind, user_id, sent_at from account_notices where email = ${email} order by created_at, id`;

  it("lets the owner sign in after an attacker's ten wrong passwords: at once from another address, from the same once the wait is over", async () => {
    const t = await newTenant(api);
    const attacker = newClientAddress();
    const answers: string[] = [];
    for (let i = 0; i < 10; i++) answers.push(code(await signIn(t.ownerEmail, WRONG, attacker)));
    assert.deepEqual(answers.slice(0, SIGN_IN_RULES.pair.free), Array(SIGN_IN_RULES.pair.free).fill("UNAUTHENTICATED"));
    assert.ok(answers.includes("RATE_LIMITED"), `the attacker is slowed: ${answers.join(",")}`);
    // The owner, elsewhere, is not locked out.
    const elsewhere = await signIn(t.ownerEmail, PASSWORD, newClientAddress());
    assert.equal(code(elsewhere), "OK", elsewhere.errors?.[0]?.message);

    // Behind the attacker's address (an office sharing one), the owner waits, then signs in.
    const u = await newTenant(api);
    const shared = newClientAddress();
    let limited: GqlResult<unknown> | undefined;
    for (let i = 0; i < 12 && !limited; i++) {
      const answer = await signIn(u.ownerEmail, WRONG, shared);
      if (code(answer) === "RATE_LIMITED") limited = answer;
    }
    const first = await signIn(u.ownerEmail, PASSWORD, shared);
    if (code(first) === "RATE_LIMITED") {
      const wait = first.errors?.[0]?.extensions?.retryAfterSeconds;
      assert.ok(typeof wait === "number" && wait >= 1 && wait <= 64, `wait ${String(wait)}`);
      assert.match(first.errors?.[0]?.message ?? "", new RegExp(`try again in ${wait} seconds`));
      await sleep(wait * 1000 + 200);
      assert.equal(code(await signIn(u.ownerEmail, PASSWORD, shared)), "OK", "a backoff, not a lock");
    } else {
      assert.equal(code(first), "OK");
    }
  });

  it("answers RATE_LIMITED to one password sprayed over 30 accounts from one address", async () => {
    const emails = Array.from({ length: 30 }, () => uniqueEmail("sprayed"));
    for (const email of emails) assert.equal(code(await signUp(email, PASSWORD, newClientAddress())), "OK");
    const sprayer = newClientAddress();
    const answers: string[] = [];
    for (const email of emails) answers.push(code(await signIn(email, "Summer2026 is here!", sprayer)));
    assert.deepEqual(answers.slice(0, SIGN_IN_RULES.address.free), Array(SIGN_IN_RULES.address.free).fill("UNAUTHENTICATED"));
    assert.ok(answers.slice(SIGN_IN_RULES.address.free).includes("RATE_LIMITED"), answers.join(","));
    // The accounts themselves are not blocked for their owners.
    assert.equal(code(await signIn(emails[0] ?? "", PASSWORD, newClientAddress())), "OK");
  });

  it("throttles sign-ups per client address", async () => {
    const from = newClientAddress();
    const allowed = api.services.config.AUTH_SIGN_UPS_PER_ADDRESS;
    for (let i = 0; i < allowed; i++) assert.equal(code(await signUp(uniqueEmail("burst"), PASSWORD, from)), "OK", `sign-up ${i + 1}`);
    const limited = await signUp(uniqueEmail("burst"), PASSWORD, from);
    assert.equal(code(limited), "RATE_LIMITED");
    const wait = limited.errors?.[0]?.extensions?.retryAfterSeconds;
    assert.ok(typeof wait === "number" && wait >= 1 && wait <= 60, `wait ${String(wait)}`);
    assert.equal(code(await signUp(uniqueEmail("other"), PASSWORD, newClientAddress())), "OK", "another address signs up");
  });

  it("answers a sign-up with a registered address exactly like a new one, and tells the address's holder", async () => {
    const t = await newTenant(api);
    const fresh = uniqueEmail("fresh");
    const taken = await signUp(t.ownerEmail, "an attacker's own passphrase", newClientAddress());
    const brandNew = await signUp(fresh, "an attacker's own passphrase", newClientAddress());
    assert.equal(taken.status, brandNew.status);
    assert.equal(taken.errors, undefined);
    assert.deepEqual(taken.data, { signUp: { email: t.ownerEmail, message: SIGN_UP_ACCEPTED } });
    assert.deepEqual(brandNew.data, { signUp: { email: fresh, message: SIGN_UP_ACCEPTED } });
    // The holder is told through the notices outbox; the account is untouched.
    assert.deepEqual(
      (await notices(t.ownerEmail)).map((n) => [n.kind, n.user_id, n.sent_at]),
      [
        ["welcome", t.ownerId, null],
        ["sign_up_with_existing_account", t.ownerId, null],
      ],
    );
    assert.deepEqual(
      (await notices(fresh)).map((n) => n.kind),
      ["welcome"],
    );
    assert.equal(code(await signIn(t.ownerEmail, "an attacker's own passphrase", newClientAddress())), "UNAUTHENTICATED");
    const elsewhere = await signIn(t.ownerEmail, PASSWORD, newClientAddress());
    assert.equal(code(elsewhere), "OK", elsewhere.errors?.[0]?.message);
  });

  it("refuses weak passwords with a message a person can act on", async () => {
    const email = uniqueEmail("weak.person");
    const cases: [string, RegExp][] = [
      [" ".repeat(12), /only spaces/],
      // NUL is refused for every text input before any resolver (the argument layer).
      ["\u0000".repeat(12), /NUL or other control characters/],
      [`correct horse\u0007battery`, /control characters/],
      [email, /email address/],
      [`${email.split("@")[0]}!!2026`, /email address/],
      ["password1234", /too easy to guess/],
      ["123456789012", /too easy to guess/],
      ["qwertyuiop12", /too easy to guess/],
      ["short", /at least 12 characters/],
    ];
    for (const [password, why] of cases) {
      const answer = await signUp(email, password, newClientAddress());
      assert.equal(code(answer), "VALIDATION", JSON.stringify(password));
      assert.equal(answer.errors?.[0]?.extensions?.field, "password");
      assert.match(answer.errors?.[0]?.message ?? "", why, JSON.stringify(password));
    }
    assert.equal((await notices(email)).length, 0, "nothing was created");
  });

  it("ends this token with signOut, every token with signOutEverywhere, and other sessions with changePassword", async () => {
    const t = await newTenant(api);
    const viewer = (token: string) => gql(api, ops.ViewerDocument, {}, token);
    const session = async () =>
      (await gqlOk(api, ops.SignInDocument, { input: { email: t.ownerEmail, password: PASSWORD } }, undefined, newClientAddress())).signIn
        .token;

    // signOut: the stolen copy of this token stops working; another session goes on.
    const stolen = t.token;
    const other = await session();
    assert.equal((await gqlOk(api, ops.SignOutDocument, {}, stolen)).signOut, true);
    const refused = await viewer(stolen);
    assert.equal(code(refused), "UNAUTHENTICATED");
    assert.match(refused.errors?.[0]?.message ?? "", /sign in again/);
    assert.equal(code(await viewer(other)), "OK");

    // signOutEverywhere: every token ends, this one included; a new sign-in works.
    const third = await session();
    assert.equal((await gqlOk(api, ops.SignOutEverywhereDocument, {}, other)).signOutEverywhere, true);
    assert.equal(code(await viewer(other)), "UNAUTHENTICATED");
    assert.equal(code(await viewer(third)), "UNAUTHENTICATED");

    // changePassword: needs the current password, follows the rules, ends the other sessions.
    const mine = await session();
    const elsewhere = await session();
    const newPassword = "a brand new passphrase for pia";
    const change = (currentPassword: string, next: string) =>
      gql(api, ops.ChangePasswordDocument, { input: { currentPassword, newPassword: next } }, mine);
    assert.equal(code(await change(WRONG, newPassword)), "UNAUTHENTICATED");
    assert.equal(code(await change(PASSWORD, "password1234")), "VALIDATION");
    assert.equal(code(await viewer(elsewhere)), "OK", "refused changes end nothing");
    const changed = await change(PASSWORD, newPassword);
    assert.equal(code(changed), "OK");
    const renewed = (changed.data as { changePassword: { token: string } }).changePassword.token;
    assert.equal(code(await viewer(elsewhere)), "UNAUTHENTICATED");
    assert.equal(code(await viewer(mine)), "UNAUTHENTICATED");
    assert.equal(code(await viewer(renewed)), "OK", "the session that changed it goes on with its new token");
    assert.equal(code(await signIn(t.ownerEmail, PASSWORD, newClientAddress())), "UNAUTHENTICATED");
    assert.equal(code(await signIn(t.ownerEmail, newPassword, newClientAddress())), "OK");
    assert.deepEqual(
      (await notices(t.ownerEmail)).map((n) => n.kind),
      ["welcome", "password_changed"],
    );
  });

  it("refuses the next operation of an open subscription connection once its token is signed out", async () => {
    const t = await newTenant(api);
    const client = createClient({
      url: `${api.url.replace("http", "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${t.token}` },
      retryAttempts: 0,
    });
    const subscribe = () =>
      new Promise<string>((resolve) => {
        const timer = setTimeout(() => resolve("OK"), 800);
        client.subscribe(
          { query: print(ops.AlertRaisedDocument) },
          {
            next: () => {},
            error: (error) => {
              clearTimeout(timer);
              const first = Array.isArray(error) ? (error[0] as { extensions?: { code?: string } }) : undefined;
              resolve(first?.extensions?.code ?? `closed ${String((error as { code?: number }).code)}`);
            },
            complete: () => {},
          },
        );
      });
    try {
      assert.equal(await subscribe(), "OK");
      assert.equal((await gqlOk(api, ops.SignOutDocument, {}, t.token)).signOut, true);
      // Refused either way: the sign-out's announcement closes the socket (4401), or, when the next
      // operation arrives first, the operation's own re-check answers UNAUTHENTICATED.
      const refused = await subscribe();
      assert.ok(["UNAUTHENTICATED", "closed 4401"].includes(refused), `refused with ${refused}`);
    } finally {
      await client.dispose();
    }
  });

  it("ends an operator's tokens when the operator signs out", async () => {
    const operator = await newOperator(api, "support");
    assert.equal(code(await gql(api, ops.OperatorDocument, {}, operator.token)), "OK");
    assert.equal((await gqlOk(api, ops.SignOutDocument, {}, operator.token)).signOut, true);
    assert.equal(code(await gql(api, ops.OperatorDocument, {}, operator.token)), "UNAUTHENTICATED");
  });

  it("reads the signing keys at most a few times for a flood of unknown key ids with a future iat", async () => {
    const config = api.services.config;
    const tokens = createTokenService(api.services.db, {
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      ttlSeconds: config.AUTH_TOKEN_TTL_SECONDS,
      keyEncryptionSecret: config.AUTH_KEY_ENCRYPTION_SECRET,
      unknownKeyReloadMs: 60_000,
      unknownKeyReloadBurst: 2,
    });
    await tokens.ensureKey();
    const enc = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const forged = () => {
      const now = Math.floor(Date.now() / 1000) + 3600;
      return [
        enc({ alg: "ES256", typ: "at+jwt", kid: `sig_${randomBytes(8).toString("hex")}` }),
        enc({ sub: "usr_x", kind: "member", tid: "ten_x", iat: now, exp: now + 900, jti: "jti_x" }),
        randomBytes(64).toString("base64url"),
      ].join(".");
    };
    const before = tokens.keyLoads();
    for (let i = 0; i < 200; i++) await assert.rejects(tokens.verify(forged()), /unknown key/);
    assert.ok(tokens.keyLoads() - before <= 2, `${tokens.keyLoads() - before} key reads for 200 unknown key ids`);
    // Over HTTP too, the API answers UNAUTHENTICATED.
    assert.equal(code(await gql(api, ops.ViewerDocument, {}, forged())), "UNAUTHENTICATED");
  });
});
