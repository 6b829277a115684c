import type { AlertKind } from "../../../gql/graphql";
import { type AlertsSearch, KINDS, STATUS_FILTERS, type StatusFilter } from "../lib/search";

export interface AssetOption {
  readonly id: string;
  readonly name: string;
  readonly externalId: string;
}

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
  // An asset named by the address but not among the options still shows as chosen.
  const options =
    search.asset && !assets.some((a) => a.id === search.asset)
      ? [...assets, { id: search.asset, name: search.asset, externalId: "" }]
      : assets;
  return (
    <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <label>
        Status
        <select
          value={search.status ?? ""}
          onChange={(e) => onChange({ ...search, status: (e.target.value || undefined) as StatusFilter | undefined })}
        >
          <option value="">All</option>
          {STATUS_FILTERS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Kind
        <select
          value={search.kind ?? ""}
          onChange={(e) => onChange({ ...search, kind: (e.target.value || undefined) as AlertKind | undefined })}
        >
          <option value="">All kinds</option>
          {KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Asset
        <select value={search.asset ?? ""} onChange={(e) => onChange({ ...search, asset: e.target.value || undefined })}>
          <option value="">All assets</option>
          {options.map((a) => (
            <option key={a.id} value={a.id}>
              {a.externalId ? `${a.name} (${a.externalId})` : a.name}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}
