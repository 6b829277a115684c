import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";

/** Mean, minimum and maximum per window in one request: the line and the band around it. */
export const TelemetryBandsDocument = graphql(`
  query PortalTelemetryBands($assetId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $windowSeconds: Int!, $sensors: [String!]!) {
    mean: telemetryAggregate(aggregate: MEAN, assetId: $assetId, from: $from, to: $to, windowSeconds: $windowSeconds, sensors: $sensors) {
      sensors
      times
      values
    }
    min: telemetryAggregate(aggregate: MIN, assetId: $assetId, from: $from, to: $to, windowSeconds: $windowSeconds, sensors: $sensors) {
      sensors
      times
      values
    }
    max: telemetryAggregate(aggregate: MAX, assetId: $assetId, from: $from, to: $to, windowSeconds: $windowSeconds, sensors: $sensors) {
      sensors
      times
      values
    }
  }
`);

/** One sensor's windows: start times (seconds since the epoch) and mean, min and max per window. */
export interface SensorSeries {
  readonly sensor: string;
  readonly times: number[];
  readonly mean: (number | null)[];
  readonly min: (number | null)[];
  readonly max: (number | null)[];
}

export interface BandsQuery {
  readonly assetId: string;
  readonly from: Date;
  readonly to: Date;
  readonly windowSeconds: number;
  readonly sensors: readonly string[];
}

interface Table {
  readonly sensors: readonly string[];
  readonly times: readonly string[];
  readonly values: readonly (readonly (number | null)[] | null)[];
}

/** A table's values by window start (ms), per sensor; each aggregate drops empty windows, so rows are matched by time. */
function byTime(table: Table, sensor: string): Map<number, number | null> {
  const column = table.values[table.sensors.indexOf(sensor)] ?? [];
  return new Map(table.times.map((t, i) => [Date.parse(t), column[i] ?? null]));
}

export function toSeries(mean: Table, min: Table, max: Table): SensorSeries[] {
  const times = mean.times.map((t) => Date.parse(t));
  return mean.sensors.map((sensor) => {
    const means = byTime(mean, sensor);
    const mins = byTime(min, sensor);
    const maxs = byTime(max, sensor);
    return {
      sensor,
      times: times.map((t) => t / 1000),
      mean: times.map((t) => means.get(t) ?? null),
      min: times.map((t) => mins.get(t) ?? null),
      max: times.map((t) => maxs.get(t) ?? null),
    };
  });
}

/** An answer with the question it answers (while the next one loads, the previous answer stays on screen). */
export interface Bands {
  readonly from: number;
  readonly to: number;
  readonly windowSeconds: number;
  readonly series: SensorSeries[];
  /** Windows with a mean, over all sensors. */
  readonly points: number;
}

export function useTelemetryBands(tenantId: string, q: BandsQuery, enabled: boolean) {
  return useQuery({
    queryKey: ["telemetry-bands", tenantId, q.assetId, q.from.toISOString(), q.to.toISOString(), q.windowSeconds, q.sensors.join(",")],
    queryFn: () =>
      memberRequest(TelemetryBandsDocument, {
        assetId: q.assetId,
        from: q.from.toISOString(),
        to: q.to.toISOString(),
        windowSeconds: q.windowSeconds,
        sensors: [...q.sensors],
      }).then((r): Bands => {
        const series = toSeries(r.mean, r.min, r.max);
        const points = series.reduce((n, s) => n + s.mean.filter((v) => v !== null).length, 0);
        return { from: q.from.getTime(), to: q.to.getTime(), windowSeconds: q.windowSeconds, series, points };
      }),
    placeholderData: keepPreviousData,
    enabled: enabled && tenantId !== "" && q.sensors.length > 0,
  });
}
