// First: type-graphql reads the decorators' design types through it, in any process that loads this file.
import "reflect-metadata";
import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../core/connection.js";

export enum PrincipalKind {
  MEMBER = "member",
  API_KEY = "apiKey",
  OPERATOR = "operator",
}
registerEnumType(PrincipalKind, { name: "PrincipalKind" });

export enum MemberRoleValue {
  OWNER = "owner",
  ADMIN = "admin",
  ENGINEER = "engineer",
  VIEWER = "viewer",
  FINANCE = "finance",
}
registerEnumType(MemberRoleValue, { name: "MemberRole", description: "What a member may do inside its tenant." });

@InputType()
export class ChangePasswordInput {
  @Field()
  currentPassword!: string;

  @Field({ description: "The password rules of sign-up apply." })
  newPassword!: string;
}

@ObjectType({ description: "A new token for this session; every other session of the account has ended." })
export class SessionToken {
  @Field({ description: 'Send as "Authorization: Bearer <token>".' })
  token!: string;

  @Field()
  expiresAt!: Date;
}

@InputType()
export class SignInInput {
  @Field()
  email!: string;

  @Field()
  password!: string;

  @Field(() => ID, { nullable: true, description: "Required when the account belongs to several tenants." })
  tenantId?: string;
}

@ObjectType()
export class AuthPayload {
  @Field({ description: 'Send as "Authorization: Bearer <token>".' })
  token!: string;

  @Field()
  expiresAt!: Date;

  @Field(() => ID)
  tenantId!: string;

  @Field(() => ID)
  userId!: string;
}

@ObjectType({ description: "Who is calling." })
export class Viewer {
  @Field(() => PrincipalKind)
  kind!: PrincipalKind;

  @Field(() => ID, { nullable: true })
  tenantId!: string | null;

  @Field(() => ID, { nullable: true })
  userId!: string | null;

  @Field(() => MemberRoleValue, { nullable: true })
  role!: string | null;

  @Field(() => ID, { nullable: true })
  apiKeyId!: string | null;

  @Field(() => ID, { nullable: true })
  operatorId!: string | null;

  @Field(() => [String])
  scopes!: string[];
}

@ObjectType()
export class ApiKey {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: "The public part of the key, to recognise it." })
  prefix!: string;

  @Field(() => [String])
  scopes!: string[];

  @Field()
  createdBy!: string;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType({ description: "A new API key and its secret, shown only once." })
export class ApiKeyCreated {
  @Field(() => ApiKey)
  apiKey!: ApiKey;

  @Field({ description: 'Send as "Authorization: Bearer <secret>".' })
  secret!: string;
}

@InputType()
export class CreateApiKeyInput {
  @Field()
  name!: string;

  @Field(() => [String], { description: "A subset of the caller's own scopes." })
  scopes!: string[];
}

export const ApiKeyConnection = Connection(ApiKey, "ApiKey");
