export { failuresOf } from "./events.js";
