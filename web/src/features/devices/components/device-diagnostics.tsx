import "../styles.css";
import { useFormat, useT } from "../../../lib/i18n";
import type { DeviceDetail } from "../api/device";
import { countText } from "../lib/plural";
import { deviceMessages } from "../messages";

/** What the ingest path saw of the device: last write per protocol, counts, and the last refusal in full. */
export function DeviceDiagnostics({ diagnostics: d }: { diagnostics: DeviceDetail["diagnostics"] }) {
  const t = useT(deviceMessages);
  const f = useFormat();
  const when = (at: string | null | undefined) =>
    at ? <time dateTime={at}>{f.dateTime(at)}</time> : <span className="muted">{t("delivery.never")}</span>;
  const refusal = d.lastRefusal;
  const counts = (batches: number, points: number) =>
    `${countText(t, "diag.batches.one", "diag.batches.other", batches)}, ${countText(t, "diag.points.one", "diag.points.other", points)}`;
  return (
    <dl className="facts device-facts" data-section="diagnostics">
      <div>
        <dt>{t("diag.lastHttp")}</dt>
        <dd data-fact="last-http">{when(d.lastHttpAt)}</dd>
      </div>
      <div>
        <dt>{t("diag.lastMqtt")}</dt>
        <dd data-fact="last-mqtt">{when(d.lastMqttAt)}</dd>
      </div>
      <div>
        <dt>{t("diag.accepted")}</dt>
        <dd data-fact="accepted">{counts(d.acceptedBatches, d.acceptedPoints)}</dd>
      </div>
      <div>
        <dt>{t("diag.refused")}</dt>
        <dd data-fact="refused">{counts(d.refusedBatches, d.refusedPoints)}</dd>
      </div>
      <div className="wide">
        <dt>{t("diag.refusal")}</dt>
        <dd data-fact="refusal">
          {refusal ? (
            <>
              <span className="badge refusal-code">{refusal.code}</span>{" "}
              {t("diag.refusalAt", { time: f.dateTime(refusal.at), protocol: t(`protocol.${refusal.protocol}`) })}
              {refusal.line !== null && refusal.line !== undefined && <> · {t("diag.line", { line: refusal.line })}</>}
              <br />
              <span className="refusal">{refusal.message}</span>
            </>
          ) : (
            <span className="muted">{t("diag.noRefusal")}</span>
          )}
        </dd>
      </div>
    </dl>
  );
}

/** Where the device writes (nothing secret): the HTTP write URLs, the broker, its topic and the MQTT precision. */
export function DeviceEndpoints({ endpoints: e }: { endpoints: DeviceDetail["endpoints"] }) {
  const t = useT(deviceMessages);
  const rows: [string, string][] = [
    [t("endpoints.http"), e.httpWriteUrl],
    [t("endpoints.httpV1"), e.httpWriteUrlV1],
    [t("endpoints.mqtt"), e.mqttUrl],
    [t("endpoints.topic"), e.mqttTopic],
    [t("endpoints.precision"), e.mqttPrecision],
  ];
  return (
    <dl className="facts device-facts">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>
            <code>{value}</code>
          </dd>
        </div>
      ))}
    </dl>
  );
}
