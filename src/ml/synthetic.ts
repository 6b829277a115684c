import { MlInputError } from "./errors.js";
import { createRng } from "./random.js";
import type { AssetSeries, SeriesSet } from "./series.js";

/**
 * A generated run-to-failure fleet for demos and tests: every row runs in one of `conditions`
 * operating conditions (clusters of three settings, as in C-MAPSS FD002/FD004), each sensor
 * reads a condition-dependent level plus, after a wear onset, a growing degradation term and
 * noise. Some sensors can be constant (one value per condition).
 */
export interface SyntheticOptions {
  readonly assets: number;
  readonly conditions: number;
  readonly sensors: number;
  /** Sensors (by position) that stay at their condition's level. */
  readonly constantSensors: readonly number[];
  /** Sensors (by position) that respond to wear; default: all that are not constant. */
  readonly wearSensors?: readonly number[];
  readonly minLife: number;
  readonly maxLife: number;
  /** Rows of visible wear before failure (between these). */
  readonly minWear: number;
  readonly maxWear: number;
  /** Noise standard deviation relative to the wear signal at failure (1 = as large). */
  readonly noise: number;
  readonly seed: number;
}

export const DEFAULT_SYNTHETIC: SyntheticOptions = {
  assets: 30,
  conditions: 1,
  sensors: 6,
  constantSensors: [],
  minLife: 90,
  maxLife: 180,
  minWear: 40,
  maxWear: 80,
  noise: 0.25,
  seed: 1,
};

export interface SyntheticFleet {
  readonly set: SeriesSet;
  /** Per asset, the row where wear starts. */
  readonly wearOnset: readonly number[];
  /** Per asset and row, the operating condition it was generated in. */
  readonly condition: readonly Uint8Array[];
}

/** Settings of six conditions like C-MAPSS (altitude in kft, Mach number, throttle angle). */
const SIX: readonly (readonly number[])[] = [
  [0, 0, 100],
  [10, 0.25, 100],
  [20, 0.7, 100],
  [25, 0.62, 60],
  [35, 0.84, 100],
  [42, 0.84, 100],
];

export function syntheticFleet(input: Partial<SyntheticOptions> = {}): SyntheticFleet {
  const o = { ...DEFAULT_SYNTHETIC, ...input };
  if (!Number.isInteger(o.conditions) || o.conditions < 1 || o.conditions > SIX.length)
    throw new MlInputError(`conditions must be 1..${SIX.length}`);
  if (o.minLife > o.maxLife || o.minWear > o.maxWear || o.maxWear >= o.minLife)
    throw new MlInputError("need minLife ≤ maxLife, minWear ≤ maxWear < minLife");
  const rng = createRng(o.seed);
  const constant = new Set(o.constantSensors);
  const wear = new Set(o.wearSensors ?? Array.from({ length: o.sensors }, (_, s) => s).filter((s) => !constant.has(s)));
  // Levels differ a lot between conditions (hundreds) and little within one, like engine sensors.
  const level = Array.from({ length: o.conditions }, () => Array.from({ length: o.sensors }, () => 200 + 800 * rng.next()));
  const sensitivity = Array.from({ length: o.sensors }, (_, s) => (wear.has(s) ? (rng.next() < 0.5 ? -1 : 1) * (2 + 4 * rng.next()) : 0));
  const assets: AssetSeries[] = [];
  const wearOnset: number[] = [];
  const conditionColumns: Uint8Array[] = [];
  for (let a = 0; a < o.assets; a++) {
    const life = o.minLife + rng.int(o.maxLife - o.minLife + 1);
    const wearRows = o.minWear + rng.int(o.maxWear - o.minWear + 1);
    const onset = life - wearRows;
    const offset = Array.from({ length: o.sensors }, (_, s) =>
      constant.has(s) ? 0 : rng.normal() * 0.5 * Math.abs(sensitivity[s] || 1) * o.noise,
    );
    const time = new Float64Array(life);
    const settings = [0, 1, 2].map(() => new Float64Array(life));
    const sensors = Array.from({ length: o.sensors }, () => new Float64Array(life));
    const cond = new Uint8Array(life);
    for (let i = 0; i < life; i++) {
      time[i] = i + 1;
      const c = o.conditions === 1 ? 0 : rng.int(o.conditions);
      cond[i] = c;
      const centre = SIX[c] as readonly number[];
      settings.forEach((column, j) => {
        column[i] = (centre[j] as number) + (j === 2 ? 0 : rng.normal() * 0.002);
      });
      const d = i <= onset ? 0 : ((i - onset) / wearRows) ** 1.5;
      sensors.forEach((column, s) => {
        const base = (level[c] as number[])[s] as number;
        if (constant.has(s)) {
          column[i] = base;
          return;
        }
        const k = sensitivity[s] as number;
        const noise = rng.normal() * o.noise * Math.max(1, Math.abs(k));
        column[i] = base + (offset[s] as number) + k * d + noise;
      });
    }
    assets.push({ id: `asset_${a + 1}`, time, settings, sensors });
    wearOnset.push(onset);
    conditionColumns.push(cond);
  }
  return {
    set: {
      settingNames: ["altitude", "mach", "throttle"],
      sensorNames: Array.from({ length: o.sensors }, (_, s) => `sensor${s + 1}`),
      assets,
    },
    wearOnset,
    condition: conditionColumns,
  };
}
