import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../core/connection.js";
import { MemberRoleValue } from "../tenancy/graphql-types.js";

export enum PrincipalKind {
  MEMBER = "member",
  API_KEY = "apiKey",
  OPERATOR = "operator",
}
registerEnumType(PrincipalKind, { name: "PrincipalKind" });

@InputType()
export class SignUpInput {
  @Field({ description: "The company's name." })
  tenantName!: string;

  @Field()
  email!: string;

  @Field({ description: "The person's name." })
  name!: string;

  @Field({
    description: "12 to 256 characters, not only spaces, no control characters, not the email address, not a common password.",
  })
  password!: string;
}

@ObjectType({ description: "The same answer whether the address had an account or not: sign in next." })
export class SignUpAccepted {
  @Field()
  email!: string;

  @Field()
  message!: string;
}

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

@InputType()
export class AcceptInvitationInput {
  @Field()
  token!: string;

  @Field({ description: "The existing account's password, or the new account's (at least 12 characters)." })
  password!: string;

  @Field({ nullable: true, description: "Required when the invited address has no account yet." })
  name?: string;
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
