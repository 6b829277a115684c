import "../styles.css";
import { Link } from "@tanstack/react-router";
import { useFormat, useT } from "../../../lib/i18n";
import type { DeviceAssetOption } from "../api/assets";
import type { DeviceRow } from "../api/devices";
import { lastDelivery } from "../lib/delivery";
import { countText } from "../lib/plural";
import { deviceMessages } from "../messages";

/** How many asset names a row shows before "and n more". */
const NAMES_SHOWN = 3;

function AssetNames({ ids, names }: { ids: readonly string[]; names: ReadonlyMap<string, DeviceAssetOption> }) {
  const t = useT(deviceMessages);
  if (ids.length === 0) return <span className="muted">{t("assets.none")}</span>;
  const shown = ids.slice(0, NAMES_SHOWN).map((id) => names.get(id)?.name ?? id);
  const rest = ids.length - shown.length;
  return (
    <>
      {shown.join(", ")}
      {rest > 0 && <span className="muted"> {t("assets.more", { count: rest })}</span>}
    </>
  );
}

/** One row per device: its assets, active tokens, last delivery (when and how) and batch counts. */
export function DeviceTable({ devices, assets }: { devices: readonly DeviceRow[]; assets: readonly DeviceAssetOption[] }) {
  const t = useT(deviceMessages);
  const f = useFormat();
  const names = new Map(assets.map((a) => [a.id, a]));
  return (
    <table className="device-table">
      <caption className="visually-hidden">{t("list.caption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("col.device")}</th>
          <th scope="col">{t("col.assets")}</th>
          <th scope="col">{t("col.tokens")}</th>
          <th scope="col">{t("col.lastDelivery")}</th>
          <th scope="col">{t("col.batches")}</th>
        </tr>
      </thead>
      <tbody>
        {devices.map((d) => {
          const last = lastDelivery(d.diagnostics);
          const refusal = d.diagnostics.lastRefusal;
          return (
            <tr key={d.id} data-device-id={d.id}>
              <td>
                <Link to="/devices/$deviceId" params={{ deviceId: d.id }}>
                  {d.name}
                </Link>
                <div className="muted small">{countText(t, "assets.count.one", "assets.count.other", d.assetIds.length)}</div>
              </td>
              <td>
                <AssetNames ids={d.assetIds} names={names} />
              </td>
              <td>{f.number(d.tokens.filter((tk) => !tk.revokedAt).length)}</td>
              <td data-cell="last-delivery">
                {last ? (
                  <time dateTime={last.at}>
                    {t("delivery.via", { time: f.dateTime(last.at), protocol: t(`protocol.${last.protocol}`) })}
                  </time>
                ) : (
                  <span className="muted">{t("delivery.never")}</span>
                )}
              </td>
              <td>
                {t("batches.counts", {
                  accepted: f.number(d.diagnostics.acceptedBatches),
                  refused: f.number(d.diagnostics.refusedBatches),
                })}
                {refusal && <div className="refusal small">{t("refusal.short", { code: refusal.code, time: f.dateTime(refusal.at) })}</div>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
