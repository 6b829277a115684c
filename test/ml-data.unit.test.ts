import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCmapss, parseRulList } from "../src/ml/cmapss.js";
import { MlInputError } from "../src/ml/errors.js";
import { type FeatureConfig, featureCount, featureNames, writeFeatures } from "../src/ml/features.js";
import { groupFolds } from "../src/ml/folds.js";
import { piecewiseRul, runToFailureLabels } from "../src/ml/labels.js";
import { phm08Score, quantile, rmse } from "../src/ml/metrics.js";
import { constantSensors, fitConditions, fitNormaliser, normaliseAsset } from "../src/ml/normalise.js";
import { type AssetSeries, assetFromRows, type SeriesSet, validateSeriesSet } from "../src/ml/series.js";
import { slidingWindows, windowAt } from "../src/ml/window.js";

/** An asset of `n` rows: time 1..n, one setting, sensors a (ramp), b (constant) and c (two values). */
function ramp(id: string, n: number, start = 0): AssetSeries {
  return assetFromRows(
    id,
    Array.from({ length: n }, (_, i) => [i + 1, 0.5, start + i, 7, i % 2]),
    1,
    3,
  );
}

function fleet(...assets: AssetSeries[]): SeriesSet {
  return { settingNames: ["load"], sensorNames: ["a", "b", "c"], assets };
}

describe("series values", () => {
  for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
    it(`refuses ${bad} with an error naming the asset, column and row`, () => {
      assert.throws(
        () =>
          assetFromRows(
            "pump_3",
            [
              [1, 0, 1, 2, 3],
              [2, 0, 1, bad, 3],
            ],
            1,
            3,
          ),
        (e: unknown) =>
          e instanceof MlInputError &&
          /pump_3/.test(e.message) &&
          /sensor "#1"/.test(e.message) &&
          /row 1/.test(e.message) &&
          e.message.includes(String(bad)),
      );
    });
  }

  it("names the sensor when the set carries names", () => {
    const asset = ramp("x", 5);
    (asset.sensors[2] as Float64Array)[3] = Number.NaN;
    assert.throws(() => validateSeriesSet(fleet(asset)), /sensor "c" has a non-finite value \(NaN\) at row 3/);
  });

  it("refuses time that does not increase, ragged columns, duplicate ids and empty series", () => {
    assert.throws(
      () =>
        assetFromRows(
          "t",
          [
            [2, 0, 0, 0, 0],
            [2, 0, 0, 0, 0],
          ],
          1,
          3,
        ),
      /time must increase strictly/,
    );
    assert.throws(() => assetFromRows("r", [[1, 0, 0, 0]], 1, 3), /row 0 has 4 values, expected 5/);
    assert.throws(() => validateSeriesSet(fleet(ramp("d", 3), ramp("d", 4))), /appears twice/);
    assert.throws(
      () => validateSeriesSet(fleet({ id: "e", time: new Float64Array(0), settings: [new Float64Array(0)], sensors: [] })),
      /has no rows/,
    );
  });
});

describe("windows", () => {
  it("takes the last rows up to the end", () => {
    const w = windowAt(ramp("a", 50), 40, 10);
    assert.deepEqual(Array.from(w.time), [31, 32, 33, 34, 35, 36, 37, 38, 39, 40]);
    assert.equal((w.sensors[0] as Float64Array)[9], 39);
  });

  it("a series shorter than the window: shorter window, padding, or a clear refusal", () => {
    const short = ramp("s", 4);
    assert.equal(windowAt(short, 4, 30, "shorter").time.length, 4);
    const padded = windowAt(short, 4, 6, "pad");
    assert.deepEqual(Array.from(padded.time), [-1, 0, 1, 2, 3, 4]);
    assert.deepEqual(Array.from(padded.sensors[0] as Float64Array), [0, 0, 0, 1, 2, 3]);
    assert.throws(() => windowAt(short, 4, 30, "full"), /has 4 rows up to this point, fewer than the window length 30/);
    assert.throws(() => slidingWindows(short, 30, "full"), /fewer than the window length 30/);
  });

  it("a single cycle gives one window of one row (or a padded one)", () => {
    const one = ramp("one", 1);
    const windows = slidingWindows(one, 30);
    assert.equal(windows.length, 1);
    assert.equal(windows[0]?.time.length, 1);
    assert.equal(windowAt(one, 1, 3, "pad").time.length, 3);
  });

  it("sliding windows end at every stride-th row, the last at the last row", () => {
    const ends = slidingWindows(ramp("a", 10), 4, "full", 3).map((w) => w.time[w.time.length - 1]);
    assert.deepEqual(ends, [4, 7, 10]);
    assert.throws(() => windowAt(ramp("a", 10), 11, 4), /outside asset/);
    assert.throws(() => windowAt(ramp("a", 10), 5, 0), /window length must be a whole number ≥ 1/);
  });
});

describe("remaining-life labels", () => {
  it("are piece-wise linear: flat at the cap, then one less per cycle down to 0 at the last row", () => {
    assert.deepEqual(Array.from(piecewiseRul(8, 5)), [5, 5, 5, 4, 3, 2, 1, 0]);
    assert.deepEqual(Array.from(piecewiseRul(3, 100)), [2, 1, 0]);
    assert.deepEqual(Array.from(piecewiseRul(4, 10, 8)), [10, 10, 9, 8]);
  });

  it("label a single cycle and refuse bad inputs", () => {
    assert.deepEqual(Array.from(piecewiseRul(1, 125)), [0]);
    assert.throws(() => piecewiseRul(0, 125), /at least one row/);
    assert.throws(() => piecewiseRul(5, 0), /cap must be > 0/);
    assert.throws(() => piecewiseRul(5, 10, Number.NaN), /finite number ≥ 0/);
  });

  it("follow each asset's length in a fleet", () => {
    const labels = runToFailureLabels(fleet(ramp("a", 3), ramp("b", 6)), 4);
    assert.deepEqual(
      labels.map((l) => Array.from(l)),
      [
        [2, 1, 0],
        [4, 4, 3, 2, 1, 0],
      ],
    );
  });
});

describe("features", () => {
  const config: FeatureConfig = {
    window: 6,
    last: true,
    meanSpans: [2, 6],
    slopeSpans: [3, 6],
    ewmaAlphas: [0.5],
    extremes: true,
    spread: true,
    driftRows: 2,
    age: true,
  };

  it("compute each statistic over the window, and over the rows there are when fewer", () => {
    const column = Float64Array.from([1, 3, 5, 7, 9, 11, 13, 15]); // slope 2 per row
    const width = featureCount(config, 1);
    assert.equal(featureNames(config, ["a"]).length, width);
    const out = new Float64Array(width);
    writeFeatures([column], 8, 42, config, out, 0);
    const named = Object.fromEntries(featureNames(config, ["a"]).map((n, i) => [n, out[i]]));
    assert.equal(named["a.last"], 15);
    assert.equal(named["a.mean2"], 14);
    assert.equal(named["a.mean6"], 10);
    assert.equal(named["a.slope3"], 2);
    assert.equal(named["a.slope6"], 2);
    assert.equal(named["a.min"], 5);
    assert.equal(named["a.max"], 15);
    assert.equal(named["a.drift"], 8);
    assert.equal(named.age, 42);
    assert.ok(Math.abs((named["a.sd"] as number) - Math.sqrt(70 / 6)) < 1e-12);

    writeFeatures([column], 1, 1, config, out, 0);
    const first = Object.fromEntries(featureNames(config, ["a"]).map((n, i) => [n, out[i]]));
    assert.equal(first["a.mean6"], 1);
    assert.equal(first["a.slope6"], 0);
    assert.equal(first["a.sd"], 0);
    assert.equal(first["a.ewma0.5"], 1);
  });
});

describe("normalisation", () => {
  it("drops constant and two-valued sensors and z-scores the rest", () => {
    const set = fleet(ramp("a", 30), ramp("b", 40, 5));
    const normaliser = fitNormaliser(set);
    assert.deepEqual(normaliser.kept, [0]);
    assert.deepEqual(constantSensors(set, normaliser.conditions, 3), [1, 2]);
    const all = set.assets.flatMap((a) => Array.from(normaliseAsset(normaliser, a)[0] as Float64Array));
    const mean = all.reduce((s, v) => s + v, 0) / all.length;
    const sd = Math.sqrt(all.reduce((s, v) => s + (v - mean) ** 2, 0) / all.length);
    assert.ok(Math.abs(mean) < 1e-9 && Math.abs(sd - 1) < 1e-9, `mean ${mean}, sd ${sd}`);
  });

  it("finds one condition when the settings only carry noise", () => {
    const rows = (id: string, shift: number): AssetSeries =>
      assetFromRows(
        id,
        Array.from({ length: 60 }, (_, i) => [i + 1, Math.sin(i * 1.7 + shift) * 1e-3, Math.cos(i * 2.3 + shift) * 1e-3, i, i * 2]),
        2,
        2,
      );
    const set = { settingNames: ["s1", "s2"], sensorNames: ["x", "y"], assets: [rows("a", 0), rows("b", 1)] };
    assert.equal(fitConditions(set, { conditions: "auto", maxConditions: 8, conditionTolerance: 0.001, seed: 1 }).centroids.length, 1);
  });
});

describe("C-MAPSS text", () => {
  const row = (unit: number, cycle: number): string =>
    `${unit} ${cycle} ${Array.from({ length: 24 }, (_, k) => (k + cycle / 10).toFixed(2)).join(" ")}  `;

  it("parses units in order with trailing spaces and blank lines", () => {
    const set = parseCmapss([row(1, 1), row(1, 2), row(2, 1), "", row(2, 2), row(2, 3), ""].join("\n"));
    assert.deepEqual(
      set.assets.map((a) => [a.id, a.time.length]),
      [
        ["engine_1", 2],
        ["engine_2", 3],
      ],
    );
    assert.equal(set.sensorNames.length, 21);
    assert.equal(set.assets[1]?.sensors[20]?.[2], 23.3);
  });

  it("refuses short rows, values that are not numbers and interleaved units, with the line", () => {
    assert.throws(() => parseCmapss(`${row(1, 1)}\n1 2 3`), /line 2: expected 26 columns, found 3/);
    assert.throws(() => parseCmapss(row(1, 1).replace("0.10", "NaN")), /line 1: column \d+ \("NaN"\) is not a finite number/);
    assert.throws(() => parseCmapss([row(1, 1), row(2, 1), row(1, 2)].join("\n")), /line 3: the rows of unit 1 are not consecutive/);
    assert.throws(() => parseCmapss([row(1, 2), row(1, 1)].join("\n")), /time must increase strictly/);
    assert.deepEqual(Array.from(parseRulList("112\n98 \n\n")), [112, 98]);
    assert.throws(() => parseRulList("12\nabc"), /line 2/);
  });
});

describe("metrics and folds", () => {
  it("PHM08 punishes late predictions more than early ones", () => {
    assert.ok(Math.abs(phm08Score([0], [13]) - (Math.E - 1)) < 1e-12);
    assert.ok(Math.abs(phm08Score([10], [0]) - (Math.E - 1)) < 1e-12);
    assert.ok(phm08Score([110], [100]) > phm08Score([90], [100]));
    assert.equal(rmse([1, 2, 3], [1, 2, 3]), 0);
    assert.equal(quantile([3, 1, 2], 0.5), 2);
    assert.throws(() => rmse([1], [1, 2]), /1 predictions for 2 true values/);
  });

  it("folds group assets, cover all of them once, and repeat for a seed", () => {
    const folds = groupFolds(23, 5, 3);
    assert.deepEqual(
      folds.flat().sort((a, b) => a - b),
      Array.from({ length: 23 }, (_, i) => i),
    );
    assert.deepEqual(groupFolds(23, 5, 3), folds);
    assert.notDeepEqual(groupFolds(23, 5, 4), folds);
  });
});
