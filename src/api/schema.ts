import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema, type PubSub } from "type-graphql";
import { AlertResolver } from "../alerts/graphql.js";
import { AssetResolver } from "../assets/graphql.js";
import { AuthResolver } from "../auth/graphql.js";
import { CheckoutResolver } from "../billing/checkout-graphql.js";
import { BillingFinanceResolver } from "../billing/finance-graphql.js";
import { OperatorFinanceResolver } from "../billing/operator-finance-graphql.js";
import { OperatorUnbillableResolver } from "../billing/operator-unbillable-graphql.js";
import { PlanResolver } from "../billing/plans-graphql.js";
import { QuotaUseResolver } from "../billing/quota-use-graphql.js";
import { MaintenanceResolver } from "../maintenance/graphql.js";
import { MlopsResolver } from "../mlops/graphql.js";
import { ModelResolver } from "../models/graphql.js";
import { OperatorResolver } from "../operators/graphql.js";
import { DeviceTelemetryResolver, IssuedTokenEndpointsResolver } from "../telemetry/device-graphql.js";
import { FleetResolver } from "../telemetry/fleet-graphql.js";
import { TelemetryResolver } from "../telemetry/graphql.js";
import { TenancyResolver } from "../tenancy/graphql.js";
import { DateTimeISO } from "./scalars.js";

/** Every resolver of the API; `npm run schema` prints the result to schema.graphql. */
export const RESOLVERS = [
  AuthResolver,
  TenancyResolver,
  OperatorResolver,
  AssetResolver,
  TelemetryResolver,
  DeviceTelemetryResolver,
  IssuedTokenEndpointsResolver,
  FleetResolver,
  MaintenanceResolver,
  ModelResolver,
  MlopsResolver,
  AlertResolver,
  BillingFinanceResolver,
  OperatorFinanceResolver,
  OperatorUnbillableResolver,
  PlanResolver,
  CheckoutResolver,
  QuotaUseResolver,
] as const;

/**
 * type-graphql wants a topic-based PubSub once there is a subscription; ours each bring their own
 * event source (`subscribe`), so a topic is a programming error.
 */
const noTopics: PubSub = {
  publish(topic) {
    throw new Error(`Subscriptions here bring their own event source; nothing publishes to topic "${topic}"`);
  },
  subscribe(topic) {
    throw new Error(`Subscriptions here bring their own event source; there is no topic "${topic}"`);
  },
};

export function buildApiSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    validate: false,
    emitSchemaFile: false,
    scalarsMap: [{ type: Date, scalar: DateTimeISO }],
    pubSub: noTopics,
  });
}
