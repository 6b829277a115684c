export { deliverAlert } from "./deliver-alert.js";
export { driftWatch } from "./drift-watch.js";
export { scoreFleet } from "./score-fleet.js";
export { trainModel } from "./train.js";
export { syncUsage } from "./usage-sync.js";
