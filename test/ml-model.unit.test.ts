import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MlInputError } from "../src/ml/errors.js";
import { runToFailureLabels } from "../src/ml/labels.js";
import { decodeRulModel, encodeRulModel, RUL_MODEL_FORMAT, RUL_MODEL_VERSION } from "../src/ml/model-format.js";
import { fitRulModel, predictRul, predictRulMany, predictRulSeries, type RulModel, type RulParamsInput } from "../src/ml/rul-model.js";
import { sliceAsset } from "../src/ml/series.js";
import { syntheticFleet } from "../src/ml/synthetic.js";
import { slidingWindows } from "../src/ml/window.js";

const CAP = 60;
const SMALL: RulParamsInput = {
  cap: CAP,
  features: { window: 20 },
  gbm: { trees: 40, maxLeaves: 8, minLeaf: 10 },
  interval: { folds: 3, buckets: 3 },
};

const { set } = syntheticFleet({
  assets: 14,
  sensors: 5,
  constantSensors: [4],
  minLife: 60,
  maxLife: 100,
  minWear: 25,
  maxWear: 45,
  seed: 11,
});
const train = { ...set, assets: set.assets.slice(0, 10) };
const held = set.assets.slice(10);

function fit(seed: number, extra: RulParamsInput = {}): RulModel {
  return fitRulModel(
    train,
    runToFailureLabels(train, CAP),
    { ...SMALL, ...extra, seed },
    { dataset: "synthetic", trainedAt: "2024-01-01T00:00:00.000Z" },
  );
}

const model = fit(5);
const bytes = encodeRulModel(model);

describe("remaining-life model", () => {
  it("is deterministic: the same seed gives the same model bytes, another seed other bytes", () => {
    assert.equal(encodeRulModel(fit(5)), bytes);
    assert.notEqual(encodeRulModel(fit(6)), bytes);
  });

  it("predicts within [0, cap] with an interval around the prediction, for any window length", () => {
    for (const asset of held) {
      for (const window of [sliceAsset(asset, 0, 1), sliceAsset(asset, 0, 5), asset]) {
        const p = predictRul(model, window);
        assert.ok(p.rul >= 0 && p.rul <= CAP, `rul ${p.rul}`);
        assert.ok(p.interval[0] <= p.rul && p.rul <= p.interval[1], `interval ${p.interval} around ${p.rul}`);
        assert.ok(p.interval[0] >= 0);
      }
    }
  });

  it("gives the same prediction for a window as for the same row of the whole series", () => {
    const asset = held[0];
    assert.ok(asset);
    const series = predictRulSeries(model, asset);
    const windows = slidingWindows(asset, 20);
    const many = predictRulMany(model, windows);
    many.forEach((p, r) => {
      assert.equal(p.rul, series[r]);
    });
  });

  it("learns: held-out error well below always predicting the mean label", () => {
    let se = 0;
    let seMean = 0;
    let n = 0;
    const labels = runToFailureLabels({ ...set, assets: held }, CAP);
    const all = runToFailureLabels(train, CAP).flatMap((l) => Array.from(l));
    const mean = all.reduce((s, v) => s + v, 0) / all.length;
    held.forEach((asset, a) => {
      const p = predictRulSeries(model, asset);
      const l = labels[a] as Float64Array;
      for (let r = 0; r < p.length; r++) {
        se += ((p[r] as number) - (l[r] as number)) ** 2;
        seMean += (mean - (l[r] as number)) ** 2;
        n++;
      }
    });
    const rmse = Math.sqrt(se / n);
    const rmseMean = Math.sqrt(seMean / n);
    assert.ok(rmse < 0.6 * rmseMean, `model ${rmse.toFixed(2)} vs mean ${rmseMean.toFixed(2)}`);
  });

  it("refuses windows with missing or infinite readings, or with the wrong columns", () => {
    const asset = held[0];
    assert.ok(asset);
    const broken = {
      ...asset,
      sensors: asset.sensors.map((c, s) => (s === 2 ? Float64Array.from(c, (v, i) => (i === 3 ? Number.NaN : v)) : c)),
    };
    assert.throws(
      () => predictRul(model, broken),
      (e: unknown) => e instanceof MlInputError && /sensor "sensor3" has a non-finite value \(NaN\) at row 3/.test(e.message),
    );
    const infinite = { ...asset, settings: asset.settings.map((c) => Float64Array.from(c, () => Number.POSITIVE_INFINITY)) };
    assert.throws(() => predictRul(model, infinite), /setting "altitude" has a non-finite value \(Infinity\)/);
    assert.throws(() => predictRul(model, { ...asset, sensors: asset.sensors.slice(1) }), /4 sensor columns, expected 5/);
  });

  it("refuses bad labels and parameters before fitting", () => {
    assert.throws(() => fitRulModel(train, runToFailureLabels(train, CAP).slice(1), SMALL), /9 label series for 10 assets/);
    const labels = runToFailureLabels(train, CAP);
    (labels[0] as Float64Array)[0] = -1;
    assert.throws(() => fitRulModel(train, labels, SMALL), /label at row 0 is -1/);
    assert.throws(
      () => fitRulModel(train, runToFailureLabels(train, CAP), { ...SMALL, gbm: { trees: 0 } }),
      /trees must be a whole number ≥ 1/,
    );
    assert.throws(
      () => fitRulModel(train, runToFailureLabels(train, CAP), { ...SMALL, cap: Number.POSITIVE_INFINITY }),
      /cap must be a finite number/,
    );
  });
});

describe("model format", () => {
  it("describes itself: format, version, names, feature config, normalisation and training", () => {
    const doc = JSON.parse(bytes) as Record<string, unknown>;
    assert.equal(doc.format, RUL_MODEL_FORMAT);
    assert.equal(doc.version, RUL_MODEL_VERSION);
    assert.deepEqual(doc.sensorNames, set.sensorNames);
    const norm = doc.normalisation as { keptSensors: string[] };
    assert.deepEqual(norm.keptSensors, ["sensor1", "sensor2", "sensor3", "sensor4"]);
    const training = doc.training as { assets: number; featureNames: string[]; dataset: string };
    assert.equal(training.assets, 10);
    assert.equal(training.dataset, "synthetic");
    assert.ok(training.featureNames.includes("hi.mean20"));
    assert.equal((doc.params as { features: { window: number } }).features.window, 20);
  });

  it("loads back identically: same bytes, same predictions and intervals", () => {
    const loaded = decodeRulModel(bytes);
    assert.equal(encodeRulModel(loaded), bytes);
    for (const asset of held) {
      assert.deepEqual(predictRulSeries(loaded, asset), predictRulSeries(model, asset));
      assert.deepEqual(predictRul(loaded, asset), predictRul(model, asset));
    }
  });

  it("refuses an unknown format version with a clear error", () => {
    const doc = JSON.parse(bytes) as Record<string, unknown>;
    assert.throws(
      () => decodeRulModel(JSON.stringify({ ...doc, version: RUL_MODEL_VERSION + 1 })),
      (e: unknown) =>
        e instanceof MlInputError &&
        e.message.includes(`version ${RUL_MODEL_VERSION + 1} is not supported`) &&
        e.message.includes(`reads version ${RUL_MODEL_VERSION}`),
    );
    assert.throws(() => decodeRulModel(JSON.stringify({ ...doc, version: "1" })), /version "1" is not supported/);
  });

  it("refuses other documents, bad JSON and inconsistent parts", () => {
    const doc = JSON.parse(bytes) as Record<string, unknown>;
    assert.throws(() => decodeRulModel("{"), /not JSON/);
    assert.throws(() => decodeRulModel(JSON.stringify({ format: "something-else", version: 1 })), /not a remaining-life model/);
    assert.throws(() => decodeRulModel(JSON.stringify({ ...doc, sensorNames: "x" })), /malformed/);
    const params = doc.params as { features: Record<string, unknown> };
    assert.throws(
      () => decodeRulModel(JSON.stringify({ ...doc, params: { ...params, features: { ...params.features, spread: false } } })),
      /trees do not read the \d+ features/,
    );
    const members = doc.members as { left: string }[];
    const bad = members.map((m) => ({ ...m, left: Buffer.alloc(Buffer.from(m.left, "base64").length, 0xff).toString("base64") }));
    assert.throws(() => decodeRulModel(JSON.stringify({ ...doc, members: bad })), /children outside the tree/);
  });
});
