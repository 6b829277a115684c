import { operatorInboxRoute } from "./operator-inbox";
import { operatorInvoiceRoute } from "./operator-invoice";
import { operatorReconciliationRoute } from "./operator-reconciliation";
import { operatorIndexRoute, operatorShellRoute } from "./operator-shell";
import { operatorSignInRoute } from "./operator-sign-in";
import { operatorTenantRoute } from "./operator-tenant";
import { operatorTenantsRoute } from "./operator-tenants";
import { operatorUnbillableRoute } from "./operator-unbillable";
import { operatorUsageRoute } from "./operator-usage";

/** The machine maker's own staff: a separate area with its own sign-in, session and shell. */
export const operatorRoute = operatorShellRoute;

/** Every page of the operator console, for the route tree. */
export const operatorRoutes = [
  operatorSignInRoute,
  operatorShellRoute.addChildren([
    operatorIndexRoute,
    operatorInboxRoute,
    operatorTenantsRoute,
    operatorTenantRoute,
    operatorInvoiceRoute,
    operatorUsageRoute,
    operatorReconciliationRoute,
    operatorUnbillableRoute,
  ]),
] as const;
