import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { InfluxDB } from "@influxdata/influxdb-client";
import { newPaidTenant } from "./support/billing.js";
import { type Api, newFleet, startApi, type TestTenant, testConfig } from "./support/harness.js";
import { countPoints } from "./support/telemetry.js";

type Fleet = Awaited<ReturnType<typeof newFleet>>;

/** The write routes as InfluxDB 1.x and 2.x tools call them, with the exact headers they send. */
describe("InfluxDB write compatibility of the ingest routes", () => {
  let api: Api;
  let t: TestTenant;
  let fleet: Fleet;
  let second = Math.floor(Date.now() / 1000) - 86_400;
  const MAX_BODY = 64 * 1024;

  before(async () => {
    api = await startApi(testConfig({ INGEST_MAX_BODY_BYTES: String(MAX_BODY) }));
    t = await newPaidTenant(api, "Wire Compat Ltd");
    fleet = await newFleet(api, t, { assets: 1, sensors: ["s1"] });
  });
  after(async () => {
    await api?.close();
  });

  /** One fresh point (its own second) of engine_1, as line protocol with second precision. */
  const nextLine = () => `turbofan,asset=engine_1 s1=${(second % 100) + 1} ${++second}`;

  type Route = "v1" | "v2";
  const pathOf = (route: Route, query: Record<string, string> = {}) => {
    const params = new URLSearchParams(
      route === "v1" ? { db: "x", precision: "s", ...query } : { org: "o", bucket: "b", precision: "s", ...query },
    );
    return `${api.url}${route === "v1" ? "/write" : "/api/v2/write"}?${params}`;
  };

  async function post(route: Route, headers: Record<string, string>, body: Uint8Array | string, query: Record<string, string> = {}) {
    const res = await fetch(pathOf(route, query), { method: "POST", headers, body });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  /** Writes one point and asserts 204 and that InfluxDB now holds one more point. */
  async function assertWrites(
    route: Route,
    headers: Record<string, string>,
    options: { gzip?: boolean; query?: Record<string, string> } = {},
  ) {
    const before = await countPoints(api, t.tenantId);
    const line = Buffer.from(nextLine());
    const res = await post(route, headers, options.gzip ? gzipSync(line) : new Uint8Array(line), options.query);
    assert.deepEqual(res, { status: 204, body: {} });
    assert.equal(await countPoints(api, t.tenantId), before + 1);
  }

  const token = () => fleet.deviceToken;
  const basic = () => `Basic ${Buffer.from(`gateway:${token()}`).toString("base64")}`;

  describe("accepts line protocol under any or no Content-Type", () => {
    const contentTypes: { name: string; headers: () => Record<string, string> }[] = [
      { name: "an empty Content-Type (the 1.x Go clients and the influx CLI)", headers: () => ({ "content-type": "" }) },
      { name: "no Content-Type at all", headers: () => ({}) },
      { name: "text/plain; charset=utf-8", headers: () => ({ "content-type": "text/plain; charset=utf-8" }) },
      { name: "application/octet-stream", headers: () => ({ "content-type": "application/octet-stream" }) },
      {
        name: "application/x-www-form-urlencoded (curl --data-binary)",
        headers: () => ({ "content-type": "application/x-www-form-urlencoded" }),
      },
      { name: "a value that is no media type", headers: () => ({ "content-type": "lineprotocol" }) },
    ];
    for (const route of ["v1", "v2"] as const) {
      for (const c of contentTypes) {
        it(`${route}: ${c.name}`, async () => {
          await assertWrites(route, { authorization: `Token ${token()}`, ...c.headers() });
        });
      }
      it(`${route}: a gzip body with an empty Content-Type`, async () => {
        await assertWrites(route, { authorization: `Token ${token()}`, "content-type": "", "content-encoding": "gzip" }, { gzip: true });
      });
    }
  });

  it("leaves /graphql's own parsing alone: a GraphQL POST with an empty Content-Type is still 415", async () => {
    const res = await fetch(`${api.url}/graphql`, { method: "POST", headers: { "content-type": "" }, body: '{"query":"{ __typename }"}' });
    assert.equal(res.status, 415);
  });

  describe("accepts every InfluxDB credential form", () => {
    const forms: { name: string; headers: () => Record<string, string>; query?: () => Record<string, string> }[] = [
      { name: "u and p query parameters", headers: () => ({}), query: () => ({ u: "gateway", p: token() }) },
      { name: "Basic", headers: () => ({ authorization: basic() }) },
      { name: "Authorization: Token", headers: () => ({ authorization: `Token ${token()}` }) },
      { name: "Authorization: Bearer", headers: () => ({ authorization: `Bearer ${token()}` }) },
      {
        name: "Authorization: Token user:password (InfluxDB 1.8's 2.x-compatible form)",
        headers: () => ({ authorization: `Token gateway:${token()}` }),
      },
    ];
    for (const route of ["v1", "v2"] as const) {
      for (const f of forms) {
        it(`${route}: ${f.name}`, async () => {
          await assertWrites(route, { "content-type": "text/plain", ...f.headers() }, f.query ? { query: f.query() } : {});
        });
      }
    }
    it("refuses a wrong password in each form with 401, never writing", async () => {
      for (const route of ["v1", "v2"] as const) {
        for (const [headers, query] of [
          [{}, { u: "gateway", p: "wrong" }],
          [{ authorization: `Basic ${Buffer.from("gateway:wrong").toString("base64")}` }, {}],
          [{ authorization: "Token wrong" }, {}],
          [{ authorization: "Bearer wrong" }, {}],
          [{ authorization: `Token gateway:wrong` }, {}],
        ] as const) {
          const before = await countPoints(api, t.tenantId);
          const res = await post(route, { "content-type": "text/plain", ...headers }, nextLine(), query);
          assert.equal(res.status, 401, `${route} ${JSON.stringify(headers)}`);
          if (route === "v1") assert.equal(typeof res.body.error, "string");
          else assert.equal(res.body.code, "unauthorized");
          assert.equal(await countPoints(api, t.tenantId), before);
        }
      }
    });
  });

  describe("keeps the framework's 4xx statuses, in InfluxDB's error shape", () => {
    for (const route of ["v1", "v2"] as const) {
      it(`${route}: a body over the limit is 413, not an internal error`, async () => {
        const huge = `${nextLine()}\n`.repeat(Math.ceil((MAX_BODY * 2) / 30));
        const res = await post(route, { authorization: `Token ${token()}`, "content-type": "text/plain" }, huge);
        assert.equal(res.status, 413);
        if (route === "v1") assert.match(String(res.body.error), /larger than/);
        else assert.deepEqual([res.body.code, /larger than/.test(String(res.body.message))], ["request too large", true]);
      });
      it(`${route}: a streamed body over the limit is 413 too`, async () => {
        const chunk = new TextEncoder().encode(`${nextLine()}\n`.repeat(1000));
        let sent = 0;
        const stream = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent > MAX_BODY * 2) return controller.close();
            sent += chunk.byteLength;
            controller.enqueue(chunk);
          },
        });
        const res = await fetch(pathOf(route), {
          method: "POST",
          headers: { authorization: `Token ${token()}` },
          body: stream,
          duplex: "half",
        } as RequestInit);
        assert.equal(res.status, 413);
        const body = (await res.json()) as Record<string, unknown>;
        assert.equal(route === "v1" ? typeof body.error : body.code, route === "v1" ? "string" : "request too large");
      });
    }
  });

  describe("answers the InfluxDB probes", () => {
    it("GET /health answers as InfluxDB 2.x, and the official client reads it as passing", async () => {
      const res = await fetch(`${api.url}/health`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
      const body = (await res.json()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body).sort(), ["checks", "commit", "message", "name", "status", "version"]);
      assert.deepEqual([body.name, body.message, body.status, body.checks], ["influxdb", "ready for queries and writes", "pass", []]);
      assert.equal(typeof body.version, "string");
      assert.equal(typeof body.commit, "string");

      // The transport the official 2.x client sends its health() and ping requests through.
      const transport = new InfluxDB({ url: api.url, token: token() }).transport;
      const health = (await transport.request("/health", null, { method: "GET" })) as Record<string, unknown>;
      assert.deepEqual([health.name, health.status], ["influxdb", "pass"]);
    });

    it("GET and HEAD /ping answer 204 with InfluxDB's version headers, and the official client's ping passes", async () => {
      for (const method of ["GET", "HEAD"]) {
        const res = await fetch(`${api.url}/ping`, { method });
        assert.equal(res.status, 204, method);
        assert.ok(res.headers.get("x-influxdb-version"), method);
        assert.ok(res.headers.get("x-influxdb-build"), method);
      }
      const headers: Record<string, unknown>[] = [];
      await new InfluxDB({ url: api.url }).transport.request("/ping", null, { method: "GET" }, (h) => headers.push(h));
      assert.equal(typeof headers[0]?.["x-influxdb-version"], "string");
    });
  });
});
