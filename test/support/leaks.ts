/**
 * What an error answer must never hold: a stack trace, a source path, SQL or a database's own
 * wording, an internal address with its port, or a network error's code. Every GraphQL answer the
 * suite receives through the harness is scanned, so each test doubles as a probe for leaks.
 */
const LEAKS: readonly [string, RegExp][] = [
  ["a stack trace", /\n\s+at\s|\bat\s+\S+\s+\(\S+:\d+:\d+\)/],
  ["a source path", /(\/work\/|\/root\/|\/home\/|node_modules|\bdist\/(src|test)\/|\.[cm]?[jt]s:\d+)/],
  ["SQL", /\b(select\s+\S.*\s+from|insert\s+into|update\s+\S+\s+set|delete\s+from)\b/i],
  [
    "a database's wording",
    /(relation "|violates .* constraint|duplicate key value|syntax error at or near|invalid input syntax|current transaction is aborted)/i,
  ],
  ["an internal address", /\b(127\.\d+\.\d+\.\d+|localhost|\[::1\]):\d{2,5}\b/i],
  ["a network error code", /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EPIPE|getaddrinfo)\b/],
  [
    "a JavaScript engine error",
    /(Maximum call stack size exceeded|Cannot read properties of|is not a function|is not defined|Unexpected token)/,
  ],
];

/** The first leak in `text`, named, or undefined. */
export function findLeak(text: string): string | undefined {
  for (const [what, pattern] of LEAKS) {
    const match = pattern.exec(text);
    if (match) return `${what} (${JSON.stringify(match[0])})`;
  }
  return undefined;
}

/** Throws when an error answer leaks; call it on every error body a test receives. */
export function assertNoLeak(errors: unknown, where: string): void {
  if (errors === undefined || errors === null) return;
  const text = typeof errors === "string" ? errors : JSON.stringify(errors);
  const leak = findLeak(text);
  if (leak) throw new Error(`An error answer of ${where} leaks ${leak}: ${text.slice(0, 500)}`);
}
