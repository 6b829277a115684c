// First: type-graphql reads the decorators' design types through it, in any process that loads this file.
import "reflect-metadata";
import { GraphQLJSONObject } from "graphql-scalars";
import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { MemberRoleValue } from "../auth/graphql-types.js";
import { Connection } from "../core/connection.js";

@ObjectType({ description: "A customer company of the machine maker." })
export class Tenant {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  status!: string;

  @Field()
  createdAt!: Date;
}

@ObjectType()
export class Member {
  @Field(() => ID)
  userId!: string;

  @Field()
  email!: string;

  @Field()
  name!: string;

  @Field(() => MemberRoleValue)
  role!: string;

  @Field()
  joinedAt!: Date;
}

@ObjectType()
export class Invitation {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field(() => MemberRoleValue)
  role!: string;

  @Field()
  expiresAt!: Date;

  @Field(() => Date, { nullable: true })
  acceptedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  @Field()
  createdAt!: Date;
}

@ObjectType({ description: "An invitation and its secret token, shown only once." })
export class InvitationCreated {
  @Field(() => Invitation)
  invitation!: Invitation;

  @Field()
  token!: string;

  @Field({ description: "The link to send the invited person: the portal's invitation page (PORTAL_URL), the token in its fragment." })
  url!: string;
}

export enum InvitationStateValue {
  OPEN = "open",
  EXPIRED = "expired",
  REVOKED = "revoked",
  ACCEPTED = "accepted",
}
registerEnumType(InvitationStateValue, { name: "InvitationState", description: "Only an open invitation can be accepted." });

@ObjectType({ description: "What an invitation link's holder is shown before accepting it." })
export class InvitationPreview {
  @Field({ description: "The company the invitation is to." })
  tenantName!: string;

  @Field({ description: "The invited address: the account created or signed in with." })
  email!: string;

  @Field(() => MemberRoleValue)
  role!: string;

  @Field()
  expiresAt!: Date;

  @Field(() => InvitationStateValue)
  state!: string;

  @Field({ description: "Whether the invited address has an account already: accepting then asks for its password." })
  hasAccount!: boolean;
}

@ObjectType({ description: "One write in a tenant, recorded in the same transaction as the write." })
export class AuditEntry {
  @Field(() => ID)
  id!: string;

  @Field()
  actorKind!: string;

  @Field()
  actorId!: string;

  @Field(() => String, {
    nullable: true,
    description: "The person's or API key's name; null for operators, workflows, payment events and people who left the tenant.",
  })
  actorName!: string | null;

  @Field()
  action!: string;

  @Field()
  targetType!: string;

  @Field()
  targetId!: string;

  @Field(() => GraphQLJSONObject)
  data!: Record<string, unknown>;

  @Field()
  requestId!: string;

  @Field()
  createdAt!: Date;
}

export const MemberConnection = Connection(Member, "Member");
export const InvitationConnection = Connection(Invitation, "Invitation");
export const AuditEntryConnection = Connection(AuditEntry, "AuditEntry");

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
export class AcceptInvitationInput {
  @Field()
  token!: string;

  @Field({ description: "The existing account's password, or the new account's (at least 12 characters)." })
  password!: string;

  @Field({ nullable: true, description: "Required when the invited address has no account yet." })
  name?: string;
}
