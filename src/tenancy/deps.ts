import type { PublicServices } from "../auth/index.js";
import type { CallServices } from "../core/calls.js";
import type { Clock } from "../core/context.js";

/** The long-lived dependencies of the tenancy verbs. */
export interface TenancyDeps {
  /** Where invitation links point (the portal's invitation page). */
  readonly config: { readonly PORTAL_URL: string };
  readonly clock: Clock;
}

/** What the tenancy resolvers need of the process's services (sign-up and invitations are public verbs). */
export type TenancyServices = TenancyDeps & PublicServices & CallServices;
