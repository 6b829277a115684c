export { checkReason, logAccess, type Operator } from "./access.js";
export { createOperator } from "./create.js";
