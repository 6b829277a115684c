import type { CallServices } from "../core/calls.js";
import type { Clock } from "../core/context.js";

/** What the models' verbs use besides their transaction: where they read the time. */
export interface ModelsDeps {
  readonly clock: Clock;
}

/** What the models' resolvers need of the process's services. */
export type ModelsServices = ModelsDeps & CallServices;
