import { useId, useState } from "react";
import { ChoiceFilter } from "../../../components/choice-filter";
import { ErrorNotice } from "../../../components/error-notice";
import { assetChoices, useAssetOptions, withSelected } from "../../../lib/asset-options";
import { common, useT } from "../../../lib/i18n";
import { useMaintenanceEvents } from "../api/events";
import { KINDS, type MaintenanceSearch } from "../lib/search";
import { maintenanceMessages } from "../messages";
import { MaintenanceTable } from "./maintenance-table";
import { type AssetChoice, RecordEventForm } from "./record-event-form";

/**
 * A maintenance log: the fleet's (no `asset`: an asset filter, an asset column) or one asset's.
 * Filters live in the address (`search`, changed through `onSearch`); `canWrite` (assets:write)
 * adds the form that records an event — a role that only reads sees no form at all.
 */
export function MaintenanceLog({
  tenantId,
  asset,
  search,
  onSearch,
  canWrite,
  timeZone,
}: {
  tenantId: string;
  asset?: AssetChoice | undefined;
  search: MaintenanceSearch;
  onSearch: (next: MaintenanceSearch) => void;
  canWrite: boolean;
  timeZone: string;
}) {
  const fleetWide = !asset;
  const assetId = asset?.id ?? search.asset;
  const events = useMaintenanceEvents(tenantId, { assetId, kind: search.kind });
  const options = useAssetOptions(tenantId, fleetWide);
  const rows = events.data?.pages.flatMap((p) => p.edges.map((e) => e.node)) ?? [];
  const choices = options.data ?? [];
  const filterChoices = withSelected(choices, search.asset);
  const filtered = Boolean(search.kind || (fleetWide && search.asset));
  const [recording, setRecording] = useState(false);
  const formId = useId();
  const t = useT(maintenanceMessages);
  const c = useT(common);

  return (
    <div className="maintenance-log">
      {canWrite && (
        <div className="log-actions">
          <button
            type="button"
            className={recording ? "" : "primary"}
            aria-expanded={recording}
            aria-controls={formId}
            onClick={() => setRecording(!recording)}
          >
            {recording ? t("log.closeForm") : t("log.record")}
          </button>
        </div>
      )}
      {canWrite && recording && (
        <RecordEventForm
          id={formId}
          tenantId={tenantId}
          asset={asset}
          assets={filterChoices}
          initialAssetId={search.asset}
          timeZone={timeZone}
        />
      )}
      <h2>{fleetWide ? t("log.events") : t("log.eventsOfAsset")}</h2>
      <form className="filters" aria-label={c("filters.label")} onSubmit={(e) => e.preventDefault()}>
        <ChoiceFilter
          label={t("filter.kind")}
          allLabel={t("filter.allKinds")}
          choices={KINDS.map((value) => ({ value, label: t(`kind.${value}`) }))}
          value={search.kind}
          onChange={(kind) => onSearch({ ...search, kind })}
        />
        {fleetWide && (
          <ChoiceFilter
            label={t("filter.asset")}
            allLabel={t("filter.allAssets")}
            choices={assetChoices(filterChoices)}
            value={search.asset}
            onChange={(asset) => onSearch({ ...search, asset })}
          />
        )}
      </form>
      {options.isError && !events.isError && <ErrorNotice error={options.error} title={t("log.optionsFailed")} />}

      {events.isPending && <p role="status">{t("log.loading")}</p>}
      {events.isError && !events.isFetchNextPageError && (
        <>
          <ErrorNotice error={events.error} title={t("log.failed")} />
          <button type="button" onClick={() => events.refetch()}>
            {c("action.retry")}
          </button>
        </>
      )}
      {events.isSuccess && rows.length === 0 && (
        <div className="empty" role="status">
          <p className="notice-title">{filtered ? t("log.noMatch") : t("log.empty")}</p>
          <p>{canWrite ? t("log.emptyWriter") : t("log.emptyReader")}</p>
        </div>
      )}
      {rows.length > 0 && (
        <>
          <MaintenanceTable events={rows} timeZone={timeZone} showAsset={fleetWide} />
          <div className="pager">
            {events.hasNextPage && (
              <button type="button" onClick={() => events.fetchNextPage()} disabled={events.isFetchingNextPage}>
                {events.isFetchingNextPage ? c("state.loadingMore") : c("action.loadMore")}
              </button>
            )}
            <p className="muted">
              {t.plural("log.shown", rows.length)}
              {events.hasNextPage ? "" : t("log.allOfThem")}
            </p>
          </div>
          {events.isFetchNextPageError && <ErrorNotice error={events.error} title={t("log.moreFailed")} />}
        </>
      )}
    </div>
  );
}
