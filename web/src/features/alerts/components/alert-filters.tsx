import { ChoiceFilter } from "../../../components/choice-filter";
import { type AssetOption, assetChoices, withSelected } from "../../../lib/asset-options";
import { common, useT } from "../../../lib/i18n";
import { type AlertsSearch, KINDS, STATUS_FILTERS } from "../lib/search";
import { alertMessages } from "../messages";

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
  const t = useT(alertMessages);
  const c = useT(common);
  return (
    <form className="filters" aria-label={c("filters.label")} onSubmit={(e) => e.preventDefault()}>
      <ChoiceFilter
        label={t("filter.status")}
        allLabel={t("filter.all")}
        choices={STATUS_FILTERS.map((value) => ({ value, label: t(`status.${value}`) }))}
        value={search.status}
        onChange={(status) => onChange({ ...search, status })}
      />
      <ChoiceFilter
        label={t("filter.kind")}
        allLabel={t("filter.allKinds")}
        choices={KINDS.map((value) => ({ value, label: t(`kind.${value}`) }))}
        value={search.kind}
        onChange={(kind) => onChange({ ...search, kind })}
      />
      <ChoiceFilter
        label={t("filter.asset")}
        allLabel={t("filter.allAssets")}
        choices={assetChoices(withSelected(assets, search.asset))}
        value={search.asset}
        onChange={(asset) => onChange({ ...search, asset })}
      />
    </form>
  );
}
