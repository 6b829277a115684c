import type { Workflow } from "@temporalio/workflow";
import type { DELIVER_ALERT } from "../src/alerts/index.js";
import type { SYNC_USAGE } from "../src/billing/index.js";
import type { DRIFT_WATCH, SCORE_FLEET, TRAIN_MODEL } from "../src/mlops/index.js";
import type * as Registered from "./index.js";

/**
 * The proof that the worker runs every workflow type the capabilities start (their
 * workflow-contracts.ts): index.ts exports, under each type's name, a workflow of the type's
 * function type, and every workflow it exports has a type. A mismatch fails the build, naming the
 * workflow. Types only: not part of the bundle (index.ts does not import this file).
 */
type Declared = typeof TRAIN_MODEL | typeof SCORE_FLEET | typeof DRIFT_WATCH | typeof DELIVER_ALERT | typeof SYNC_USAGE;

type Exports = typeof Registered;
/** The names the worker registers: each workflow function index.ts exports, under its export name. */
type RegisteredName = { [K in keyof Exports]: Exports[K] extends Workflow ? K : never }[keyof Exports];

/** The declared types that the worker does not register, by name, as a workflow of that type. */
type Unregistered = {
  [T in Declared as T["name"]]: T["name"] extends RegisteredName
    ? Exports[T["name"]] extends NonNullable<T["workflow"]>
      ? never
      : T["name"]
    : T["name"];
}[Declared["name"]];
/** The registered workflows no capability declares. */
type Undeclared = Exclude<RegisteredName, Declared["name"]>;

const _everyTypeRegistered: [Unregistered] extends [never] ? true : Unregistered = true;
const _everyWorkflowDeclared: [Undeclared] extends [never] ? true : Undeclared = true;
