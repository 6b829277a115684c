import { createRoute, Link } from "@tanstack/react-router";
import { useCallback, useMemo, useRef, useState } from "react";
import { ErrorNotice } from "../components/error-notice";
import { useAssetAlerts } from "../features/alerts/api/asset-alerts";
import { assetQuery, assetTypeQuery, useAsset, useAssetType } from "../features/assets/api/asset";
import { useAssetHealth, useAssetModels, useModelVersion } from "../features/assets/api/health";
import { usePredictionHistory } from "../features/assets/api/history";
import { AnomalyHistory, LatestAnomaly } from "../features/assets/components/anomaly-summary";
import { AssetSummary, NoPrediction } from "../features/assets/components/asset-summary";
import { LatestRul, RulHistory } from "../features/assets/components/rul-history";
import { useAssetMaintenanceEvents } from "../features/maintenance/api/asset-events";
import { useLatestTelemetry } from "../features/telemetry/api/latest";
import { LatestValues } from "../features/telemetry/components/latest-values";
import type { RangeChoice } from "../features/telemetry/components/range-picker";
import { TelemetryPanel } from "../features/telemetry/components/telemetry-panel";
import type { TimeMarker } from "../features/telemetry/lib/markers";
import { isRangeKey, type RangeKey, resolveRange } from "../features/telemetry/lib/range";
import { browserTimeZone, formatTime, isTimeZone } from "../features/telemetry/lib/time-zone";
import { telemetryMessages } from "../features/telemetry/messages";
import { useElementWidth } from "../lib/element-width";
import { isNotFound } from "../lib/graphql";
import { common, type Formatters, type Translate, useFormat, useT } from "../lib/i18n";
import { getSession, useSession } from "../lib/session";
import { assetPageMessages } from "./asset-messages";
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
  // Every key, undefined when refused: the router keeps the raw value of a key left out.
  const out: AssetSearch = { range: undefined, from: undefined, to: undefined, tz: undefined, sensors: undefined };
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
  const t = useT(assetPageMessages);
  const c = useT(common);
  return (
    <section aria-labelledby="asset-title" className="page">
      <title>{c("app.title", { page: t("asset.notFound") })}</title>
      <h1 id="asset-title">{t("asset.notFound")}</h1>
      <p>
        {t("asset.notFoundText")}{" "}
        <Link to="/fleet" search={{}}>
          {t("asset.backToFleet")}
        </Link>
        .
      </p>
    </section>
  );
}

const EVENT_KINDS = { FAILURE: "failure", REPAIR: "repair", INSPECTION: "inspection" } as const;

type EventsAnswer = ReturnType<typeof useAssetMaintenanceEvents>["data"];
type AlertsAnswer = ReturnType<typeof useAssetAlerts>["data"];

interface MarkerWords {
  readonly t: Translate<keyof (typeof assetPageMessages)["en"]>;
  readonly kinds: Translate<keyof (typeof telemetryMessages)["en"]>;
  readonly format: Formatters;
}

/** Maintenance events and alerts as markers on the time axis, in the page's language. */
function toMarkers(events: EventsAnswer, alerts: AlertsAnswer, { t, kinds, format }: MarkerWords): TimeMarker[] {
  const out: TimeMarker[] = [];
  for (const e of events?.events ?? []) {
    const kind = EVENT_KINDS[e.kind];
    const by = e.recordedByName ? ` ${t("marker.recordedBy", { name: e.recordedByName })}` : "";
    out.push({
      id: e.id,
      kind,
      time: Date.parse(e.occurredAt),
      title: kinds(`marker.${kind}`),
      detail: `${e.note || t("marker.noNote")}${by}`,
    });
  }
  for (const a of alerts?.alerts ?? []) {
    // The API writes its explanation's summary in English: an English page shows it, another
    // language states the alert's figures in its own words.
    const figures = { value: format.number(a.value), threshold: format.number(a.threshold) };
    const apiSummary = t.locale === "en" && typeof a.explanation.summary === "string" ? a.explanation.summary : undefined;
    const summary = apiSummary ?? (a.kind === "RUL_LOW" ? t("marker.rulFigures", figures) : t("marker.anomalyFigures", figures));
    out.push({
      id: a.id,
      kind: "alert",
      time: Date.parse(a.openedAt),
      title: t("marker.alert", { kind: t(`alertKind.${a.kind}`), status: t(`alertStatus.${a.status}`) }),
      detail: summary,
    });
  }
  return out;
}

type History = ReturnType<typeof usePredictionHistory>;

/** The remaining-life and anomaly predictions made in the range, each as a plot over it. */
function PredictionHistories(props: {
  rul: History;
  anomaly: History;
  threshold: number | null | undefined;
  timeZone: string;
  from: number;
  to: number;
}) {
  const { rul, anomaly, timeZone, from, to } = props;
  const box = useRef<HTMLDivElement>(null);
  const width = useElementWidth(box);
  const t = useT(assetPageMessages);
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t("history.title")}</h2>
      <div ref={box} className="history-plots" data-state={rul.isFetching || anomaly.isFetching ? "loading" : rul.status}>
        {(rul.isPending || anomaly.isPending) && <p role="status">{t("history.loading")}</p>}
        {rul.isError && <ErrorNotice error={rul.error} title={t("history.rulFailed")} />}
        {anomaly.isError && <ErrorNotice error={anomaly.error} title={t("history.anomalyFailed")} />}
        {rul.data && <RulHistory history={rul.data} width={width} timeZone={timeZone} from={from} to={to} />}
        {anomaly.data && (
          <AnomalyHistory history={anomaly.data} threshold={props.threshold} width={width} timeZone={timeZone} from={from} to={to} />
        )}
      </div>
    </section>
  );
}

function AssetPage() {
  const session = useSession();
  const tenantId = session?.tenantId ?? "";
  const { assetId } = assetRoute.useParams();
  const search = assetRoute.useSearch();
  const navigate = assetRoute.useNavigate();
  const [now, setNow] = useState(() => Date.now());

  const asset = useAsset(tenantId, assetId);
  const type = useAssetType(tenantId, asset.data?.assetTypeId);
  // The plots come first: the page's other requests wait for their answer, so that they do not
  // compete with the asset, its type and the telemetry on the way to the first plotted frame.
  const [plotted, setPlotted] = useState(false);
  const afterPlots = plotted || type.isError;
  const latest = useLatestTelemetry(tenantId, assetId, afterPlots);
  const health = useAssetHealth(tenantId, assetId, afterPlots);

  const timeZone = search.tz ?? browserTimeZone();
  const range = search.range ?? "day";
  const timeRange = resolveRange(range, now, search);
  const t = useT(assetPageMessages);
  const c = useT(common);
  const kinds = useT(telemetryMessages);
  const format = useFormat();
  const at = useCallback((iso: string) => formatTime(format, new Date(iso), timeZone), [format, timeZone]);

  const from = timeRange?.from ?? new Date(0);
  const to = timeRange?.to ?? new Date(1);
  const inRange = { assetId, from, to };
  const ready = asset.isSuccess && timeRange !== undefined && afterPlots;
  const events = useAssetMaintenanceEvents(tenantId, inRange, ready);
  const alerts = useAssetAlerts(tenantId, inRange, ready);
  const markers = useMemo(() => toMarkers(events.data, alerts.data, { t, kinds, format }), [events.data, alerts.data, t, kinds, format]);
  const markersTruncated = [
    ...(events.data?.truncated ? (["events"] as const) : []),
    ...(alerts.data?.truncated ? (["alerts"] as const) : []),
  ];
  const rulHistory = usePredictionHistory(tenantId, { ...inRange, task: "RUL" }, ready);
  const anomalyHistory = usePredictionHistory(tenantId, { ...inRange, task: "ANOMALY" }, ready);
  const version = useModelVersion(tenantId, health.data?.rul?.modelVersionId);
  const noPrediction = health.isSuccess && !health.data.rul && !health.data.anomaly;
  const models = useAssetModels(tenantId, asset.data?.assetTypeId, noPrediction);

  if (asset.isError && isNotFound(asset.error)) return <AssetNotFound />;
  if (asset.isError) {
    return (
      <section aria-labelledby="asset-title" className="page">
        <h1 id="asset-title">{t("asset.title")}</h1>
        <ErrorNotice error={asset.error} title={t("asset.failed")} />
        <button type="button" onClick={() => asset.refetch()}>
          {c("action.retry")}
        </button>
      </section>
    );
  }
  if (!asset.data) return <p role="status">{t("asset.loading")}</p>;

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
      <title>{c("app.title", { page: asset.data.name })}</title>
      <p className="crumbs">
        <Link to="/fleet" search={{}}>
          {c("nav.fleet")}
        </Link>{" "}
        / {asset.data.name}
      </p>
      <h1 id="asset-title">{asset.data.name}</h1>
      <Link className="page-link" to="/assets/$assetId/maintenance" params={{ assetId }} search={{}}>
        {t("asset.maintenanceLog")}
      </Link>
      <AssetSummary asset={asset.data} type={type.data} created={at(asset.data.createdAt)} />
      {type.isError && <ErrorNotice error={type.error} title={t("asset.typeFailed")} />}

      <h2>{t("health.title")}</h2>
      {health.isPending && <p role="status">{t("health.loading")}</p>}
      {health.isError && <ErrorNotice error={health.error} title={t("health.failed")} />}
      {noPrediction && <NoPrediction hasModel={models.data ? models.data.length > 0 : undefined} />}
      {models.isError && <ErrorNotice error={models.error} title={t("health.modelsFailed")} />}
      {health.data?.rul && <LatestRul latest={health.data.rul} version={version.data?.version} formatTime={at} />}
      {version.isError && <ErrorNotice error={version.error} title={t("health.versionFailed")} />}
      {health.data?.anomaly && <LatestAnomaly latest={health.data.anomaly} formatTime={at} />}

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
          markers={markers}
          markersTruncated={markersTruncated}
          onSettled={() => setPlotted(true)}
        />
      )}
      {events.isError && <ErrorNotice error={events.error} title={t("markers.eventsFailed")} />}
      {alerts.isError && <ErrorNotice error={alerts.error} title={t("markers.alertsFailed")} />}

      <PredictionHistories
        rul={rulHistory}
        anomaly={anomalyHistory}
        threshold={health.data?.anomaly?.anomalyThreshold}
        timeZone={timeZone}
        from={from.getTime()}
        to={to.getTime()}
      />

      <h2>{t("latest.title")}</h2>
      {latest.isPending && <p role="status">{t("latest.loading")}</p>}
      {latest.isError && <ErrorNotice error={latest.error} title={t("latest.failed")} />}
      {latest.data && type.data && <LatestValues sensors={sensors} latest={latest.data} formatTime={at} />}
    </section>
  );
}

export const assetRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/assets/$assetId",
  validateSearch: validateAssetSearch,
  // The asset and then its type are asked for as soon as the address is matched, while the page's
  // script renders (not awaited: the page shows its own loading and error states).
  loader: ({ context, params }) => {
    const tenantId = getSession()?.tenantId;
    if (!tenantId) return;
    void context.queryClient
      .fetchQuery(assetQuery(tenantId, params.assetId))
      .then((asset) => context.queryClient.prefetchQuery(assetTypeQuery(tenantId, asset.assetTypeId)))
      .catch(() => undefined);
  },
  component: AssetPage,
});
