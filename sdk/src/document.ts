/**
 * A GraphQL document that carries its result and variables types. The same shape as
 * `DocumentTypeDecoration` of @graphql-typed-document-node/core, so documents of this package work with
 * other typed GraphQL clients too, and theirs with this client (as long as they are strings).
 */
export interface DocumentTypeDecoration<TResult, TVariables> {
  /** Never set at run time: it only carries the types. */
  __apiType?: (variables: TVariables) => TResult;
}

/** A document as this client sends it: its text, typed by what it answers and what it takes. */
export type TypedDocument<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & { toString(): string };

export type ResultOf<D> = D extends DocumentTypeDecoration<infer R, infer _V> ? R : never;
export type VariablesOf<D> = D extends DocumentTypeDecoration<infer _R, infer V> ? V : never;
