import assert from "node:assert/strict";
import { CMAPSS_FIELDS, type CmapssRow, CYCLE_SECONDS, readCmapss, toLine } from "../../scripts/cmapss-load.js";
import * as g from "../generated/graphql.js";
import { type Api, gqlOk, type TestTenant } from "./harness.js";
import { writeV2 } from "./telemetry.js";

export const CMAPSS_DIR = "../shared/data/cmapss";

export interface CmapssFleet {
  readonly typeId: string;
  readonly deviceToken: string;
  /** External id → asset id, for train_NNN and test_NNN engines. */
  readonly assets: ReadonlyMap<string, string>;
  /** The time (seconds) of cycle 0. */
  readonly startSeconds: number;
}

export const engineId = (kind: "train" | "test", unit: number) => `${kind}_${String(unit).padStart(3, "0")}`;

/**
 * Loads C-MAPSS FD001 engines into a tenant through the platform: a "turbofan" type with the 24
 * fields, one asset per engine, the telemetry over /api/v2/write (one cycle per hour), and a
 * failure event at the last cycle of every training engine (they ran to failure).
 */
export async function loadCmapss(
  api: Api,
  tenant: TestTenant,
  options: { trainUnits?: number; testUnits?: number; typeKey?: string } = {},
): Promise<CmapssFleet> {
  const typeKey = options.typeKey ?? "turbofan";
  const { createAssetType } = await gqlOk(
    api,
    g.CreateAssetTypeDocument,
    { input: { key: typeKey, name: "Turbofan engine", sensors: CMAPSS_FIELDS.map((key) => ({ key, unit: "" })) } },
    tenant.token,
  );
  const pick = (rows: CmapssRow[], units: number | undefined) => rows.filter((r) => units === undefined || r.unit <= units);
  const train = pick(readCmapss(CMAPSS_DIR, "train_FD001.txt"), options.trainUnits);
  const test = pick(readCmapss(CMAPSS_DIR, "test_FD001.txt"), options.testUnits);
  const assets = new Map<string, string>();
  for (const [kind, rows] of [
    ["train", train],
    ["test", test],
  ] as const) {
    for (const unit of [...new Set(rows.map((r) => r.unit))]) {
      const externalId = engineId(kind, unit);
      const { createAsset } = await gqlOk(
        api,
        g.CreateAssetDocument,
        { input: { assetTypeId: createAssetType.id, externalId, name: externalId } },
        tenant.token,
      );
      assets.set(externalId, createAsset.id);
    }
  }
  const { createDevice } = await gqlOk(
    api,
    g.CreateDeviceDocument,
    { input: { name: "C-MAPSS gateway", assetIds: [...assets.values()] } },
    tenant.token,
  );
  const longest = Math.max(...train.map((r) => r.cycle), ...test.map((r) => r.cycle));
  const startSeconds = Math.floor(Date.now() / 1000) - (longest + 24) * CYCLE_SECONDS;
  const lines = [
    ...train.map((r) => toLine(typeKey, engineId("train", r.unit), r, startSeconds)),
    ...test.map((r) => toLine(typeKey, engineId("test", r.unit), r, startSeconds)),
  ];
  for (let i = 0; i < lines.length; i += 5_000) {
    const answer = await writeV2(api, createDevice.issued.secret, lines.slice(i, i + 5_000).join("\n"), { precision: "s" });
    assert.equal(answer.status, 204, JSON.stringify(answer.body));
  }
  const lastCycle = new Map<number, number>();
  for (const r of train) lastCycle.set(r.unit, Math.max(lastCycle.get(r.unit) ?? 0, r.cycle));
  for (const [unit, cycle] of lastCycle) {
    await gqlOk(
      api,
      g.RecordMaintenanceEventDocument,
      {
        input: {
          assetId: assets.get(engineId("train", unit)) ?? "",
          kind: "FAILURE",
          occurredAt: new Date((startSeconds + cycle * CYCLE_SECONDS) * 1000).toISOString(),
          note: "ran to failure (C-MAPSS)",
        },
      },
      tenant.token,
    );
  }
  return { typeId: createAssetType.id, deviceToken: createDevice.issued.secret, assets, startSeconds };
}
