import { type DirtyMark, HOUR_MS, hourRanges, splitAtSettled } from "./rollup-marks.js";

/** Margin around the server's clock for points without a timestamp (InfluxDB stamps them on arrival). */
const UNTIMED_MARGIN_MS = 60_000;

/**
 * The hours a stored batch touched, per measurement, as at most a few ranges each (and one more
 * where a range reaches hours that have not settled): the hours of its timestamped points, and for
 * points without a timestamp the hours around the write.
 */
export function batchMarks(
  input: {
    hours: ReadonlyMap<string, ReadonlySet<number>>;
    perAsset: ReadonlyMap<string, number>;
    untimed: number;
    /** The asset tag's type key (its measurement). */
    measurementOf: (asset: string) => string | undefined;
  },
  writeStartedMs: number,
  writeEndedMs: number,
): DirtyMark[] {
  const perMeasurement = new Map<string, Set<number>>();
  const add = (measurement: string | undefined, hours: Iterable<number>) => {
    if (measurement === undefined) return;
    let set = perMeasurement.get(measurement);
    if (!set) {
      set = new Set<number>();
      perMeasurement.set(measurement, set);
    }
    for (const h of hours) set.add(h);
  };
  for (const [asset, hours] of input.hours) add(input.measurementOf(asset), hours);
  if (input.untimed > 0) {
    const around: number[] = [];
    const last = Math.floor((writeEndedMs + UNTIMED_MARGIN_MS) / HOUR_MS);
    for (let h = Math.floor((writeStartedMs - UNTIMED_MARGIN_MS) / HOUR_MS); h <= last; h++) around.push(h);
    for (const asset of input.perAsset.keys()) add(input.measurementOf(asset), around);
  }
  return [...perMeasurement].flatMap(([measurement, hours]) =>
    splitAtSettled(hourRanges(hours), writeEndedMs).map((r) => ({ measurement, ...r })),
  );
}
