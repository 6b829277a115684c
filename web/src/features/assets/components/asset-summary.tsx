import type { PortalAssetHealthQuery, PortalAssetQuery, PortalAssetTypeQuery } from "../../../gql/graphql";

type Asset = PortalAssetQuery["asset"];
type AssetType = PortalAssetTypeQuery["assetType"];
type Health = PortalAssetHealthQuery["assetHealth"];

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

/** The latest predictions, or that there are none yet. */
export function HealthSummary({ health, formatTime }: { health: Health; formatTime: (iso: string) => string }) {
  if (!health.rul && !health.anomaly)
    return <p className="muted">No prediction yet: a trained model scores the asset once it is deployed.</p>;
  return (
    <dl className="facts">
      {health.rul && (
        <div>
          <dt>Remaining useful life</dt>
          <dd>
            {health.rul.rul === null || health.rul.rul === undefined ? "—" : `${Math.round(health.rul.rul)} cycles`}{" "}
            <span className="muted">(data of {formatTime(health.rul.dataTime)})</span>
          </dd>
        </div>
      )}
      {health.anomaly && (
        <div>
          <dt>Anomaly score</dt>
          <dd>
            {health.anomaly.anomalyScore?.toFixed(3) ?? "—"}
            {health.anomaly.anomalyThreshold !== null && health.anomaly.anomalyThreshold !== undefined && (
              <> (threshold {health.anomaly.anomalyThreshold.toFixed(3)})</>
            )}{" "}
            <span className="muted">(data of {formatTime(health.anomaly.dataTime)})</span>
          </dd>
        </div>
      )}
    </dl>
  );
}
