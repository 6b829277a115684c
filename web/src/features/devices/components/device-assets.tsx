import { useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { common, useT } from "../../../lib/i18n";
import type { DeviceAssetOption } from "../api/assets";
import { useSetDeviceAssets } from "../api/set-assets";
import { countText } from "../lib/plural";
import { deviceMessages } from "../messages";
import { AssetChooser } from "./asset-chooser";

/** The assets the device writes for; writers change the set (setDeviceAssets). */
export function DeviceAssets({
  tenantId,
  deviceId,
  assetIds,
  assets,
  canWrite,
}: {
  tenantId: string;
  deviceId: string;
  assetIds: readonly string[];
  assets: readonly DeviceAssetOption[];
  canWrite: boolean;
}) {
  const t = useT(deviceMessages);
  const tc = useT(common);
  const save = useSetDeviceAssets(tenantId, deviceId);
  const [editing, setEditing] = useState<Set<string> | undefined>();
  const [saved, setSaved] = useState<number | undefined>();
  const names = new Map(assets.map((a) => [a.id, a]));

  if (editing) {
    return (
      <form
        className="device-form"
        aria-label={t("devAssets.change")}
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate([...editing], {
            onSuccess: (device) => {
              setSaved(device.assetIds.length);
              setEditing(undefined);
            },
          });
        }}
      >
        {save.error && <ErrorNotice error={save.error} title={t("devAssets.error")} />}
        <AssetChooser tenantId={tenantId} selected={editing} onChange={setEditing} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            {save.isPending ? t("devAssets.saving") : t("devAssets.save")}
          </button>
          <button type="button" onClick={() => setEditing(undefined)}>
            {tc("action.cancel")}
          </button>
        </div>
      </form>
    );
  }
  return (
    <>
      {saved !== undefined && (
        <p role="status" className="notice notice-success">
          {countText(t, "devAssets.saved.one", "devAssets.saved.other", saved)}
        </p>
      )}
      {assetIds.length === 0 ? (
        <p className="muted">{t("devAssets.none")}</p>
      ) : (
        <ul className="device-asset-list">
          {assetIds.map((id) => {
            const asset = names.get(id);
            return (
              <li key={id}>
                {asset ? (
                  <>
                    {asset.name} <span className="muted">({asset.externalId})</span>
                  </>
                ) : (
                  <code>{id}</code>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {canWrite && (
        <button
          type="button"
          onClick={() => {
            setSaved(undefined);
            save.reset();
            setEditing(new Set(assetIds));
          }}
        >
          {t("devAssets.change")}
        </button>
      )}
    </>
  );
}
