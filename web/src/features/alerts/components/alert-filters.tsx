import { ChoiceFilter } from "../../../components/choice-filter";
import { type AssetOption, assetChoices, withSelected } from "../../../lib/asset-options";
import { type AlertsSearch, KINDS, STATUS_FILTERS } from "../lib/search";

/** Status, kind and asset: each choice changes the address, and with it the list. */
export function AlertFilters({
  search,
  assets,
  onChange,
}: {
  search: AlertsSearch;
  assets: readonly AssetOption[];
  onChange: (next: AlertsSearch) => void;
}) {
  return (
    <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <ChoiceFilter
        label="Status"
        allLabel="All"
        choices={STATUS_FILTERS}
        value={search.status}
        onChange={(status) => onChange({ ...search, status })}
      />
      <ChoiceFilter
        label="Kind"
        allLabel="All kinds"
        choices={KINDS}
        value={search.kind}
        onChange={(kind) => onChange({ ...search, kind })}
      />
      <ChoiceFilter
        label="Asset"
        allLabel="All assets"
        choices={assetChoices(withSelected(assets, search.asset))}
        value={search.asset}
        onChange={(asset) => onChange({ ...search, asset })}
      />
    </form>
  );
}
