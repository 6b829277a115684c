import { createRoute } from "@tanstack/react-router";
import { useState } from "react";
import { ErrorNotice } from "../components/error-notice";
import { useDeviceAssetOptions } from "../features/devices/api/assets";
import { useDevices } from "../features/devices/api/devices";
import { CreateDeviceForm, type CreatedDevice } from "../features/devices/components/create-device-form";
import { DeviceTable } from "../features/devices/components/device-table";
import { IssuedTokenPanel } from "../features/devices/components/issued-token";
import { deviceMessages } from "../features/devices/messages";
import { useCurrentMember } from "../features/tenants/api/current-member";
import { common, useT } from "../lib/i18n";
import { useSession } from "../lib/session";
import { deviceDetailRoute } from "./devices-detail";
import { shellRoute } from "./shell";

/** The tenant's devices with their last delivery; writers add a device and get its token once. */
function DevicesPage() {
  const session = useSession();
  const tenantId = session?.tenantId ?? "";
  const t = useT(deviceMessages);
  const tc = useT(common);
  const member = useCurrentMember(session?.token ?? "");
  const canWrite = member.data?.viewer.scopes.includes("assets:write") ?? false;
  const devices = useDevices(tenantId);
  const assets = useDeviceAssetOptions(tenantId);
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<CreatedDevice | undefined>();
  const rows = devices.data?.pages.flatMap((p) => p.edges.map((e) => e.node)) ?? [];

  return (
    <section aria-labelledby="devices-title" className="page">
      <title>{tc("app.title", { page: t("page.title") })}</title>
      <div className="page-head">
        <div>
          <h1 id="devices-title">{t("page.title")}</h1>
          <p className="muted">{t("page.intro")}</p>
        </div>
        <div className="form-actions">
          <button type="button" onClick={() => devices.refetch()} disabled={devices.isFetching}>
            {t("action.refresh")}
          </button>
          {canWrite && !adding && (
            <button
              type="button"
              className="primary"
              onClick={() => {
                setCreated(undefined);
                setAdding(true);
              }}
            >
              {t("action.add")}
            </button>
          )}
        </div>
      </div>
      {canWrite && adding && (
        <CreateDeviceForm
          tenantId={tenantId}
          onCancel={() => setAdding(false)}
          onCreated={(answer) => {
            setAdding(false);
            setCreated(answer);
          }}
        />
      )}
      {created && (
        <IssuedTokenPanel
          tenantId={tenantId}
          device={created.device}
          issued={created.issued}
          sampleAssetId={created.device.assetIds[0]}
          onDismiss={() => setCreated(undefined)}
        />
      )}
      {devices.isPending && <p role="status">{t("list.loading")}</p>}
      {devices.isError && (
        <>
          <ErrorNotice error={devices.error} title={t("list.error")} />
          <button type="button" onClick={() => devices.refetch()}>
            {tc("action.retry")}
          </button>
        </>
      )}
      {devices.data && rows.length === 0 && (
        <div className="empty">
          <p>
            <strong>{t("list.empty")}</strong>
          </p>
          <p className="muted">{canWrite ? t("list.emptyWriter") : t("list.emptyReader")}</p>
        </div>
      )}
      {rows.length > 0 && <DeviceTable devices={rows} assets={assets.data?.assets ?? []} />}
      {devices.hasNextPage && (
        <div className="pager">
          <button type="button" onClick={() => devices.fetchNextPage()} disabled={devices.isFetchingNextPage}>
            {devices.isFetchingNextPage ? t("list.loadingMore") : t("list.loadMore")}
          </button>
        </div>
      )}
    </section>
  );
}

export const devicesRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/devices",
  component: DevicesPage,
});

/** Every page of this area, for the route tree. */
export const devicesRoutes = [devicesRoute, deviceDetailRoute] as const;
