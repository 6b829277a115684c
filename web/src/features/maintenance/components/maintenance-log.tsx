import { useId, useState } from "react";
import { ChoiceFilter } from "../../../components/choice-filter";
import { ErrorNotice } from "../../../components/error-notice";
import { assetChoices, useAssetOptions, withSelected } from "../../../lib/asset-options";
import { useMaintenanceEvents } from "../api/events";
import { KINDS, type MaintenanceSearch } from "../lib/search";
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
            {recording ? "Close the form" : "Record an event"}
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
      <h2>{fleetWide ? "Events" : "Events of this asset"}</h2>
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <ChoiceFilter
          label="Kind"
          allLabel="All kinds"
          choices={KINDS}
          value={search.kind}
          onChange={(kind) => onSearch({ ...search, kind })}
        />
        {fleetWide && (
          <ChoiceFilter
            label="Asset"
            allLabel="All assets"
            choices={assetChoices(filterChoices)}
            value={search.asset}
            onChange={(asset) => onSearch({ ...search, asset })}
          />
        )}
      </form>
      {options.isError && !events.isError && <ErrorNotice error={options.error} title="Could not load the assets to choose from" />}

      {events.isPending && <p role="status">Loading the maintenance log…</p>}
      {events.isError && !events.isFetchNextPageError && (
        <>
          <ErrorNotice error={events.error} title="Could not load the maintenance log" />
          <button type="button" onClick={() => events.refetch()}>
            Try again
          </button>
        </>
      )}
      {events.isSuccess && rows.length === 0 && (
        <div className="empty" role="status">
          <p className="notice-title">{filtered ? "No events match these filters" : "No maintenance recorded yet"}</p>
          <p>
            Failures, repairs and inspections appear here once recorded{canWrite ? " with the form above" : " by an engineer"} or through
            the API (recordMaintenanceEvent). Failures label the data models learn remaining life from.
          </p>
        </div>
      )}
      {rows.length > 0 && (
        <>
          <MaintenanceTable events={rows} timeZone={timeZone} showAsset={fleetWide} />
          <div className="pager">
            {events.hasNextPage && (
              <button type="button" onClick={() => events.fetchNextPage()} disabled={events.isFetchingNextPage}>
                {events.isFetchingNextPage ? "Loading more…" : "Load more"}
              </button>
            )}
            <p className="muted">
              {rows.length} event{rows.length === 1 ? "" : "s"} shown{events.hasNextPage ? "" : ", all of them"}
            </p>
          </div>
          {events.isFetchNextPageError && <ErrorNotice error={events.error} title="Could not load more events" />}
        </>
      )}
    </div>
  );
}
