// First: type-graphql reads the decorators' design types through it, in any process that loads this file.
import "reflect-metadata";
import { Arg, Args, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, registerEnumType } from "type-graphql";
import { type PublicServices, publicContext } from "../auth/index.js";
import { type CallServices, operatorCall, type RequestContext } from "../core/calls.js";
import { Connection, type ConnectionShape, PageArgs, toConnection } from "../core/connection.js";
import { pageRequest } from "../core/pagination.js";
import { Member, Tenant } from "../tenancy/graphql-types.js";
import { getOperator, getTenantAsOperator, listTenantsAsOperator, operatorSignIn } from "./access.js";

/** What the operator resolvers need of the process's services (operators sign in anonymously). */
export type OperatorServices = PublicServices & CallServices;

export enum OperatorRoleValue {
  SUPPORT = "support",
  FINANCE = "finance",
}
registerEnumType(OperatorRoleValue, { name: "OperatorRole" });

@ObjectType({ description: "A member of the machine maker's staff." })
export class Operator {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field()
  name!: string;

  @Field(() => OperatorRoleValue)
  role!: string;
}

@ObjectType()
export class OperatorAuthPayload {
  @Field()
  token!: string;

  @Field()
  expiresAt!: Date;

  @Field(() => Operator)
  operator!: Operator;
}

@InputType()
export class OperatorSignInInput {
  @Field()
  email!: string;

  @Field()
  password!: string;
}

@ObjectType()
export class TenantSummary extends Tenant {
  @Field(() => Int)
  memberCount!: number;
}

@ObjectType()
export class OperatorTenantDetail {
  @Field(() => TenantSummary)
  tenant!: TenantSummary;

  @Field(() => [Member])
  members!: Member[];
}

const TenantSummaryConnection = Connection(TenantSummary, "TenantSummary");

/** Cross-tenant reads for the machine maker's staff; each one is audited with its reason. */
@Resolver()
export class OperatorResolver {
  @Mutation(() => OperatorAuthPayload)
  operatorSignIn(@Ctx() rc: RequestContext<OperatorServices>, @Arg("input") input: OperatorSignInInput): Promise<OperatorAuthPayload> {
    return operatorSignIn(publicContext(rc), { email: input.email, password: input.password });
  }

  @Query(() => Operator)
  operator(@Ctx() rc: RequestContext<OperatorServices>): Promise<Operator> {
    return operatorCall(rc, (ctx) => getOperator(ctx));
  }

  @Query(() => TenantSummaryConnection, { description: "Every tenant. The reason is recorded." })
  operatorTenants(
    @Ctx() rc: RequestContext<OperatorServices>,
    @Arg("reason") reason: string,
    @Args() page: PageArgs,
  ): Promise<ConnectionShape<TenantSummary>> {
    const request = pageRequest(page.first, page.after);
    return operatorCall(rc, async (ctx) => toConnection(await listTenantsAsOperator(ctx, { reason, page: request })));
  }

  @Query(() => OperatorTenantDetail, { description: "One tenant and its members. Recorded in that tenant's audit log." })
  operatorTenant(
    @Ctx() rc: RequestContext<OperatorServices>,
    @Arg("tenantId", () => ID) tenantId: string,
    @Arg("reason") reason: string,
  ): Promise<OperatorTenantDetail> {
    return operatorCall(rc, (ctx) => getTenantAsOperator(ctx, { tenantId, reason }));
  }
}
