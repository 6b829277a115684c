import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { explainAnomaly, fitAnomalyModel, scoreAnomalies } from "../src/ml/anomaly.js";
import { evaluateAnomaly } from "../src/ml/anomaly-eval.js";
import { MlInputError } from "../src/ml/errors.js";
import type { SeriesSet } from "../src/ml/series.js";
import { type SyntheticOptions, syntheticFleet } from "../src/ml/synthetic.js";

/** Only sensor3 wears; wear starts after the first 30% of every life. */
const SHAPE: Partial<SyntheticOptions> = {
  assets: 30,
  sensors: 5,
  wearSensors: [2],
  minLife: 120,
  maxLife: 180,
  minWear: 40,
  maxWear: 70,
  noise: 0.3,
};
const fleet = syntheticFleet({ ...SHAPE, seed: 31 });
const train: SeriesSet = { ...fleet.set, assets: fleet.set.assets.slice(0, 22) };
const TARGET = 0.01;
const model = fitAnomalyModel(train, { targetFalseAlarmRate: TARGET, seed: 2 });

describe("anomaly model", () => {
  it("flags every held-out asset after its wear starts, and explains the alarm by the wearing sensor", () => {
    let healthyRows = 0;
    let healthyAlarms = 0;
    fleet.set.assets.slice(22).forEach((asset, k) => {
      const onset = fleet.wearOnset[22 + k] as number;
      const s = scoreAnomalies(model, asset);
      assert.ok(s.firstAlarm >= 0, `${asset.id} never flagged`);
      assert.ok(s.alarm[asset.time.length - 1] === 1, `${asset.id} not in alarm at its last cycle`);
      const explanation = explainAnomaly(model, asset, asset.time.length - 1);
      assert.equal(explanation[0]?.sensor, "sensor3");
      assert.ok((explanation[0]?.share ?? 0) > 0.5, `share ${explanation[0]?.share}`);
      const total = explanation.reduce((sum, c) => sum + c.contribution, 0);
      assert.ok(
        Math.abs(total - (s.score[asset.time.length - 1] as number)) < 1e-6 * Math.max(1, total),
        "contributions add up to the score",
      );
      for (let i = 0; i < onset; i++) healthyAlarms += s.alarm[i] as number;
      healthyRows += onset;
    });
    assert.ok(healthyAlarms <= 0.03 * healthyRows, `${healthyAlarms} alarms in ${healthyRows} rows before wear`);
  });

  it("keeps the false-alarm rate near its target on healthy assets it has never seen", () => {
    const fresh = syntheticFleet({ ...SHAPE, assets: 40, seed: 77 });
    let rows = 0;
    let alarms = 0;
    fresh.set.assets.forEach((asset, a) => {
      const s = scoreAnomalies(model, asset);
      for (let i = model.params.baselineRows; i < (fresh.wearOnset[a] as number); i++) {
        rows++;
        alarms += s.alarm[i] as number;
      }
    });
    assert.ok(alarms / rows <= 3 * TARGET, `${alarms} alarms in ${rows} healthy rows`);
    const stricter = fitAnomalyModel(train, { targetFalseAlarmRate: TARGET / 5, seed: 2 });
    assert.ok(stricter.threshold > model.threshold);
  });

  it("scores nothing during an asset's baseline and needs `persistence` rows above the threshold", () => {
    const asset = fleet.set.assets[25];
    assert.ok(asset);
    const s = scoreAnomalies(model, asset);
    for (let i = 0; i < model.params.baselineRows; i++) assert.equal(s.score[i], 0);
    for (let i = 0; i < s.alarm.length; i++) {
      if (s.alarm[i] !== 1) continue;
      for (let k = i - model.params.persistence + 1; k <= i; k++) assert.ok((s.score[k] as number) > s.threshold);
    }
  });

  it("reports lead times and early alarms in cross-validation", () => {
    const e = evaluateAnomaly(fleet.set, { targetFalseAlarmRate: TARGET }, { folds: 3 });
    assert.equal(e.assets, 30);
    assert.ok(e.flaggedShare >= 0.9, `flagged ${e.flaggedShare}`);
    assert.ok(e.medianLeadTime > 10 && e.medianLeadTime < 70, `lead ${e.medianLeadTime}`);
    assert.ok(e.earlyAlarmRate < 3 * TARGET, `early alarm rate ${e.earlyAlarmRate}`);
  });

  it("refuses too few healthy rows with an actionable message", () => {
    const tiny = syntheticFleet({ assets: 3, sensors: 5, minLife: 40, maxLife: 40, minWear: 10, maxWear: 10, seed: 1 });
    assert.throws(
      () => fitAnomalyModel(tiny.set, { thresholdFolds: 0 }),
      (e: unknown) => e instanceof MlInputError && /healthy rows after the baseline/.test(e.message) && /healthyFraction/.test(e.message),
    );
  });
});
