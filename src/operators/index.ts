export { checkReason, logAccess, type Operator } from "./access.js";
export { createOperator } from "./create.js";
export { OperatorResolver, type OperatorServices } from "./graphql.js";
