import { MAX_SENSORS_PER_TYPE } from "../../assets/index.js";
import { MAX_VALUES } from "../../telemetry/index.js";

/** The arguments the cost model reads, as far as they are known before execution. */
export interface PageArguments {
  readonly first: number | undefined;
  readonly limit: number | undefined;
  readonly windowSeconds: number | undefined;
  /** How many sensors were named; undefined: all of the asset's type. */
  readonly sensors: number | undefined;
  readonly from: string | undefined;
  readonly to: string | undefined;
}

/** Points for a mutation that changes rows and nothing else. */
export const MUTATION_COST = 10;
/** Points for a mutation that starts a Temporal workflow (training, scoring, drift checks). */
export const WORKFLOW_COST = 2000;
/** Points for a mutation that calls Stripe or sets up Temporal schedules. */
export const EXTERNAL_COST = 1000;
/** Points for a mutation that talks to the broker or Temporal once, or computes a prediction. */
export const SERVICE_CALL_COST = 100;
/** Telemetry is costed per started hundred values. */
export const VALUES_PER_POINT = 100;

const WEIGHTS: Readonly<Record<string, number>> = {
  "Mutation.trainModel": WORKFLOW_COST,
  "Mutation.scoreFleet": WORKFLOW_COST,
  "Mutation.checkDrift": WORKFLOW_COST,
  "Mutation.setModelSchedule": EXTERNAL_COST,
  "Mutation.startCheckout": EXTERNAL_COST,
  "Mutation.openCustomerPortal": EXTERNAL_COST,
  "Mutation.cancelTrainingRun": SERVICE_CALL_COST,
  "Mutation.predictRul": SERVICE_CALL_COST,
  "Mutation.createDeviceToken": SERVICE_CALL_COST,
  "Mutation.revokeDeviceToken": SERVICE_CALL_COST,
  "Mutation.sendTestWebhook": SERVICE_CALL_COST,
};

/** The points a field costs itself, before its children: its weight when listed, else by kind. */
export function ownCost(parent: string, field: string, objectOrList: boolean): number {
  const weight = WEIGHTS[`${parent}.${field}`];
  if (weight !== undefined) return weight;
  if (parent === "Mutation" || parent === "Subscription") return MUTATION_COST;
  return objectOrList ? 1 : 0;
}

/** The weight a top-level field adds to the actual cost when it succeeded (mutations only). */
export function workCost(parent: string, field: string): number {
  if (parent !== "Mutation" && parent !== "Subscription") return 0;
  return WEIGHTS[`${parent}.${field}`] ?? MUTATION_COST;
}

type Estimator = (args: PageArguments, childCost: number) => number;

const valuesCost = (values: number): number => 1 + Math.ceil(Math.min(MAX_VALUES, Math.max(0, values)) / VALUES_PER_POINT);

/**
 * Fields whose size the generic rule cannot see: telemetry answers hold rows × sensors values
 * (at most MAX_VALUES, enforced by the resolvers), so they cost one point per started hundred values
 * of that bound; unnamed sensors count as the most a type may have.
 */
const ESTIMATORS: Readonly<Record<string, Estimator>> = {
  "Query.telemetry": (args) => {
    const sensors = args.sensors ?? MAX_SENSORS_PER_TYPE;
    const rows = args.limit ?? MAX_VALUES;
    return valuesCost(rows * sensors);
  },
  "Query.telemetryAggregate": (args) => {
    const sensors = args.sensors ?? MAX_SENSORS_PER_TYPE;
    const from = args.from ? Date.parse(args.from) : Number.NaN;
    const to = args.to ? Date.parse(args.to) : Number.NaN;
    const window = args.windowSeconds;
    const windows =
      Number.isFinite(from) && Number.isFinite(to) && window !== undefined && window > 0
        ? Math.ceil(Math.max(0, to - from) / (window * 1000))
        : MAX_VALUES;
    return valuesCost(windows * sensors);
  },
};

export function estimatorOf(parent: string, field: string): Estimator | undefined {
  return ESTIMATORS[`${parent}.${field}`];
}
