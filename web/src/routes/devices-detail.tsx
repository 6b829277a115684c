import { createRoute, Link } from "@tanstack/react-router";
import { ErrorNotice } from "../components/error-notice";
import { useDeviceAssetOptions } from "../features/devices/api/assets";
import { useDevice } from "../features/devices/api/device";
import { DeviceAssets } from "../features/devices/components/device-assets";
import { DeviceDiagnostics, DeviceEndpoints } from "../features/devices/components/device-diagnostics";
import { DeviceTokens } from "../features/devices/components/device-tokens";
import { deviceMessages } from "../features/devices/messages";
import { useCurrentMember } from "../features/tenants/api/current-member";
import { isNotFound } from "../lib/graphql";
import { common, useFormat, useT } from "../lib/i18n";
import { useSession } from "../lib/session";
import { shellRoute } from "./shell";

/** One device: its last delivery, where it writes, its assets and its tokens (issue, revoke). */
function DeviceDetailPage() {
  const session = useSession();
  const tenantId = session?.tenantId ?? "";
  const { deviceId } = deviceDetailRoute.useParams();
  const t = useT(deviceMessages);
  const tc = useT(common);
  const f = useFormat();
  const member = useCurrentMember(session?.token ?? "");
  const canWrite = member.data?.viewer.scopes.includes("assets:write") ?? false;
  const device = useDevice(tenantId, deviceId);
  const assets = useDeviceAssetOptions(tenantId);
  const back = (
    <p className="crumbs">
      <Link to="/devices">{t("page.title")}</Link>
    </p>
  );

  if (device.isError && isNotFound(device.error)) {
    return (
      <section aria-labelledby="device-title" className="page">
        <title>{tc("app.title", { page: t("detail.notFound") })}</title>
        {back}
        <h1 id="device-title">{t("detail.notFound")}</h1>
        <p>
          {t("detail.notFoundText")} <Link to="/devices">{t("detail.back")}</Link>
        </p>
      </section>
    );
  }
  const d = device.data;
  return (
    <section aria-labelledby="device-title" className="page">
      <title>{tc("app.title", { page: d?.name ?? t("page.title") })}</title>
      {back}
      <div className="page-head">
        <h1 id="device-title">{d?.name ?? t("page.title")}</h1>
        <button type="button" onClick={() => device.refetch()} disabled={device.isFetching}>
          {t("action.refresh")}
        </button>
      </div>
      {device.isPending && <p role="status">{t("detail.loading")}</p>}
      {device.isError && (
        <>
          <ErrorNotice error={device.error} title={t("detail.error")} />
          <button type="button" onClick={() => device.refetch()}>
            {tc("action.retry")}
          </button>
        </>
      )}
      {d && (
        <>
          <dl className="facts">
            <div>
              <dt>{t("detail.created")}</dt>
              <dd>{f.dateTime(d.createdAt)}</dd>
            </div>
            <div>
              <dt>{t("detail.id")}</dt>
              <dd>
                <code>{d.id}</code>
              </dd>
            </div>
          </dl>
          <section className="device-section" aria-labelledby="device-delivery">
            <h2 id="device-delivery">{t("diag.title")}</h2>
            <DeviceDiagnostics diagnostics={d.diagnostics} />
          </section>
          <section className="device-section" aria-labelledby="device-tokens">
            <h2 id="device-tokens">{t("tokens.title")}</h2>
            <DeviceTokens tenantId={tenantId} device={d} canWrite={canWrite} />
          </section>
          <section className="device-section" aria-labelledby="device-assets">
            <h2 id="device-assets">{t("devAssets.title")}</h2>
            <DeviceAssets
              tenantId={tenantId}
              deviceId={d.id}
              assetIds={d.assetIds}
              assets={assets.data?.assets ?? []}
              canWrite={canWrite}
            />
          </section>
          <section className="device-section" aria-labelledby="device-endpoints">
            <h2 id="device-endpoints">{t("endpoints.title")}</h2>
            <DeviceEndpoints endpoints={d.endpoints} />
          </section>
        </>
      )}
    </section>
  );
}

export const deviceDetailRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/devices/$deviceId",
  component: DeviceDetailPage,
});
