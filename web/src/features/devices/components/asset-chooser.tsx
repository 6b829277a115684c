import { useId, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { common, useT } from "../../../lib/i18n";
import { DEVICE_ASSET_OPTIONS, useDeviceAssetOptions } from "../api/assets";
import { countText } from "../lib/plural";
import { deviceMessages } from "../messages";

/** Checkboxes of the tenant's assets (with a filter by name or external id): which ones a device may write for. */
export function AssetChooser({
  tenantId,
  selected,
  onChange,
}: {
  tenantId: string;
  selected: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
}) {
  const t = useT(deviceMessages);
  const tc = useT(common);
  const ids = useId();
  const options = useDeviceAssetOptions(tenantId);
  const [filter, setFilter] = useState("");
  const needle = filter.trim().toLowerCase();
  const assets = options.data?.assets ?? [];
  const shown = needle ? assets.filter((a) => `${a.name} ${a.externalId}`.toLowerCase().includes(needle)) : assets;
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    onChange(next);
  };

  return (
    <fieldset className="asset-chooser" aria-describedby={`${ids}-hint`}>
      <legend>{t("chooser.legend")}</legend>
      <p id={`${ids}-hint`} className="hint">
        {t("chooser.hint")}
      </p>
      <p className="chosen" aria-live="polite">
        {countText(t, "chooser.selected.one", "chooser.selected.other", selected.size)}
      </p>
      {options.isPending && <p role="status">{t("chooser.loading")}</p>}
      {options.isError && (
        <>
          <ErrorNotice error={options.error} title={t("chooser.error")} />
          <button type="button" onClick={() => options.refetch()}>
            {tc("action.retry")}
          </button>
        </>
      )}
      {options.data && assets.length === 0 && <p className="muted">{t("chooser.noAssets")}</p>}
      {assets.length > 0 && (
        <>
          <div className="field">
            <label htmlFor={`${ids}-filter`}>{t("chooser.filter")}</label>
            <input id={`${ids}-filter`} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
          </div>
          <ul className="asset-options">
            {shown.map((a) => (
              <li key={a.id}>
                <label>
                  <input type="checkbox" checked={selected.has(a.id)} onChange={(e) => toggle(a.id, e.target.checked)} /> {a.name}{" "}
                  <span className="muted">({a.externalId})</span>
                </label>
              </li>
            ))}
          </ul>
          {shown.length === 0 && <p className="muted">{t("chooser.noMatch")}</p>}
          {options.data?.truncated && <p className="hint">{t("chooser.truncated", { count: DEVICE_ASSET_OPTIONS })}</p>}
        </>
      )}
    </fieldset>
  );
}
