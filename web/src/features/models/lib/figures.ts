/** The figures of a version's metrics and lineage (JSON objects whose shape depends on the task). */

const num = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
const obj = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

export interface VersionFigures {
  /** Holdout RMSE in cycles (remaining life). */
  readonly rmse?: number | undefined;
  /** PHM08 score per holdout row (remaining life). */
  readonly phm08?: number | undefined;
  /** The share of healthy holdout rows in alarm (anomaly). */
  readonly falseAlarmShare?: number | undefined;
  /** The champion's RMSE or false-alarm share on the same holdout, when there was one. */
  readonly championRmse?: number | undefined;
  readonly championFalseAlarmShare?: number | undefined;
  readonly holdoutAssets?: number | undefined;
  readonly trainAssets?: number | undefined;
  readonly fitSeconds?: number | undefined;
}

export function figuresOf(metrics: Record<string, unknown>): VersionFigures {
  const holdout = obj(metrics.holdout);
  const champion = obj(metrics.championHoldout);
  return {
    rmse: num(holdout.rmse),
    phm08: num(holdout.phm08PerRow),
    falseAlarmShare: num(holdout.falseAlarmShare),
    championRmse: num(champion.rmse),
    championFalseAlarmShare: num(champion.falseAlarmShare),
    holdoutAssets: num(holdout.assets),
    trainAssets: num(metrics.trainAssets),
    fitSeconds: num(metrics.fitSeconds),
  };
}

export interface LineageAsset {
  readonly assetId: string;
  readonly externalId: string;
  readonly rows: number;
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly incompleteRows: number;
}

export interface Lineage {
  readonly assetCount: number | undefined;
  readonly rows: number | undefined;
  readonly points: number | undefined;
  readonly assets: readonly LineageAsset[];
}

export function lineageOf(lineage: Record<string, unknown>): Lineage {
  const list = Array.isArray(lineage.assets) ? lineage.assets : [];
  const assets = list.map((item): LineageAsset => {
    const a = obj(item);
    return {
      assetId: str(a.assetId) ?? "",
      externalId: str(a.externalId) ?? str(a.assetId) ?? "",
      rows: num(a.rows) ?? 0,
      from: str(a.from),
      to: str(a.to),
      incompleteRows: num(a.incompleteRows) ?? 0,
    };
  });
  return {
    assetCount: num(lineage.assetCount) ?? num(lineage.assets) ?? (assets.length > 0 ? assets.length : undefined),
    rows: num(lineage.rows) ?? (assets.length > 0 ? assets.reduce((sum, a) => sum + a.rows, 0) : undefined),
    points: num(lineage.points),
    assets,
  };
}

/** The earliest and latest time of the lineage's assets (ISO strings sort as times). */
export function lineageSpan(lineage: Lineage): { from: string; to: string } | undefined {
  const froms = lineage.assets.flatMap((a) => (a.from ? [a.from] : [])).sort();
  const tos = lineage.assets.flatMap((a) => (a.to ? [a.to] : [])).sort();
  const from = froms[0];
  const to = tos[tos.length - 1];
  return from && to ? { from, to } : undefined;
}

/** PSI per sensor, largest first. */
export function psiOf(psi: Record<string, unknown>): { sensor: string; psi: number }[] {
  return Object.entries(psi)
    .flatMap(([sensor, value]) => {
      const n = num(value);
      return n === undefined ? [] : [{ sensor, psi: n }];
    })
    .sort((a, b) => b.psi - a.psi);
}

/** Two decimals, for errors and scores shown to people. */
export const round2 = (value: number) => Math.round(value * 100) / 100;
