import { ArgsType, type ClassType, Field, Int, ObjectType } from "type-graphql";
import type { Page } from "./pagination.js";

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
}

/** A Relay-style connection type for one node type. */
export function Connection<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field()
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType implements ConnectionShape<T> {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }
  return ConnectionType;
}

export function toConnection<T, N extends object>(
  page: Page<T>,
  toNode: (item: T) => N = (item) => item as unknown as N,
): ConnectionShape<N> {
  const edges = page.items.map((item) => ({ cursor: page.cursorOf(item), node: toNode(item) }));
  const last = page.items.at(-1);
  return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: last === undefined ? null : page.cursorOf(last) } };
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: "How many items, 1 to 100 (default 20)." })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "The endCursor of the previous page." })
  after?: string | null;
}
