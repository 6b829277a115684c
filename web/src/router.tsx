import type { QueryClient } from "@tanstack/react-query";
import { createRouter } from "@tanstack/react-router";
import { alertsRoute } from "./routes/alerts";
import { assetRoute } from "./routes/asset";
import { assetMaintenanceRoute } from "./routes/asset-maintenance";
import { financeRoute } from "./routes/finance";
import { fleetRoute } from "./routes/fleet";
import { homeRoute } from "./routes/home";
import { invitationRoute } from "./routes/invitation";
import { maintenanceRoute } from "./routes/maintenance";
import { rootRoute } from "./routes/root";
import { shellRoute } from "./routes/shell";
import { signInRoute } from "./routes/sign-in";
import { signUpRoute } from "./routes/sign-up";

const routeTree = rootRoute.addChildren([
  signInRoute,
  signUpRoute,
  invitationRoute,
  shellRoute.addChildren([homeRoute, fleetRoute, assetRoute, assetMaintenanceRoute, alertsRoute, maintenanceRoute, financeRoute]),
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
