import { MlInputError } from "./errors.js";
import type { AssetSeries, SeriesSet } from "./series.js";
import { validateSeriesSet } from "./series.js";

/** NASA C-MAPSS text: 26 space-separated columns (unit, cycle, 3 settings, 21 sensors) per row. */
export const CMAPSS_SETTING_NAMES: readonly string[] = ["setting1", "setting2", "setting3"];
export const CMAPSS_SENSOR_NAMES: readonly string[] = Array.from({ length: 21 }, (_, i) => `s${i + 1}`);

/**
 * Parses a C-MAPSS train or test file (the text, not a path) into one series per unit, in the
 * order the units first appear. Rows of a unit must be consecutive with increasing cycles.
 */
export function parseCmapss(text: string, idPrefix = "engine_"): SeriesSet {
  const byUnit = new Map<number, number[][]>();
  let lastUnit: number | undefined;
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] as string).trim();
    if (line === "") continue;
    const cols = line.split(/\s+/);
    if (cols.length !== 26) throw new MlInputError(`line ${index + 1}: expected 26 columns, found ${cols.length}`);
    const values = cols.map(Number);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new MlInputError(`line ${index + 1}: column ${bad + 1} (${JSON.stringify(cols[bad])}) is not a finite number`);
    const unit = values[0] as number;
    if (!Number.isInteger(unit)) throw new MlInputError(`line ${index + 1}: unit ${unit} is not an integer`);
    if (unit !== lastUnit && byUnit.has(unit)) throw new MlInputError(`line ${index + 1}: the rows of unit ${unit} are not consecutive`);
    lastUnit = unit;
    let rows = byUnit.get(unit);
    if (rows === undefined) {
      rows = [];
      byUnit.set(unit, rows);
    }
    rows.push(values);
  }
  const assets: AssetSeries[] = [];
  for (const [unit, rows] of byUnit) {
    const n = rows.length;
    const time = new Float64Array(n);
    const settings = CMAPSS_SETTING_NAMES.map(() => new Float64Array(n));
    const sensors = CMAPSS_SENSOR_NAMES.map(() => new Float64Array(n));
    rows.forEach((row, i) => {
      time[i] = row[1] as number;
      settings.forEach((c, s) => {
        c[i] = row[2 + s] as number;
      });
      sensors.forEach((c, s) => {
        c[i] = row[5 + s] as number;
      });
    });
    assets.push({ id: `${idPrefix}${unit}`, time, settings, sensors });
  }
  const set = { settingNames: CMAPSS_SETTING_NAMES, sensorNames: CMAPSS_SENSOR_NAMES, assets };
  validateSeriesSet(set);
  return set;
}

/** Parses RUL_FDxxx.txt: one true remaining life (cycles after the last test cycle) per line. */
export function parseRulList(text: string): Float64Array {
  const values: number[] = [];
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] as string).trim();
    if (line === "") continue;
    const v = Number(line);
    if (!Number.isFinite(v) || v < 0) throw new MlInputError(`line ${index + 1}: ${JSON.stringify(line)} is not a remaining life`);
    values.push(v);
  }
  return Float64Array.from(values);
}
