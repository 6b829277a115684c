import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fitBaseline, predictBaselineSeries } from "../src/ml/baseline.js";
import { parseCmapss } from "../src/ml/cmapss.js";
import { runToFailureLabels } from "../src/ml/labels.js";
import { phm08Score, rmse } from "../src/ml/metrics.js";
import { DEFAULT_RUL_PARAMS, fitRulModel, predictRulSeries } from "../src/ml/rul-model.js";
import type { AssetSeries, SeriesSet } from "../src/ml/series.js";

/** Tests run from the repository root; the data set sits beside it. */
const TRAIN = "../shared/data/cmapss/train_FD001.txt";
const HORIZON = 150;

describe("C-MAPSS FD001 (training engines only)", () => {
  const all = parseCmapss(readFileSync(TRAIN, "utf8"));
  const train: SeriesSet = { ...all, assets: all.assets.slice(0, 60) };
  const held = all.assets.slice(60);

  /** Rows of held-out engines within the horizon, scored against the true (uncapped) remaining life. */
  function score(predict: (a: AssetSeries) => Float64Array): { rmse: number; phm08: number } {
    const p: number[] = [];
    const t: number[] = [];
    for (const asset of held) {
      const rows = predict(asset);
      for (let r = 0; r < rows.length; r++) {
        const life = rows.length - 1 - r;
        if (life > HORIZON) continue;
        p.push(rows[r] as number);
        t.push(life);
      }
    }
    return { rmse: rmse(p, t), phm08: phm08Score(p, t) };
  }

  it("finds the constant sensors of FD001 and one operating condition", () => {
    const model = fitRulModel(train, runToFailureLabels(train, 125), { ensemble: 1, gbm: { trees: 5 }, interval: { folds: 0 } });
    assert.equal(model.normaliser.conditions.centroids.length, 1);
    const dropped = all.sensorNames.filter((_, s) => !model.normaliser.kept.includes(s));
    assert.deepEqual(dropped, ["s1", "s5", "s6", "s10", "s16", "s18", "s19"]);
  });

  it("trained on 60 engines, predicts the other 40 clearly better than the ridge baseline", () => {
    const cap = DEFAULT_RUL_PARAMS.cap;
    const model = fitRulModel(train, runToFailureLabels(train, cap), { gbm: { trees: 200, learningRate: 0.1 }, interval: { folds: 0 } });
    const baseline = fitBaseline(train, runToFailureLabels(train, cap), { cap });
    const m = score((a) => predictRulSeries(model, a));
    const b = score((a) => predictBaselineSeries(baseline, a));
    assert.ok(m.rmse < 0.75 * b.rmse, `model RMSE ${m.rmse.toFixed(2)}, baseline ${b.rmse.toFixed(2)}`);
    assert.ok(m.rmse < 14, `model RMSE ${m.rmse.toFixed(2)}`);
    assert.ok(m.phm08 < b.phm08, `model PHM08 ${m.phm08.toFixed(0)}, baseline ${b.phm08.toFixed(0)}`);
  });
});
