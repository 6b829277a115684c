export { failuresOf, type MaintenanceEvent } from "./events.js";
export { MaintenanceResolver, type MaintenanceServices } from "./graphql.js";
