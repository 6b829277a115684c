/** A page of a connection, as every list of the API answers it (cursor-based, newest or sorted first). */
export interface Connection<TNode> {
  readonly edges: readonly { readonly cursor: string; readonly node: TNode }[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
}

/** The paging arguments every connection takes. */
export interface PageVariables {
  first?: number | null;
  after?: string | null;
}

/**
 * Every node of a connection, page after page: `fetchPage(after)` answers the page after the cursor
 * (null for the first). Stops at the last page, or after `maxPages` pages.
 */
export async function* paginate<TNode>(
  fetchPage: (after: string | null) => Promise<Connection<TNode>>,
  options: { maxPages?: number } = {},
): AsyncGenerator<TNode, void, undefined> {
  const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY;
  let after: string | null = null;
  for (let pages = 0; pages < maxPages; pages++) {
    const page: Connection<TNode> = await fetchPage(after);
    for (const edge of page.edges) yield edge.node;
    if (!page.pageInfo.hasNextPage || page.pageInfo.endCursor === null) return;
    after = page.pageInfo.endCursor;
  }
}

/** Every node of an async iterable, in an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
