export { checkReason, logAccess, type Operator, requireSupport } from "./access.js";
export { createOperator } from "./create.js";
