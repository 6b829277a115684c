import type { PortalAssetQuery, PortalAssetTypeQuery } from "../../../gql/graphql";
import { useT } from "../../../lib/i18n";
import { assetMessages } from "../messages";

type Asset = PortalAssetQuery["asset"];
type AssetType = PortalAssetTypeQuery["assetType"];

/** What the asset is: its ids, its type and how many sensors the type has. */
export function AssetSummary({ asset, type, created }: { asset: Asset; type: AssetType | undefined; created: string }) {
  const t = useT(assetMessages);
  return (
    <dl className="facts">
      <div>
        <dt>{t("summary.externalId")}</dt>
        <dd>
          <code>{asset.externalId}</code>
        </dd>
      </div>
      <div>
        <dt>{t("summary.type")}</dt>
        <dd>
          {type ? (
            <>
              {type.name} <code>{type.key}</code>
            </>
          ) : (
            "…"
          )}
        </dd>
      </div>
      <div>
        <dt>{t("summary.sensors")}</dt>
        <dd>{type ? type.sensors.length : "…"}</dd>
      </div>
      <div>
        <dt>{t("summary.created")}</dt>
        <dd>{created}</dd>
      </div>
    </dl>
  );
}

/** Why there is no prediction yet: no model for the type, or a model that has not scored this asset. */
export function NoPrediction({ hasModel }: { hasModel: boolean | undefined }) {
  const t = useT(assetMessages);
  if (hasModel === undefined) return <p role="status">{t("none.loading")}</p>;
  return (
    <div className="empty" data-empty={hasModel ? "not-scored" : "no-model"}>
      <p className="notice-title">{t("none.title")}</p>
      <p>{hasModel ? t("none.notScored") : t("none.noModel")}</p>
    </div>
  );
}
