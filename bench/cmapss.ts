import { CMAPSS_FIELDS, type CmapssRow, CYCLE_SECONDS, readCmapss, toLine } from "../scripts/cmapss-load.js";
import { graphql, signUpBenchTenant } from "./support.js";

export const CMAPSS_DIR = new URL("../../../shared/data/cmapss", import.meta.url).pathname;

export interface BenchFleet {
  readonly tenantId: string;
  readonly userId: string;
  readonly token: string;
  readonly typeId: string;
  /** Asset id by external id. */
  readonly assets: ReadonlyMap<string, string>;
  readonly lines: number;
}

/**
 * Signs up a tenant and loads C-MAPSS FD001 engines into it through the API: a turbofan type
 * with the 24 fields, an asset per engine (the training engines as train_NNN, each with a failure
 * at its last cycle; `copies` of every test engine as fleet_NNNN), the telemetry over
 * /api/v2/write, one cycle an hour.
 */
export async function loadBenchFleet(url: string, label: string, options: { copies?: number } = {}): Promise<BenchFleet> {
  const signUp = await signUpBenchTenant(url, label);
  const token = signUp.token;
  const { createAssetType } = await graphql<{ createAssetType: { id: string } }>(
    url,
    "mutation ($i: CreateAssetTypeInput!) { createAssetType(input: $i) { id } }",
    { i: { key: "turbofan", name: "Turbofan engine", sensors: CMAPSS_FIELDS.map((key) => ({ key })) } },
    token,
  );
  const train = readCmapss(CMAPSS_DIR, "train_FD001.txt");
  const test = readCmapss(CMAPSS_DIR, "test_FD001.txt");
  const copies = options.copies ?? 0;
  const trainIds = [...new Set(train.map((r) => r.unit))].map((u) => `train_${String(u).padStart(3, "0")}`);
  const testUnits = [...new Set(test.map((r) => r.unit))];
  const fleetIds = Array.from({ length: copies * testUnits.length }, (_, k) => `fleet_${String(k + 1).padStart(4, "0")}`);
  const assets = new Map<string, string>();
  const names = [...trainIds, ...fleetIds];
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let k = next++; k < names.length; k = next++) {
        const externalId = names[k] ?? "";
        const { createAsset } = await graphql<{ createAsset: { id: string } }>(
          url,
          "mutation ($i: CreateAssetInput!) { createAsset(input: $i) { id } }",
          { i: { assetTypeId: createAssetType.id, externalId, name: externalId } },
          token,
        );
        assets.set(externalId, createAsset.id);
      }
    }),
  );
  const { createDevice } = await graphql<{ createDevice: { issued: { secret: string } } }>(
    url,
    "mutation ($i: CreateDeviceInput!) { createDevice(input: $i) { issued { secret } } }",
    { i: { name: "bench gateway", assetIds: [...assets.values()] } },
    token,
  );
  const longest = Math.max(...train.map((r) => r.cycle), ...test.map((r) => r.cycle));
  const startSeconds = Math.floor(Date.now() / 1000) - (longest + 24) * CYCLE_SECONDS;
  const byUnit = new Map<number, CmapssRow[]>();
  for (const r of test) byUnit.set(r.unit, [...(byUnit.get(r.unit) ?? []), r]);
  const lines = [
    ...train.map((r) => toLine("turbofan", `train_${String(r.unit).padStart(3, "0")}`, r, startSeconds)),
    ...fleetIds.flatMap((id, k) =>
      (byUnit.get(testUnits[k % testUnits.length] ?? 1) ?? []).map((r) => toLine("turbofan", id, r, startSeconds)),
    ),
  ];
  for (let i = 0; i < lines.length; i += 5_000) {
    const res = await fetch(`${url}/api/v2/write?org=o&bucket=b&precision=s`, {
      method: "POST",
      headers: { authorization: `Token ${createDevice.issued.secret}`, "content-type": "text/plain" },
      body: lines.slice(i, i + 5_000).join("\n"),
    });
    if (res.status !== 204) throw new Error(`loading C-MAPSS failed: ${res.status} ${await res.text()}`);
  }
  const last = new Map<number, number>();
  for (const r of train) last.set(r.unit, Math.max(last.get(r.unit) ?? 0, r.cycle));
  await Promise.all(
    Array.from({ length: 4 }, async (_, w) => {
      for (const [unit, cycle] of [...last].filter((_, k) => k % 4 === w)) {
        await graphql(
          url,
          "mutation ($i: RecordMaintenanceEventInput!) { recordMaintenanceEvent(input: $i) { id } }",
          {
            i: {
              assetId: assets.get(`train_${String(unit).padStart(3, "0")}`),
              kind: "FAILURE",
              occurredAt: new Date((startSeconds + cycle * CYCLE_SECONDS) * 1000).toISOString(),
            },
          },
          token,
        );
      }
    }),
  );
  return { tenantId: signUp.tenantId, userId: signUp.userId, token, typeId: createAssetType.id, assets, lines: lines.length };
}
