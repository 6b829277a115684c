import "../styles.css";
import { useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { common, useFormat, useT } from "../../../lib/i18n";
import { useCreateDeviceToken } from "../api/create-token";
import type { DeviceDetail } from "../api/device";
import { useRevokeDeviceToken } from "../api/revoke-token";
import type { IssuedSettings } from "../lib/snippets";
import { deviceMessages } from "../messages";
import { IssuedTokenPanel } from "./issued-token";

type Token = DeviceDetail["tokens"][number];
const username = (prefix: string) => `pdmd_${prefix}`;

/** Revoke with a confirmation step in place (what revoking does, then "Revoke now" or "Cancel"). */
function RevokeControl({ tenantId, deviceId, token }: { tenantId: string; deviceId: string; token: Token }) {
  const t = useT(deviceMessages);
  const tc = useT(common);
  const revoke = useRevokeDeviceToken(tenantId, deviceId);
  const [asking, setAsking] = useState(false);
  const prefix = username(token.prefix);
  if (!asking)
    return (
      <button type="button" className="danger" onClick={() => setAsking(true)}>
        {t("tokens.revoke", { prefix })}
      </button>
    );
  return (
    <fieldset className="confirm">
      <legend>{t("tokens.revokeConfirm", { prefix })}</legend>
      {revoke.error && <ErrorNotice error={revoke.error} title={t("tokens.revokeError")} />}
      <button type="button" className="danger primary" disabled={revoke.isPending} onClick={() => revoke.mutate(token.id)}>
        {revoke.isPending ? t("tokens.revoking") : t("tokens.revokeNow")}
      </button>{" "}
      <button type="button" onClick={() => setAsking(false)}>
        {tc("action.cancel")}
      </button>
    </fieldset>
  );
}

/** The device's tokens, newest first; writers issue a new one (rotation) and revoke old ones. */
export function DeviceTokens({
  tenantId,
  device,
  canWrite,
}: {
  tenantId: string;
  device: Pick<DeviceDetail, "id" | "name" | "tokens" | "assetIds">;
  canWrite: boolean;
}) {
  const t = useT(deviceMessages);
  const f = useFormat();
  const issue = useCreateDeviceToken(tenantId, device.id);
  const [issued, setIssued] = useState<(IssuedSettings & { tokenId: string }) | undefined>();
  const tokens = [...device.tokens].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  const oldActive = tokens.filter((tk) => !tk.revokedAt && tk.id !== issued?.tokenId);

  return (
    <>
      {issued && (
        <IssuedTokenPanel
          tenantId={tenantId}
          device={device}
          issued={issued}
          sampleAssetId={device.assetIds[0]}
          onDismiss={() => setIssued(undefined)}
          openLink={false}
        >
          {oldActive.length > 0 && (
            <div className="rotate-old">
              <p>{t("tokens.oldActive")}</p>
              {oldActive.map((tk) => (
                <RevokeControl key={tk.id} tenantId={tenantId} deviceId={device.id} token={tk} />
              ))}
            </div>
          )}
        </IssuedTokenPanel>
      )}
      {canWrite && !issued && (
        <div className="rotate">
          {issue.error && <ErrorNotice error={issue.error} title={t("tokens.issueError")} />}
          <button
            type="button"
            disabled={issue.isPending}
            onClick={() =>
              issue.mutate(undefined, {
                onSuccess: (answer) => {
                  issue.reset();
                  setIssued({ ...answer, tokenId: answer.token.id });
                },
              })
            }
          >
            {issue.isPending ? t("tokens.rotating") : t("tokens.rotate")}
          </button>
          <p className="hint">{t("tokens.rotateHint")}</p>
        </div>
      )}
      {tokens.length === 0 ? (
        <p className="muted">{t("tokens.none")}</p>
      ) : (
        <table className="token-table">
          <caption className="visually-hidden">{t("tokens.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("tokens.prefix")}</th>
              <th scope="col">{t("tokens.created")}</th>
              <th scope="col">{t("tokens.lastUsed")}</th>
              <th scope="col">{t("tokens.state")}</th>
              {canWrite && <td />}
            </tr>
          </thead>
          <tbody>
            {tokens.map((tk) => (
              <tr key={tk.id} data-token-prefix={tk.prefix} data-state={tk.revokedAt ? "revoked" : "active"}>
                <td>
                  <code>{username(tk.prefix)}</code>
                </td>
                <td>{f.dateTime(tk.createdAt)}</td>
                <td>{tk.lastUsedAt ? f.dateTime(tk.lastUsedAt) : <span className="muted">{t("tokens.never")}</span>}</td>
                <td>
                  {tk.revokedAt ? (
                    <span className="badge badge-revoked">{t("tokens.revokedAt", { time: f.dateTime(tk.revokedAt) })}</span>
                  ) : (
                    <span className="badge badge-active">{t("tokens.active")}</span>
                  )}
                </td>
                {canWrite && <td>{!tk.revokedAt && <RevokeControl tenantId={tenantId} deviceId={device.id} token={tk} />}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
