export { failuresOf, type MaintenanceEvent } from "./events.js";
