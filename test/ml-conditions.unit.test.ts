import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runToFailureLabels } from "../src/ml/labels.js";
import { rmse } from "../src/ml/metrics.js";
import { conditionColumn, fitConditions, fitNormaliser, normaliseAsset } from "../src/ml/normalise.js";
import { fitRulModel, predictRulSeries, type RulParamsInput } from "../src/ml/rul-model.js";
import type { SeriesSet } from "../src/ml/series.js";
import { syntheticFleet } from "../src/ml/synthetic.js";

/** Six operating conditions (as in C-MAPSS FD002/FD004); sensor 6 is constant within each condition. */
const fleet = syntheticFleet({ assets: 36, conditions: 6, sensors: 6, constantSensors: [5], seed: 21 });
const train: SeriesSet = { ...fleet.set, assets: fleet.set.assets.slice(0, 28) };
const held: SeriesSet = { ...fleet.set, assets: fleet.set.assets.slice(28) };
const CAP = 60;
const PARAMS: RulParamsInput = {
  cap: CAP,
  features: { window: 30 },
  gbm: { trees: 80, maxLeaves: 12, minLeaf: 20 },
  interval: { folds: 0 },
  seed: 3,
};

function heldOutRmse(params: RulParamsInput): number {
  const model = fitRulModel(train, runToFailureLabels(train, CAP), params);
  const labels = runToFailureLabels(held, CAP);
  const predicted = held.assets.flatMap((a) => Array.from(predictRulSeries(model, a)));
  return rmse(
    predicted,
    labels.flatMap((l) => Array.from(l)),
  );
}

describe("several operating conditions", () => {
  it("finds the six conditions from the settings alone, each generated condition in one cluster", () => {
    const conditions = fitConditions(train, { conditions: "auto", maxConditions: 8, conditionTolerance: 0.001, seed: 1 });
    assert.equal(conditions.centroids.length, 6);
    const mapping = new Map<number, number>();
    fleet.set.assets.forEach((asset, a) => {
      const found = conditionColumn(conditions, asset);
      const truth = fleet.condition[a] as Uint8Array;
      for (let i = 0; i < found.length; i++) {
        const seen = mapping.get(truth[i] as number);
        if (seen === undefined) mapping.set(truth[i] as number, found[i] as number);
        else assert.equal(found[i], seen, `asset ${asset.id} row ${i}`);
      }
    });
    assert.equal(new Set(mapping.values()).size, 6);
  });

  it("normalises per condition: the level jumps between conditions disappear, constant sensors are dropped", () => {
    const perCondition = fitNormaliser(train);
    const global = fitNormaliser(train, { conditions: 1 });
    assert.deepEqual(perCondition.kept, [0, 1, 2, 3, 4]);
    assert.deepEqual(global.kept, [0, 1, 2, 3, 4, 5]);
    // Share of each normalised sensor's variance explained by the operating condition: small per
    // condition, nearly all of it with one pooled normalisation.
    const conditionShare = (columns: Float64Array[], cond: Uint8Array): number => {
      let share = 0;
      for (const c of columns) {
        const sum = new Float64Array(6);
        const count = new Float64Array(6);
        let total = 0;
        for (let i = 0; i < c.length; i++) {
          sum[cond[i] as number] = (sum[cond[i] as number] as number) + (c[i] as number);
          count[cond[i] as number] = (count[cond[i] as number] as number) + 1;
          total += c[i] as number;
        }
        const mean = total / c.length;
        let between = 0;
        let all = 0;
        for (let i = 0; i < c.length; i++) {
          const m = (sum[cond[i] as number] as number) / (count[cond[i] as number] as number);
          between += (m - mean) ** 2;
          all += ((c[i] as number) - mean) ** 2;
        }
        share += between / all / columns.length;
      }
      return share;
    };
    held.assets.forEach((asset, a) => {
      const cond = fleet.condition[28 + a] as Uint8Array;
      const local = conditionShare(normaliseAsset(perCondition, asset), cond);
      const pooled = conditionShare(normaliseAsset(global, asset).slice(0, 5), cond);
      assert.ok(
        local < 0.2 && pooled > 0.8,
        `${asset.id}: condition explains ${local.toFixed(3)} per condition, ${pooled.toFixed(3)} pooled`,
      );
    });
  });

  it("the same remaining-life code learns on six conditions, far better than with one pooled normalisation", () => {
    const auto = heldOutRmse(PARAMS);
    const pooled = heldOutRmse({ ...PARAMS, normalise: { conditions: 1 } });
    const labels = runToFailureLabels(held, CAP).flatMap((l) => Array.from(l));
    const mean = labels.reduce((s, v) => s + v, 0) / labels.length;
    const constant = rmse(
      labels.map(() => mean),
      labels,
    );
    assert.ok(auto < 0.5 * constant, `per-condition ${auto.toFixed(2)} vs constant ${constant.toFixed(2)}`);
    assert.ok(auto < 0.8 * pooled, `per-condition ${auto.toFixed(2)} vs pooled ${pooled.toFixed(2)}`);
  });
});
