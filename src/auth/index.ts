export type { PrincipalDeps } from "./principal.js";
export { resolvePrincipal } from "./principal.js";
