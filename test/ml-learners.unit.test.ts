import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeFloat64, decodeInt32, encodeFloat64, encodeInt32 } from "../src/ml/codec.js";
import { DEFAULT_GBM, fitGbm, predictGbm } from "../src/ml/gbm.js";
import { kMeans } from "../src/ml/kmeans.js";
import { createRng, deriveSeed } from "../src/ml/random.js";
import { fitRidge, predictRidge } from "../src/ml/ridge.js";

function table(n: number, width: number, seed: number, f: (row: Float64Array) => number): { x: Float64Array; y: Float64Array } {
  const rng = createRng(seed);
  const x = new Float64Array(n * width);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < width; j++) x[i * width + j] = rng.next();
    y[i] = f(x.subarray(i * width, (i + 1) * width)) + 0.1 * rng.normal();
  }
  return { x, y };
}

describe("boosted trees", () => {
  const target = (r: Float64Array): number =>
    10 * ((r[0] as number) > 0.5 ? 1 : 0) + 5 * (r[1] as number) * (r[2] as number) - 3 * (r[3] as number) ** 2;
  const params = { ...DEFAULT_GBM, trees: 150, learningRate: 0.1, maxLeaves: 16, minLeaf: 10, colSample: 1 };

  it("learn a step, an interaction and a curve, and generalise to new rows", () => {
    const train = table(3000, 5, 1, target);
    const test = table(1000, 5, 2, target);
    const model = fitGbm(train.x, 3000, 5, train.y, params);
    let se = 0;
    let ss = 0;
    let mean = 0;
    for (let i = 0; i < 1000; i++) mean += (test.y[i] as number) / 1000;
    for (let i = 0; i < 1000; i++) {
      se += (predictGbm(model, test.x, i * 5) - (test.y[i] as number)) ** 2;
      ss += ((test.y[i] as number) - mean) ** 2;
    }
    const r2 = 1 - se / ss;
    assert.ok(r2 > 0.95, `R² ${r2.toFixed(3)}`);
    assert.ok((model.gain[0] as number) > (model.gain[4] as number) * 10, "the step feature matters more than the unused one");
  });

  it("are deterministic for a seed and differ between seeds when sampling", () => {
    const train = table(500, 4, 3, target);
    const sampled = { ...params, trees: 20, rowSample: 0.7, colSample: 0.5 };
    const a = fitGbm(train.x, 500, 4, train.y, { ...sampled, seed: 9 });
    const b = fitGbm(train.x, 500, 4, train.y, { ...sampled, seed: 9 });
    const c = fitGbm(train.x, 500, 4, train.y, { ...sampled, seed: 10 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.value, c.value);
  });

  it("respect the minimum leaf size and refuse bad inputs", () => {
    const train = table(200, 2, 4, (r) => 10 * (r[0] as number));
    const model = fitGbm(train.x, 200, 2, train.y, { ...params, trees: 1, minLeaf: 120 });
    assert.equal(model.feature.filter((f) => f >= 0).length, 0, "no split can leave 120 rows on both sides of 200");
    const bad = Float64Array.from(train.x);
    bad[7] = Number.NaN;
    assert.throws(() => fitGbm(bad, 200, 2, train.y, params), /row 3, column 1 is not finite/);
    assert.throws(() => fitGbm(train.x, 200, 2, train.y, { ...params, bins: 300 }), /bins must be ≤ 256/);
  });
});

describe("ridge regression", () => {
  it("recovers a linear function", () => {
    const { x, y } = table(400, 3, 5, (r) => 3 * (r[0] as number) - 2 * (r[1] as number) + 1);
    const model = fitRidge(x, 400, 3, y, 1e-8);
    const probe = Float64Array.from([0.2, 0.9, 0.5]);
    assert.ok(Math.abs(predictRidge(model, probe) - (3 * 0.2 - 2 * 0.9 + 1)) < 0.05);
    const shrunk = fitRidge(x, 400, 3, y, 10);
    assert.ok(Math.abs(shrunk.weights[0] as number) < Math.abs(model.weights[0] as number));
  });
});

describe("k-means", () => {
  it("finds well separated clusters in a fixed order", () => {
    const rng = createRng(3);
    const centres = [
      [5, 5],
      [0, 0],
      [-4, 6],
    ];
    const points = new Float64Array(300 * 2);
    for (let i = 0; i < 300; i++) {
      const c = centres[i % 3] as number[];
      points[2 * i] = (c[0] as number) + 0.1 * rng.normal();
      points[2 * i + 1] = (c[1] as number) + 0.1 * rng.normal();
    }
    const { centroids } = kMeans(points, 2, 3, 1);
    const expected = [...centres].sort((a, b) => (a[0] as number) - (b[0] as number));
    centroids.forEach((c, k) => {
      assert.ok(Math.hypot((c[0] as number) - (expected[k]?.[0] as number), (c[1] as number) - (expected[k]?.[1] as number)) < 0.05);
    });
  });
});

describe("random numbers and codecs", () => {
  it("repeat for a seed", () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(
      sa,
      Array.from({ length: 5 }, () => b.next()),
    );
    assert.notDeepEqual(
      sa,
      Array.from({ length: 5 }, () => c.next()),
    );
    assert.ok(sa.every((v) => v >= 0 && v < 1));
    assert.notEqual(deriveSeed(1, 0), deriveSeed(1, 1));
  });

  it("encode typed arrays exactly", () => {
    const f = Float64Array.from([0, -0, 1e-300, Math.PI, -Number.MAX_VALUE, 0.1 + 0.2]);
    assert.deepEqual(decodeFloat64(encodeFloat64(f), "f"), f);
    assert.ok(Object.is(decodeFloat64(encodeFloat64(f), "f")[1], -0));
    const i = Int32Array.from([-1, 0, 2147483647, -2147483648]);
    assert.deepEqual(decodeInt32(encodeInt32(i), "i"), i);
    assert.throws(() => decodeFloat64("AAAA", "thresholds"), /thresholds has 3 bytes, not a multiple of 8/);
    assert.throws(() => decodeInt32("!!", "roots"), /roots is not base64/);
  });
});
