import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { AssetResolver } from "../assets/graphql.js";
import { AuthResolver } from "../auth/graphql.js";
import { MaintenanceResolver } from "../maintenance/graphql.js";
import { MlopsResolver } from "../mlops/graphql.js";
import { ModelResolver } from "../models/graphql.js";
import { OperatorResolver } from "../operators/graphql.js";
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
  MaintenanceResolver,
  ModelResolver,
  MlopsResolver,
] as const;

export function buildApiSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers: RESOLVERS, validate: false, emitSchemaFile: false, scalarsMap: [{ type: Date, scalar: DateTimeISO }] });
}
