import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { print } from "graphql";
import { createClient, type Client as WsClient } from "graphql-ws";
import WebSocket from "ws";
import { startApi, stopApi } from "../scripts/api-process.js";
import { applyRulRule, type RulScoreForAlerts } from "../src/alerts/raise.js";
import { CLOSE_CODES, CLOSE_REASONS } from "../src/api/subscription-access.js";
import { SCOPES } from "../src/auth/scopes.js";
import { newId } from "../src/core/ids.js";
import { connectDb, type Db, withTenant } from "../src/db/client.js";
import * as g from "./generated/graphql.js";
import { newPaidTenant } from "./support/billing.js";
import {
  type ApiAddress,
  addMember,
  gqlOk,
  newApiKey,
  newClientAddress,
  newFleet,
  ownerUrl,
  PASSWORD,
  startApi as startInProcessApi,
  type TestTenant,
  testConfig,
} from "./support/harness.js";
import { waitFor } from "./support/worker.js";

const ASSETS = 40;
/** Long enough for a copy's LISTEN connection to come back (postgres.js backs off up to 20 s) and catch up. */
const DELIVERY_DEADLINE_MS = 90_000;

interface Closed {
  readonly code: number;
  readonly reason: string;
}

/** One graphql-ws connection with an alertRaised (or alertChanged) subscription: what it received and how it ended. */
interface Watcher {
  readonly client: WsClient;
  /** Every alert id received, in order (duplicates included); for alertChanged `id:STATUS`. */
  readonly received: string[];
  readonly errors: { message: string; extensions?: { code?: string } }[];
  closed: Closed | undefined;
  /** Sends a newer token in a ping and waits for the pong (sent once the server handled it), or the close. */
  renew(token: string): Promise<void>;
  /** A query over the same connection. */
  query<T>(document: Parameters<typeof print>[0]): Promise<T>;
}

function watch(api: ApiAddress, credential: string, changes = false): Watcher {
  let socket: WebSocket | undefined;
  const pongs = new Map<string, () => void>();
  let onClosed: (closed: Closed) => void = () => undefined;
  const whenClosed = new Promise<Closed>((resolve) => {
    onClosed = resolve;
  });
  const client = createClient({
    url: `${api.url.replace("http", "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${credential}` },
    lazy: false,
    retryAttempts: 0,
    // The close is recorded below (`closed`), not printed.
    onNonLazyError: () => undefined,
    on: {
      connected: (s) => {
        socket = s as WebSocket;
      },
      pong: (_received, payload) => {
        const id = typeof payload?.id === "string" ? payload.id : undefined;
        if (id) pongs.get(id)?.();
      },
      closed: (event) => {
        const e = event as { code: number; reason: string };
        watcher.closed = { code: e.code, reason: String(e.reason) };
        onClosed(watcher.closed);
      },
    },
  });
  const watcher: Watcher = {
    client,
    received: [],
    errors: [],
    closed: undefined,
    async renew(token) {
      await waitFor("the connection to open", 10_000, async () => socket);
      const id = randomBytes(6).toString("hex");
      const answered = new Promise<void>((resolve) => pongs.set(id, resolve));
      socket?.send(JSON.stringify({ type: "ping", payload: { id, authorization: `Bearer ${token}` } }));
      // A refused renewal closes the connection instead of answering.
      await Promise.race([answered, whenClosed]);
    },
    query<T>(document: Parameters<typeof print>[0]) {
      return new Promise<T>((resolve, reject) => {
        let data: T | undefined;
        client.subscribe<T>(
          { query: print(document) },
          {
            next: (value) => {
              if (value.errors) reject(new Error(JSON.stringify(value.errors)));
              else data = value.data as T;
            },
            error: reject,
            complete: () => (data === undefined ? reject(new Error("no data")) : resolve(data)),
          },
        );
      });
    },
  };
  client.subscribe<{ alertRaised?: { id: string }; alertChanged?: { id: string; status: string } }>(
    { query: print(changes ? g.AlertChangedDocument : g.AlertRaisedDocument) },
    {
      next: (value) => {
        const { alertRaised, alertChanged } = value.data ?? {};
        if (alertRaised) watcher.received.push(alertRaised.id);
        if (alertChanged) watcher.received.push(`${alertChanged.id}:${alertChanged.status}`);
        if (value.errors) watcher.errors.push(...(value.errors as Watcher["errors"]));
      },
      error: (error) => {
        if (Array.isArray(error)) watcher.errors.push(...(error as Watcher["errors"]));
      },
      complete: () => {},
    },
  );
  return watcher;
}

const countOf = (w: Watcher, ids: readonly string[]) => w.received.filter((id) => ids.includes(id)).length;

/** A token lasts at least a minute: waiting for its expiry takes that long. */
const closedOf = (w: Watcher) => waitFor("the server to close the connection", 120_000, async () => w.closed);

describe("subscriptions follow the subscriber across API copies", () => {
  const processes: ChildProcess[] = [];
  let copyA: ApiAddress;
  let copyB: ApiAddress;
  /** The application name copy B gives its Postgres connections, to find its LISTEN backend. */
  const copyBName = `pdm-api-b-${randomBytes(4).toString("hex")}`;
  let tenant: TestTenant;
  let fleet: Awaited<ReturnType<typeof newFleet>>;
  /** Raises alerts as a scoring run does (pdm_app, the tenant's RLS), on one connection opened up front. */
  let raiser: Db;
  const watchers: Watcher[] = [];

  /** Clears the fleet's alerts and raises a new one on every asset, in one transaction: ASSETS new alerts. */
  const raiseRound = () =>
    withTenant(raiser.db, { tenantId: tenant.tenantId }, async (tx) => {
      const ctx = {
        principal: { kind: "workflow" as const, tenantId: tenant.tenantId, workflowId: "wf_subscriptions_test", scopes: SCOPES },
        tx,
        requestId: "req_subscriptions_test",
        deps: {},
      };
      const scores = (rul: number): RulScoreForAlerts[] =>
        fleet.assets.map((a) => ({
          assetId: a.id,
          predictionId: newId("prediction"),
          rul,
          low: rul - 5,
          high: rul + 5,
          modelVersionId: "mdv_test",
        }));
      await applyRulRule(ctx, { assetTypeId: fleet.typeId, scores: scores(100) });
      return applyRulRule(ctx, { assetTypeId: fleet.typeId, scores: scores(10) });
    });

  /**
   * Raises rounds until every watcher received one whole round: a subscription starts a moment
   * after the client sent it, and a round (one transaction) reaches a subscription whole or not at all.
   */
  async function started(...ws: Watcher[]): Promise<void> {
    const rounds: string[][] = [];
    await waitFor("the subscriptions to start", 60_000, async () => {
      if (rounds.some((round) => ws.every((w) => countOf(w, round) === ASSETS))) return true;
      if (rounds.length === 0 || ws.some((w) => w.received.length === 0)) rounds.push(await raiseRound());
      return undefined;
    });
  }

  const signIn = async (api: ApiAddress, email: string) =>
    (await gqlOk(api, g.SignInDocument, { input: { email, password: PASSWORD } }, undefined, newClientAddress())).signIn.token;

  before(async () => {
    const env = { MQTT_BRIDGE: "off" };
    const a = await startApi(env);
    processes.push(a.child);
    const url = new URL(testConfig().DATABASE_URL);
    url.searchParams.set("application_name", copyBName);
    // Copy B issues tokens for a minute (the shortest the configuration allows).
    const b = await startApi({ ...env, DATABASE_URL: url.toString(), AUTH_TOKEN_TTL_SECONDS: "60" });
    processes.push(b.child);
    copyA = { url: a.url };
    copyB = { url: b.url };
    // A fleet beyond the free tier needs a paid plan, set up the way production does (through an
    // in-process API, which the billing helpers need), before the two copies are used.
    const setup = await startInProcessApi();
    try {
      tenant = await newPaidTenant(setup, "Two Copies Ltd");
    } finally {
      await setup.close();
    }
    fleet = await newFleet(copyA, tenant, { assets: ASSETS, sensors: ["s1"] });
    await gqlOk(copyA, g.SetAlertRuleDocument, { input: { assetTypeId: fleet.typeId, rulBelow: 50 } }, tenant.token);
    raiser = connectDb(testConfig().DATABASE_URL, { max: 1, applicationName: "pdm-test-raiser" });
  });

  after(async () => {
    for (const w of watchers) await w.client.dispose();
    await raiser?.close();
    for (const child of processes) await stopApi(child);
  });

  it("closes a removed member's subscription on the other copy at once: nothing of the next scoring reaches it", async () => {
    const viewer = await addMember(copyA, tenant, "VIEWER");
    const owner = watch(copyB, tenant.token);
    const removed = watch(copyB, viewer.token);
    watchers.push(owner, removed);
    await started(owner, removed);

    await gqlOk(copyA, g.RemoveMemberDocument, { userId: viewer.userId }, tenant.token);
    // Raised right after the removal committed, before copy B could have closed anything.
    const round = await raiseRound();
    await waitFor("the owner to receive the round", DELIVERY_DEADLINE_MS, async () =>
      countOf(owner, round) === ASSETS ? true : undefined,
    );
    const closed = await closedOf(removed);

    assert.deepEqual(closed, { code: CLOSE_CODES.forbidden, reason: CLOSE_REASONS.removed });
    assert.equal(countOf(removed, round), 0, "alerts received after the removal");
    assert.equal(owner.closed, undefined, "the owner's subscription goes on");
  });

  it("pushes acknowledgements made through one copy to alertChanged subscribers on the other, each once", async () => {
    const viewer = await addMember(copyA, tenant, "VIEWER");
    const changes = watch(copyB, viewer.token, true);
    watchers.push(changes);
    const acknowledged = (ids: readonly string[]) => ids.map((id) => `${id}:ACKNOWLEDGED`);
    const acknowledgeRound = async () => {
      const round = await raiseRound();
      await gqlOk(copyA, g.AcknowledgeAlertsDocument, { ids: round }, tenant.token);
      return round;
    };
    // The subscription starts a moment after the client sent it: acknowledge rounds until one reaches it whole.
    const rounds: string[][] = [];
    await waitFor("the subscription to start", 60_000, async () => {
      if (rounds.some((round) => countOf(changes, acknowledged(round)) === ASSETS)) return true;
      if (rounds.length === 0 || changes.received.length === 0) rounds.push(await acknowledgeRound());
      return undefined;
    });

    const round = acknowledged(await acknowledgeRound());
    await waitFor("copy B to push the acknowledgements", DELIVERY_DEADLINE_MS, async () =>
      countOf(changes, round) === ASSETS ? true : undefined,
    );
    assert.equal(new Set(changes.received).size, changes.received.length, "no change was delivered twice");
    assert.deepEqual(changes.errors, []);
  });

  it("closes every subscription of a member who signed out everywhere", async () => {
    const engineer = await addMember(copyA, tenant, "ENGINEER");
    const owner = watch(copyB, tenant.token);
    const signedOut = watch(copyB, engineer.token);
    watchers.push(owner, signedOut);
    await started(owner, signedOut);

    await gqlOk(copyA, g.SignOutEverywhereDocument, {}, engineer.token);
    const round = await raiseRound();
    await waitFor("the owner to receive the round", DELIVERY_DEADLINE_MS, async () =>
      countOf(owner, round) === ASSETS ? true : undefined,
    );
    const closed = await closedOf(signedOut);

    assert.deepEqual(closed, { code: CLOSE_CODES.unauthorized, reason: CLOSE_REASONS.sessionEnded });
    assert.equal(countOf(signedOut, round), 0, "alerts received after signing out everywhere");
  });

  it("closes only the signed-out token's subscription on sign-out, and the others when the password changes", async () => {
    const member = await addMember(copyA, tenant, "ENGINEER");
    const first = watch(copyB, member.token);
    const second = await signIn(copyA, member.email);
    const other = watch(copyB, second);
    watchers.push(first, other);
    await started(first, other);

    await gqlOk(copyA, g.SignOutDocument, {}, member.token);
    const round = await raiseRound();
    await waitFor("the other session to receive the round", DELIVERY_DEADLINE_MS, async () =>
      countOf(other, round) === ASSETS ? true : undefined,
    );
    assert.deepEqual(await closedOf(first), { code: CLOSE_CODES.unauthorized, reason: CLOSE_REASONS.sessionEnded });
    assert.equal(countOf(first, round), 0, "alerts received after signing out");
    assert.equal(other.closed, undefined, "the member's other session goes on");

    await gqlOk(copyA, g.ChangePasswordDocument, { input: { currentPassword: PASSWORD, newPassword: `${PASSWORD} again` } }, second);
    const next = await raiseRound();
    assert.deepEqual(await closedOf(other), { code: CLOSE_CODES.unauthorized, reason: CLOSE_REASONS.sessionEnded });
    assert.equal(countOf(other, next), 0, "alerts received after the password changed");
  });

  it("closes a subscription opened with an API key when the key is revoked", async () => {
    const key = await newApiKey(copyA, tenant, ["models:read"]);
    const owner = watch(copyB, tenant.token);
    const partner = watch(copyB, key.secret);
    watchers.push(owner, partner);
    await started(owner, partner);

    await gqlOk(copyA, g.RevokeApiKeyDocument, { id: key.id }, tenant.token);
    const round = await raiseRound();
    await waitFor("the owner to receive the round", DELIVERY_DEADLINE_MS, async () =>
      countOf(owner, round) === ASSETS ? true : undefined,
    );
    const closed = await closedOf(partner);

    assert.deepEqual(closed, { code: CLOSE_CODES.unauthorized, reason: CLOSE_REASONS.apiKey });
    assert.equal(countOf(partner, round), 0, "alerts received after the revocation");
  });

  it("fails only the subscription a new role no longer allows; the connection stays open", async () => {
    const member = await addMember(copyA, tenant, "VIEWER");
    const owner = watch(copyB, tenant.token);
    const demoted = watch(copyB, member.token);
    watchers.push(owner, demoted);
    await started(owner, demoted);

    await gqlOk(copyA, g.UpdateMemberRoleDocument, { userId: member.userId, role: "FINANCE" }, tenant.token);
    const round = await raiseRound();
    await waitFor("the owner to receive the round", DELIVERY_DEADLINE_MS, async () =>
      countOf(owner, round) === ASSETS ? true : undefined,
    );
    await waitFor("the subscription to fail", DELIVERY_DEADLINE_MS, async () => (demoted.errors.length > 0 ? true : undefined));

    assert.equal(demoted.errors[0]?.extensions?.code, "FORBIDDEN");
    assert.equal(countOf(demoted, round), 0, "alerts received after the role change");
    // The same connection still answers, as the member with the new role.
    const { viewer } = await demoted.query<g.ViewerQuery>(g.ViewerDocument);
    assert.equal(viewer.role, "FINANCE");
    assert.equal(demoted.closed, undefined);
  });

  it("closes a subscription when its token expires, unless the client renewed the token on the connection", async () => {
    const member = await addMember(copyA, tenant, "ENGINEER");
    // Tokens of copy B last a minute; the renewal comes from copy A (fifteen minutes).
    const shortLived = await signIn(copyB, member.email);
    const kept = watch(copyB, shortLived);
    const lapsed = watch(copyB, shortLived);
    watchers.push(kept, lapsed);
    await started(kept, lapsed);

    await kept.renew(await signIn(copyA, member.email));
    const closed = await closedOf(lapsed);
    assert.deepEqual(closed, { code: CLOSE_CODES.unauthorized, reason: CLOSE_REASONS.expired });

    const round = await raiseRound();
    await waitFor("the renewed subscription to receive the round", DELIVERY_DEADLINE_MS, async () =>
      countOf(kept, round) === ASSETS ? true : undefined,
    );
    assert.equal(countOf(lapsed, round), 0);
    assert.equal(kept.closed, undefined, "the renewed connection stays open");
  });

  it("refuses a renewal with a token that does not verify, or with another member's token", async () => {
    const member = await addMember(copyA, tenant, "ENGINEER");
    const forged = watch(copyB, member.token);
    const w = watch(copyB, member.token);
    watchers.push(forged, w);
    await started(forged, w);
    await forged.renew(`${member.token.slice(0, -4)}AAAA`);
    assert.deepEqual(await closedOf(forged), { code: CLOSE_CODES.unauthorized, reason: CLOSE_REASONS.renewalRefused });
    await w.renew(tenant.token);
    assert.deepEqual(await closedOf(w), { code: CLOSE_CODES.forbidden, reason: CLOSE_REASONS.renewalOtherSubject });
  });

  it("delivers every alert exactly once after the copy's LISTEN connection was killed and alerts were raised meanwhile", async () => {
    const subscriber = watch(copyB, tenant.token);
    watchers.push(subscriber);
    await started(subscriber);
    const before = await raiseRound();
    await waitFor("the live round", DELIVERY_DEADLINE_MS, async () => (countOf(subscriber, before) === ASSETS ? true : undefined));

    const owner = connectDb(ownerUrl(), { max: 1, applicationName: "pdm-test-owner" });
    const listenBackends = () =>
      raiser.sql<{ pid: number }[]>`
        select pid from pg_stat_activity where application_name = ${copyBName} and query ilike 'listen %'`;
    let whileDown: string[] = [];
    try {
      const [database] = await owner.sql<{ name: string; limit: number }[]>`
        select datname as name, datconnlimit as "limit" from pg_database where datname = current_database()`;
      assert.ok(database);
      const [listener, ...others] = await listenBackends();
      assert.ok(listener, "copy B listens");
      assert.equal(others.length, 0, "copy B listens on one connection");
      // No new connection to the database until this test allows it again: copy B cannot listen
      // again before the alerts below are committed (connections already open go on).
      await owner.sql`alter database ${owner.sql(database.name)} connection limit 0`;
      try {
        const [killed] = await raiser.sql<{ ok: boolean }[]>`select pg_terminate_backend(${listener.pid}, 10000) as ok`;
        assert.equal(killed?.ok, true);
        assert.equal((await listenBackends()).length, 0, "copy B does not listen");
        whileDown = await raiseRound();
        const ready = (await (await fetch(`${copyB.url}/readyz`)).json()) as { checks: Record<string, { ok: boolean }> };
        assert.equal(ready.checks.alert_feed?.ok, false, "copy B reports its alert feed down");
      } finally {
        await owner.sql`alter database ${owner.sql(database.name)} connection limit ${owner.sql.unsafe(String(database.limit))}`;
      }
    } finally {
      await owner.close();
    }

    await waitFor("the alerts raised while copy B was not listening", DELIVERY_DEADLINE_MS, async () =>
      countOf(subscriber, whileDown) === ASSETS ? true : undefined,
    );
    await waitFor("copy B to report its alert feed ready", DELIVERY_DEADLINE_MS, async () => {
      const ready = (await (await fetch(`${copyB.url}/readyz`)).json()) as { checks: Record<string, { ok: boolean }> };
      return ready.checks.alert_feed?.ok ? true : undefined;
    });
    const afterwards = await raiseRound();
    await waitFor("the next live round", DELIVERY_DEADLINE_MS, async () => (countOf(subscriber, afterwards) === ASSETS ? true : undefined));

    for (const round of [before, whileDown, afterwards]) assert.equal(countOf(subscriber, round), ASSETS);
    assert.equal(new Set(subscriber.received).size, subscriber.received.length, "no alert was delivered twice");
    assert.equal(subscriber.closed, undefined);
  });
});
