export { checkCountLimit } from "./quotas.js";
