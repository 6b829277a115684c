import { createRoute, Link } from "@tanstack/react-router";
import { useCallback, useState } from "react";
import { ErrorNotice } from "../components/error-notice";
import { useAsset, useAssetType } from "../features/assets/api/asset";
import { useAssetHealth } from "../features/assets/api/health";
import { AssetSummary, HealthSummary } from "../features/assets/components/asset-summary";
import { useLatestTelemetry } from "../features/telemetry/api/latest";
import { LatestValues } from "../features/telemetry/components/latest-values";
import type { RangeChoice } from "../features/telemetry/components/range-picker";
import { TelemetryPanel } from "../features/telemetry/components/telemetry-panel";
import { isRangeKey, type RangeKey, resolveRange } from "../features/telemetry/lib/range";
import { browserTimeZone, formatTime, isTimeZone } from "../features/telemetry/lib/time-zone";
import { ApiError } from "../lib/graphql";
import { useSession } from "../lib/session";
import { shellRoute } from "./shell";

export interface AssetSearch {
  /** The last hour … year up to now, or custom (`from`/`to`); absent: the last day. */
  range?: RangeKey;
  from?: string;
  to?: string;
  /** The IANA time zone times are shown in; absent: the browser's. */
  tz?: string;
  /** The sensors plotted, comma-separated; absent: the first few. */
  sensors?: string;
}

const DEFAULT_SENSORS = 4;

const isoOrUndefined = (value: unknown) => (typeof value === "string" && !Number.isNaN(Date.parse(value)) ? value : undefined);

function validateAssetSearch(search: Record<string, unknown>): AssetSearch {
  const out: AssetSearch = {};
  if (isRangeKey(search.range)) out.range = search.range;
  if (out.range === "custom") {
    out.from = isoOrUndefined(search.from);
    out.to = isoOrUndefined(search.to);
  }
  if (typeof search.tz === "string" && isTimeZone(search.tz)) out.tz = search.tz;
  if (typeof search.sensors === "string") out.sensors = search.sensors;
  return out;
}

/** An unknown id and another company's asset look the same: there is no such asset here. */
function AssetNotFound() {
  return (
    <section aria-labelledby="asset-title" className="page">
      <title>Asset not found · Predictive maintenance</title>
      <h1 id="asset-title">Asset not found</h1>
      <p>
        This company has no asset with that id.{" "}
        <Link to="/fleet" search={{}}>
          Back to the fleet
        </Link>
        .
      </p>
    </section>
  );
}

const isNotFound = (error: unknown) => error instanceof ApiError && (error.code === "NOT_FOUND" || error.code === "VALIDATION");

function AssetPage() {
  const session = useSession();
  const tenantId = session?.tenantId ?? "";
  const { assetId } = assetRoute.useParams();
  const search = assetRoute.useSearch();
  const navigate = assetRoute.useNavigate();
  const [now, setNow] = useState(() => Date.now());

  const asset = useAsset(tenantId, assetId);
  const type = useAssetType(tenantId, asset.data?.assetTypeId);
  const latest = useLatestTelemetry(tenantId, assetId);
  const health = useAssetHealth(tenantId, assetId);

  const timeZone = search.tz ?? browserTimeZone();
  const range = search.range ?? "day";
  const timeRange = resolveRange(range, now, search);
  const at = useCallback((iso: string) => formatTime(new Date(iso), timeZone), [timeZone]);

  if (asset.isError && isNotFound(asset.error)) return <AssetNotFound />;
  if (asset.isError) {
    return (
      <section aria-labelledby="asset-title" className="page">
        <h1 id="asset-title">Asset</h1>
        <ErrorNotice error={asset.error} title="Could not load the asset" />
        <button type="button" onClick={() => asset.refetch()}>
          Try again
        </button>
      </section>
    );
  }
  if (!asset.data) return <p role="status">Loading the asset…</p>;

  // In natural order (s2 before s10), whatever order the type lists them in.
  const sensors = [...(type.data?.sensors ?? [])].sort((a, b) => a.key.localeCompare(b.key, "en", { numeric: true }));
  const numeric = sensors.filter((s) => s.valueType !== "BOOLEAN");
  const chosen = search.sensors?.split(",").filter((key) => numeric.some((s) => s.key === key));
  const shownSensors = chosen ?? numeric.slice(0, DEFAULT_SENSORS).map((s) => s.key);

  const onRange = (choice: RangeChoice) => {
    setNow(Date.now());
    void navigate({ search: (prev) => ({ ...prev, range: choice.range, from: choice.from, to: choice.to }) });
  };

  return (
    <section aria-labelledby="asset-title" className="page asset">
      <title>{`${asset.data.name} · Predictive maintenance`}</title>
      <p className="crumbs">
        <Link to="/fleet" search={{}}>
          Fleet
        </Link>{" "}
        / {asset.data.name}
      </p>
      <h1 id="asset-title">{asset.data.name}</h1>
      <Link className="page-link" to="/assets/$assetId/maintenance" params={{ assetId }} search={{}}>
        Maintenance log
      </Link>
      <AssetSummary asset={asset.data} type={type.data} created={at(asset.data.createdAt)} />
      {type.isError && <ErrorNotice error={type.error} title="Could not load the asset type" />}

      <h2>Health</h2>
      {health.isPending && <p role="status">Loading predictions…</p>}
      {health.isError && <ErrorNotice error={health.error} title="Could not load the predictions" />}
      {health.data && <HealthSummary health={health.data} formatTime={at} />}

      {type.data && (
        <TelemetryPanel
          assetId={assetId}
          externalId={asset.data.externalId}
          sensors={numeric}
          shownSensors={shownSensors}
          range={range}
          timeRange={timeRange}
          timeZone={timeZone}
          onRange={onRange}
          onTimeZone={(tz) => void navigate({ search: (prev) => ({ ...prev, tz }) })}
          onSensors={(sensors) => void navigate({ search: (prev) => ({ ...prev, sensors: sensors.join(",") }) })}
          onRefresh={() => setNow(Date.now())}
        />
      )}

      <h2>Latest values</h2>
      {latest.isPending && <p role="status">Loading the latest values…</p>}
      {latest.isError && <ErrorNotice error={latest.error} title="Could not load the latest values" />}
      {latest.data && type.data && <LatestValues sensors={sensors} latest={latest.data} formatTime={at} />}
    </section>
  );
}

export const assetRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/assets/$assetId",
  validateSearch: validateAssetSearch,
  component: AssetPage,
});
