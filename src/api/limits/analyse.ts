import {
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import { DEFAULT_PAGE_SIZE } from "../../core/pagination.js";
import { estimatorOf, ownCost, type PageArguments } from "./weights.js";

/** What the limits look at, for one operation. Every figure counts fragments once per spread. */
export interface Figures {
  /** The deepest path of fields (introspection fields not counted). */
  readonly depth: number;
  readonly aliases: number;
  readonly directives: number;
  /** The requested cost: an upper bound of the work, computed before anything runs. */
  readonly cost: number;
}

const ZERO: Figures = { depth: 0, aliases: 0, directives: 0, cost: 0 };

/** Numbers grow with spreads of spreads; they stay finite numbers (Infinity at worst) and are only compared. */
const add = (a: Figures, b: Figures): Figures => ({
  depth: Math.max(a.depth, b.depth),
  aliases: a.aliases + b.aliases,
  directives: a.directives + b.directives,
  cost: a.cost + b.cost,
});

const isIntrospection = (name: string): boolean => name.startsWith("__");

/**
 * Depth, aliases, directives and the requested cost of one operation, in one walk that visits
 * each selection of the document once: a fragment's figures are computed on its first spread and
 * reused on every other (they depend only on the fragment and its type condition), so a document
 * whose fragments spread each other twice costs a walk of its text, not of its expansion.
 * Run after validation (fragments known, no cycles, fields exist); a cycle would count as zero.
 */
export function analyseOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): Figures {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  }
  const memo = new Map<string, Figures>();

  const intValue = (node: ValueNode | undefined): number | undefined => {
    if (!node) return undefined;
    if (node.kind === Kind.INT) return Number.parseInt(node.value, 10);
    if (node.kind === Kind.VARIABLE) {
      const value = variables[node.name.value];
      return typeof value === "number" && Number.isFinite(value) ? value : undefined;
    }
    return undefined;
  };
  const listLength = (node: ValueNode | undefined): number | undefined => {
    if (!node) return undefined;
    if (node.kind === Kind.LIST) return node.values.length;
    if (node.kind === Kind.VARIABLE) {
      const value = variables[node.name.value];
      return Array.isArray(value) ? value.length : undefined;
    }
    return undefined;
  };
  const stringValue = (node: ValueNode | undefined): string | undefined => {
    if (!node) return undefined;
    if (node.kind === Kind.STRING) return node.value;
    if (node.kind === Kind.VARIABLE) {
      const value = variables[node.name.value];
      return typeof value === "string" ? value : undefined;
    }
    return undefined;
  };
  const argumentsOf = (nodes: readonly ArgumentNode[] | undefined): PageArguments => {
    const byName = new Map((nodes ?? []).map((a) => [a.name.value, a.value]));
    return {
      first: intValue(byName.get("first")),
      limit: intValue(byName.get("limit")),
      windowSeconds: intValue(byName.get("windowSeconds")),
      sensors: listLength(byName.get("sensors")),
      from: stringValue(byName.get("from")),
      to: stringValue(byName.get("to")),
    };
  };

  const fieldDef = (parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined =>
    isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;

  const field = (node: FieldNode, parent: GraphQLCompositeType): Figures => {
    const name = node.name.value;
    const own: Figures = { depth: 0, aliases: node.alias ? 1 : 0, directives: node.directives?.length ?? 0, cost: 0 };
    const def = fieldDef(parent, name);
    if (!def) return own; // __typename on a union
    const named = getNamedType(def.type);
    const children = node.selectionSet && isCompositeType(named) ? selectionSet(node.selectionSet, named) : ZERO;
    const introspection = isIntrospection(name) || isIntrospection(parent.name);
    const depth = introspection ? 0 : 1 + children.depth;
    const args = argumentsOf(node.arguments);
    let cost: number;
    const estimator = estimatorOf(parent.name, name);
    if (estimator) {
      cost = estimator(args, children.cost);
    } else {
      const list = isListType(getNullableType(def.type));
      const composite = isCompositeType(named);
      const connection = composite && named.name.endsWith("Connection");
      const page = args.first ?? args.limit;
      // Items of a list: the page size asked for, or the default page; a list inside a connection
      // (edges, nodes) was already multiplied by its connection; introspection lists are the schema's.
      const items =
        page !== undefined
          ? Math.max(0, page)
          : connection || (list && composite && !introspection && !parent.name.endsWith("Connection"))
            ? DEFAULT_PAGE_SIZE
            : 1;
      const perItem = composite ? Math.max(page !== undefined || connection || list ? 1 : 0, children.cost) : 0;
      cost = ownCost(parent.name, name, composite || list) + items * perItem;
    }
    return { depth, aliases: own.aliases + children.aliases, directives: own.directives + children.directives, cost };
  };

  const fragment = (name: string): Figures => {
    const known = memo.get(name);
    if (known) return known;
    memo.set(name, ZERO); // a cycle (refused by validation before this runs) would count as nothing
    const def = fragments.get(name);
    const type = def ? schema.getType(def.typeCondition.name.value) : undefined;
    const inner = def && type && isCompositeType(type) ? selectionSet(def.selectionSet, type) : ZERO;
    const figures = { ...inner, directives: inner.directives + (def?.directives?.length ?? 0) };
    memo.set(name, figures);
    return figures;
  };

  const selectionSet = (set: SelectionSetNode, parent: GraphQLCompositeType): Figures => {
    let total = ZERO;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        total = add(total, field(sel, parent));
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const type = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        const inner = type && isCompositeType(type) ? selectionSet(sel.selectionSet, type) : ZERO;
        total = add(total, { ...inner, directives: inner.directives + (sel.directives?.length ?? 0) });
      } else {
        const inner = fragment(sel.name.value);
        total = add(total, { ...inner, directives: inner.directives + (sel.directives?.length ?? 0) });
      }
    }
    return total;
  };

  const root = schema.getRootType(operation.operation);
  if (!root) return ZERO;
  const figures = selectionSet(operation.selectionSet, root);
  return { ...figures, directives: figures.directives + (operation.directives?.length ?? 0) };
}
