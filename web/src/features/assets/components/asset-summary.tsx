import type { PortalAssetQuery, PortalAssetTypeQuery } from "../../../gql/graphql";

type Asset = PortalAssetQuery["asset"];
type AssetType = PortalAssetTypeQuery["assetType"];

/** What the asset is: its ids, its type and how many sensors the type has. */
export function AssetSummary({ asset, type, created }: { asset: Asset; type: AssetType | undefined; created: string }) {
  return (
    <dl className="facts">
      <div>
        <dt>External id</dt>
        <dd>
          <code>{asset.externalId}</code>
        </dd>
      </div>
      <div>
        <dt>Type</dt>
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
        <dt>Sensors</dt>
        <dd>{type ? type.sensors.length : "…"}</dd>
      </div>
      <div>
        <dt>Created</dt>
        <dd>{created}</dd>
      </div>
    </dl>
  );
}

/** Why there is no prediction yet: no model for the type, or a model that has not scored this asset. */
export function NoPrediction({ hasModel }: { hasModel: boolean | undefined }) {
  if (hasModel === undefined) return <p role="status">Loading the models…</p>;
  return (
    <div className="empty" data-empty={hasModel ? "not-scored" : "no-model"}>
      <p className="notice-title">No prediction yet</p>
      <p>
        {hasModel
          ? "This asset type has a model, but it has not scored this asset yet: predictions appear after the next scoring run."
          : "This asset type has no trained model yet: once one is trained and deployed, its remaining-life and anomaly predictions appear here."}
      </p>
    </div>
  );
}
