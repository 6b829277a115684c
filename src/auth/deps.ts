import type { CallServices } from "../core/calls.js";
import type { PublicServices } from "./public-context.js";

/** What the auth resolvers need of the process's services. */
export type AuthServices = PublicServices & CallServices;
