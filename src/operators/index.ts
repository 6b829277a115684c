export { checkReason, logAccess, type Operator } from "./access.js";
