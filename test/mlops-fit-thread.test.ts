import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fitAnomalyModel } from "../src/ml/anomaly.js";
import { encodeAnomalyModel } from "../src/ml/anomaly-format.js";
import type { SeriesSet } from "../src/ml/series.js";
import { syntheticFleet } from "../src/ml/synthetic.js";
import { falseAlarmShare } from "../src/mlops/anomaly-fit.js";
import { FitFailure, fitInThread } from "../src/mlops/fit.js";

const fleet = syntheticFleet({ assets: 12, sensors: 4, wearSensors: [1], minLife: 100, maxLife: 140, noise: 0.3, seed: 7 });
const train: SeriesSet = { ...fleet.set, assets: fleet.set.assets.slice(0, 10) };
const holdout = fleet.set.assets.slice(10);

describe("the anomaly fit in a worker thread", () => {
  it("stores the same model bytes and judges the holdout as a fit on the calling thread does", async () => {
    const shares: number[] = [];
    const champion = encodeAnomalyModel(fitAnomalyModel(train, { seed: 3 }));
    const done = await fitInThread({ task: "anomaly", train, holdout, all: fleet.set, champion }, (s) => shares.push(s));
    const candidate = fitAnomalyModel(train);
    const model = fitAnomalyModel(fleet.set);
    assert.equal(done.artifact, encodeAnomalyModel(model));
    assert.deepEqual(done.candidateHoldout, falseAlarmShare(candidate, holdout));
    assert.deepEqual(done.championHoldout, falseAlarmShare(fitAnomalyModel(train, { seed: 3 }), holdout));
    assert.equal(done.threshold, model.threshold);
    assert.deepEqual(shares, [0, 0.5]);
  });

  it("answers data it cannot learn from as a data error", async () => {
    const empty: SeriesSet = { ...fleet.set, assets: [] };
    const failure = await fitInThread({ task: "anomaly", train: empty, holdout, all: empty, champion: null }, () => {}).catch(
      (error: unknown) => error,
    );
    assert.ok(failure instanceof FitFailure, String(failure));
    assert.equal(failure.dataError, true);
  });
});
