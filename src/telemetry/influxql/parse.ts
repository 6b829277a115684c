import type { Statement } from "./ast.js";
import { Cursor } from "./cursor.js";
import { InfluxqlRefusal, placed } from "./errors.js";
import { statement } from "./statements.js";

/** Bounds of one request's text. */
export const MAX_QUERY_BYTES = 65_536;
export const MAX_STATEMENTS = 20;

/**
 * Reads `q` as InfluxQL statements separated by `;` (empty ones skipped), or refuses the whole
 * text: nothing of a request runs unless all of it is read and served.
 */
export function parseInfluxql(text: string): Statement[] {
  try {
    return statements(text);
  } catch (error) {
    throw error instanceof InfluxqlRefusal ? placed(error, text) : error;
  }
}

function statements(text: string): Statement[] {
  if (Buffer.byteLength(text, "utf8") > MAX_QUERY_BYTES) {
    throw new InfluxqlRefusal("parse", `the query is longer than ${MAX_QUERY_BYTES} bytes`);
  }
  const c = new Cursor(text);
  const out: Statement[] = [];
  for (;;) {
    while (c.acceptOp(";"));
    if (c.atEnd()) break;
    if (out.length === MAX_STATEMENTS) throw new InfluxqlRefusal("parse", `a request holds at most ${MAX_STATEMENTS} statements`);
    c.nextStatement();
    out.push(statement(c));
    if (!c.atEnd() && !c.isOp(";")) c.fail("; or EOF");
  }
  if (out.length === 0) throw new InfluxqlRefusal("parse", "empty query");
  return out;
}
