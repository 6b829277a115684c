import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { limiter } from "../src/billing/usage-sync.js";
import { admitted } from "../src/billing/usage-sync-tenants.js";

/** A promise and the function that settles it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A sync's tenants, as syncTenants runs them: each plans (until its plan is released), puts
 * `sends` requests into a shared limiter of `inFlight`, says so (`planned`), and ends when they
 * are answered (each when released).
 */
function tenants(count: number, sends: number, inFlight: number) {
  const seen = { planning: 0, maxPlanning: 0, active: 0, maxActive: 0, started: [] as number[] };
  const plans = Array.from({ length: count }, deferred);
  const requests: (() => void)[] = [];
  let wake = (): void => {};
  const limit = limiter(inFlight, () => wake());
  const run = admitted(
    Array.from({ length: count }, (_, k) => k),
    { planning: 2, active: 6, load: 2 * inFlight },
    () => limit.load,
    async (k, planned) => {
      seen.started.push(k);
      seen.planning += 1;
      seen.active += 1;
      seen.maxPlanning = Math.max(seen.maxPlanning, seen.planning);
      seen.maxActive = Math.max(seen.maxActive, seen.active);
      await plans[k]?.promise;
      const sent = Array.from({ length: sends }, () =>
        limit(() => {
          const request = deferred();
          requests.push(request.resolve);
          return request.promise;
        }),
      );
      seen.planning -= 1;
      planned();
      await Promise.all(sent);
      seen.active -= 1;
      return `tenant ${k}`;
    },
  );
  wake = run.wake;
  run.wake();
  return { seen, plans, requests, limit, done: run.done };
}

describe("usage sync: which tenants run at once", () => {
  it("starts no more than two plans at once, and the next tenant only once a plan ends", async () => {
    const { seen, plans } = tenants(5, 1, 64);
    await turn();
    assert.deepEqual(seen.started, [0, 1]);
    plans[1]?.resolve();
    await turn();
    assert.deepEqual(seen.started, [0, 1, 2], "a plan that ended lets the next tenant start");
    assert.equal(seen.maxPlanning, 2);
  });

  it("holds tenants back while the pool holds enough requests, and starts them as it drains", async () => {
    // Tenants of 100 requests each, 10 in flight: the first tenant's requests alone exceed the
    // 20 (2 × in flight) at which no tenant starts.
    const { seen, plans, requests, done } = tenants(4, 100, 10);
    for (const plan of plans) plan.resolve();
    await turn();
    assert.deepEqual(seen.started, [0, 1], "two planned at once, then the pool was full");
    await turn();
    assert.deepEqual(seen.started, [0, 1]);
    // Answer requests until the pool runs low: the next tenants start, one at a time as needed.
    let answered = 0;
    while (seen.started.length < 4) {
      const next = requests.shift();
      assert.ok(next, "a request is waiting whenever a tenant is held back");
      next();
      answered += 1;
      await turn();
    }
    assert.ok(answered >= 180, `tenants 2 and 3 started only once the pool ran low (after ${answered} answers)`);
    while (requests.length > 0 || seen.active > 0) {
      requests.shift()?.();
      await turn();
    }
    assert.deepEqual(await done, ["tenant 0", "tenant 1", "tenant 2", "tenant 3"], "outcomes in the tenants' order");
  });

  it("runs many small tenants at once, up to the limit of tenants under way", async () => {
    // One request each, none answered yet: the pool never fills, so only `active` (6) holds them.
    const { seen, plans, requests, done } = tenants(10, 1, 64);
    for (const plan of plans) plan.resolve();
    for (let i = 0; i < 5; i++) await turn();
    assert.equal(seen.maxActive, 6);
    assert.equal(seen.started.length, 6);
    while (seen.started.length < 10 || seen.active > 0) {
      requests.shift()?.();
      await turn();
    }
    assert.equal((await done).length, 10);
  });

  it("ends at once when there are no tenants", async () => {
    const run = admitted(
      [],
      { planning: 2, active: 6, load: 1 },
      () => 0,
      async () => "never",
    );
    run.wake();
    assert.deepEqual(await run.done, []);
  });
});
