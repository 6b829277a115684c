/**
 * A fleet-health report: every asset with its health, remaining life and anomaly score, then the open
 * alerts. Needs an API key with the scopes telemetry:read and models:read.
 *
 *   PDM_API_URL=https://api.example.com PDM_API_KEY=pdmk_… node fleet-health-report.ts
 */
import { type Alert, createClient, type FleetEntry, PdmApiError } from "@pdm/sdk";

const url = process.env.PDM_API_URL;
const apiKey = process.env.PDM_API_KEY;
if (!url || !apiKey) {
  console.error("Set PDM_API_URL (the API's address) and PDM_API_KEY (an API key with telemetry:read and models:read).");
  process.exit(2);
}

const client = createClient({ url, apiKey });
const figure = (value: number | null | undefined, digits = 1) => (value === null || value === undefined ? "-" : value.toFixed(digits));

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

async function report(): Promise<string> {
  const viewer = await client.viewer();
  const assets: FleetEntry[] = [];
  for await (const entry of client.fleet({ sort: "HEALTH" })) assets.push(entry);
  const openAlerts: Alert[] = [];
  for await (const alert of client.alerts({ statuses: ["OPEN"] })) openAlerts.push(alert);

  const counts = { CRITICAL: 0, WATCH: 0, OK: 0, UNKNOWN: 0 };
  for (const asset of assets) counts[asset.health]++;
  const rows = [["ASSET", "NAME", "HEALTH", "RUL", "RUL RANGE", "ANOMALY", "OPEN ALERTS"]];
  for (const asset of assets) {
    const health = await client.assetHealth(asset.assetId);
    const life = asset.remainingLife;
    const anomaly = health.anomaly;
    rows.push([
      asset.externalId,
      asset.name,
      asset.health,
      figure(life?.rul),
      life ? `${figure(life.low)}..${figure(life.high)}` : "-",
      anomaly ? `${figure(anomaly.anomalyScore, 2)}/${figure(anomaly.anomalyThreshold, 2)}` : "-",
      String(openAlerts.filter((a) => a.assetId === asset.assetId).length),
    ]);
  }
  const lines = [
    `Fleet health report, tenant ${viewer.tenantId}`,
    `${assets.length} assets: ${counts.CRITICAL} critical, ${counts.WATCH} watch, ${counts.OK} ok, ${counts.UNKNOWN} unknown`,
    "",
    table(rows),
    "",
    `Open alerts: ${openAlerts.length}`,
    ...openAlerts.map(
      (a) =>
        `  ${a.kind} on ${a.assetExternalId} (${a.assetName}): value ${figure(a.value)}, threshold ${figure(a.threshold)}, opened ${a.openedAt}`,
    ),
  ];
  return lines.join("\n");
}

try {
  console.log(await report());
} catch (error) {
  if (error instanceof PdmApiError) {
    console.error(`${error.code}: ${error.message} (request ${error.requestId})`);
    process.exit(1);
  }
  // fetch itself failed: the address is wrong or the API is down.
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  console.error(`No answer from ${url}: ${error instanceof Error ? error.message : String(error)}${cause}`);
  process.exit(1);
}
