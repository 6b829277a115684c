import type { QueryClient } from "@tanstack/react-query";
import { createRouter } from "@tanstack/react-router";
import { alertsRoute } from "./routes/alerts";
import { assetRoute } from "./routes/asset";
import { assetMaintenanceRoute } from "./routes/asset-maintenance";
import { billingRoutes } from "./routes/billing";
import { developersRoutes } from "./routes/developers";
import { devicesRoutes } from "./routes/devices";
import { financeRoute } from "./routes/finance";
import { fleetRoute } from "./routes/fleet";
import { homeRoute } from "./routes/home";
import { invitationRoute } from "./routes/invitation";
import { maintenanceRoute } from "./routes/maintenance";
import { modelsRoutes } from "./routes/models";
import { operatorRoutes } from "./routes/operator";
import { rootRoute } from "./routes/root";
import { shellRoute } from "./routes/shell";
import { signInRoute } from "./routes/sign-in";
import { signUpRoute } from "./routes/sign-up";
import { teamRoutes } from "./routes/team";
import { usageRoutes } from "./routes/usage";

const routeTree = rootRoute.addChildren([
  signInRoute,
  signUpRoute,
  invitationRoute,
  ...operatorRoutes,
  shellRoute.addChildren([
    homeRoute,
    fleetRoute,
    assetRoute,
    assetMaintenanceRoute,
    alertsRoute,
    maintenanceRoute,
    financeRoute,
    ...modelsRoutes,
    ...devicesRoutes,
    ...billingRoutes,
    ...usageRoutes,
    ...teamRoutes,
    ...developersRoutes,
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({ routeTree, context: { queryClient }, defaultPreload: false, scrollRestoration: false });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
  interface HistoryState {
    /** The address to fill in on the sign-in page: in history state, never in the URL (or a server log). */
    email?: string;
  }
}
