import type { Logger } from "pino";
import type { CallServices, WriteGate } from "../core/calls.js";
import type { Db } from "../db/client.js";
import type { ModelsDeps } from "../models/index.js";
import type { TelemetryStore } from "../telemetry/index.js";
import type { WorkflowStarter } from "../temporal/starter.js";
import type { ModelCache } from "./model-cache.js";

/** The long-lived dependencies of the mlops verbs. */
export interface MlopsDeps extends ModelsDeps {
  readonly store: TelemetryStore;
  /** Decoded models, per process. */
  readonly models: ModelCache;
  /** Starts the training, scoring and drift workflows, asks them, and holds their schedules. */
  readonly workflows: WorkflowStarter;
  /**
   * The billing status check: a stored, billed prediction and every training or scoring run
   * (scheduled ones too) is a write, refused while the tenant's billing is read-only.
   */
  readonly writeGate: WriteGate;
}

/** What the workflows' activities use: all but Temporal itself (a workflow starts its own children). */
export type MlopsWorkDeps = Omit<MlopsDeps, "workflows">;

/** The activities' dependencies: their own database handle (each step opens its transactions) and log. */
export interface MlopsWorkerDeps extends MlopsWorkDeps {
  readonly db: Db;
  readonly log: Logger;
}

/** What the mlops resolvers need of the process's services. */
export type MlopsServices = MlopsDeps & CallServices;
