import { useEffect, useId, useRef, useState } from "react";
import { common, useT } from "../../../lib/i18n";
import type { AssetTypeOption } from "../api/asset-types";
import { type FleetSearch, HEALTH_FILTERS, MAX_SEARCH_LENGTH, SORTS, type SortParam } from "../lib/search";
import { fleetMessages } from "../messages";

/** How long typing pauses before the search changes the address (and asks the API). */
const SEARCH_DELAY_MS = 300;

/**
 * Search, health, type and order: each changes the address, and with it the list. The search box
 * changes it once typing pauses, replacing the history entry rather than adding one per letter.
 */
export function FleetFilters({
  search,
  types,
  onChange,
}: {
  search: FleetSearch;
  types: readonly AssetTypeOption[];
  onChange: (next: FleetSearch, options?: { replace?: boolean }) => void;
}) {
  const ids = useId();
  const t = useT(fleetMessages);
  const c = useT(common);
  const [draft, setDraft] = useState(search.q ?? "");
  // The search this box last sent: an address that differs from it was changed elsewhere (back, a link).
  const sent = useRef(search.q ?? "");
  const latest = useRef({ search, onChange });
  latest.current = { search, onChange };

  useEffect(() => {
    const q = search.q ?? "";
    if (q !== sent.current) {
      sent.current = q;
      setDraft(q);
    }
  }, [search.q]);

  useEffect(() => {
    const q = draft.trim();
    if (q === sent.current) return;
    const timer = setTimeout(() => {
      sent.current = q;
      const current = latest.current;
      current.onChange({ ...current.search, q: q || undefined }, { replace: true });
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft]);

  // A type named by the address but not among the first 100 still shows as chosen.
  const typeOptions =
    search.type && !types.some((type) => type.id === search.type) ? [...types, { id: search.type, name: search.type }] : types;
  return (
    <form className="filters fleet-filters" aria-label={c("filters.label")} onSubmit={(e) => e.preventDefault()}>
      <div className="filter grow">
        <label htmlFor={`${ids}-q`}>{t("filter.search")}</label>
        <input id={`${ids}-q`} type="search" value={draft} maxLength={MAX_SEARCH_LENGTH} onChange={(e) => setDraft(e.target.value)} />
      </div>
      <div className="filter">
        <label htmlFor={`${ids}-health`}>{t("filter.health")}</label>
        <select
          id={`${ids}-health`}
          value={search.health ?? ""}
          onChange={(e) => onChange({ ...search, health: e.target.value || undefined })}
        >
          <option value="">{t("filter.allStates")}</option>
          {HEALTH_FILTERS.map((h) => (
            <option key={h.value} value={h.value}>
              {t(h.label)}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor={`${ids}-type`}>{t("filter.type")}</label>
        <select id={`${ids}-type`} value={search.type ?? ""} onChange={(e) => onChange({ ...search, type: e.target.value || undefined })}>
          <option value="">{t("filter.allTypes")}</option>
          {typeOptions.map((type) => (
            <option key={type.id} value={type.id}>
              {type.name}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor={`${ids}-sort`}>{t("filter.order")}</label>
        <select
          id={`${ids}-sort`}
          value={search.sort ?? "life"}
          onChange={(e) => onChange({ ...search, sort: e.target.value === "life" ? undefined : (e.target.value as SortParam) })}
        >
          {SORTS.map((s) => (
            <option key={s.value} value={s.value}>
              {t(`sort.${s.value}`)}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
