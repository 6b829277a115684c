import { validation } from "./errors.js";

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** Keyset pagination over time-sortable ids: the cursor is the last id seen. */
export interface PageRequest {
  readonly first: number;
  readonly afterKey: string | undefined;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly hasNextPage: boolean;
  readonly cursorOf: (item: T) => string;
}

export function encodeCursor(key: string): string {
  return Buffer.from(`k:${key}`, "utf8").toString("base64url");
}

export function pageRequest(first: number | null | undefined, after: string | null | undefined): PageRequest {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw validation(`"first" must be between 1 and ${MAX_PAGE_SIZE}; got ${size}.`, { field: "first", max: MAX_PAGE_SIZE });
  }
  if (after === null || after === undefined) return { first: size, afterKey: undefined };
  const decoded = Buffer.from(after, "base64url").toString("utf8");
  if (!decoded.startsWith("k:") || decoded.length < 3 || !/^[\x21-\x7e]+$/.test(decoded)) {
    throw validation(`"after" is not a cursor returned by this API.`, { field: "after" });
  }
  return { first: size, afterKey: decoded.slice(2) };
}

/** Turns `first + 1` fetched rows into a page. */
export function toPage<T>(rows: readonly T[], request: PageRequest, keyOf: (item: T) => string): Page<T> {
  return {
    items: rows.slice(0, request.first),
    hasNextPage: rows.length > request.first,
    cursorOf: (item) => encodeCursor(keyOf(item)),
  };
}
