import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AssetSeries, SeriesSet } from "../src/ml/series.js";
import { isHoldout, MIN_HOLDOUT_ASSETS, MIN_TRAIN_ASSETS, splitHoldout } from "../src/mlops/training.js";

const asset = (id: string): AssetSeries => ({ id, time: new Float64Array([0]), settings: [], sensors: [] });
const fleet = (ids: readonly string[]): SeriesSet => ({ settingNames: [], sensorNames: [], assets: ids.map(asset) });

/** The first `n` ids of the form asset-<k> for which `isHoldout` answers `held`. */
function idsWhere(held: boolean, n: number): string[] {
  const ids: string[] = [];
  for (let k = 0; ids.length < n; k++) if (isHoldout(`asset-${k}`) === held) ids.push(`asset-${k}`);
  return ids;
}

describe("training: the holdout", () => {
  it("holds out the assets whose id hashes into it, and trains on the rest", () => {
    const held = idsWhere(true, 2);
    const rest = idsWhere(false, 6);
    const { train, holdout } = splitHoldout(fleet([...rest, ...held]));
    assert.deepEqual(
      holdout.assets.map((a) => a.id),
      held,
    );
    assert.deepEqual(
      train.assets.map((a) => a.id),
      rest,
    );
  });

  it("holds out enough assets of a fleet in which no id hashes into the holdout, the same ones each time", () => {
    const ids = idsWhere(false, 25);
    const first = splitHoldout(fleet(ids));
    assert.equal(first.holdout.assets.length, MIN_HOLDOUT_ASSETS);
    assert.equal(first.train.assets.length, ids.length - MIN_HOLDOUT_ASSETS);
    const again = splitHoldout(fleet([...ids].reverse()));
    assert.deepEqual(
      again.holdout.assets.map((a) => a.id),
      first.holdout.assets.map((a) => a.id),
    );
  });

  it("never takes from a fleet too small to train on", () => {
    const ids = idsWhere(false, MIN_TRAIN_ASSETS);
    const { train, holdout } = splitHoldout(fleet(ids));
    assert.equal(holdout.assets.length, 0);
    assert.equal(train.assets.length, MIN_TRAIN_ASSETS);
  });
});
