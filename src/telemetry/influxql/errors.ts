/**
 * Why a query is refused before anything runs, answered as InfluxDB answers it: text it cannot
 * read is a parse error (HTTP 400, "error parsing query: …"); a statement InfluxDB reads but this
 * API does not serve is refused as InfluxDB refuses a user without the privilege (HTTP 403,
 * "error authorizing query: …"), and nothing of the request runs.
 */
export class InfluxqlRefusal extends Error {
  constructor(
    readonly kind: "parse" | "forbidden",
    message: string,
    /** Where in the text a parse error is (characters from 0), when it is at one place. */
    readonly pos?: number,
  ) {
    super(message);
    this.name = "InfluxqlRefusal";
  }
}

/** What the route serves, named in every refusal. */
export const SUPPORTED =
  "supported: SELECT (without INTO or subqueries), SHOW DATABASES, SHOW MEASUREMENTS, SHOW TAG KEYS, SHOW TAG VALUES, SHOW FIELD KEYS, SHOW RETENTION POLICIES and CREATE DATABASE (accepted, changes nothing)";

export const parseError = (message: string, pos: number): InfluxqlRefusal => new InfluxqlRefusal("parse", message, pos);

/** InfluxDB's place of a parse error: "at line 1, char 8" (both from 1). */
export function placed(error: InfluxqlRefusal, text: string): InfluxqlRefusal {
  if (error.pos === undefined) return error;
  const before = text.slice(0, error.pos);
  const line = before.split("\n").length;
  const char = error.pos - before.lastIndexOf("\n");
  return new InfluxqlRefusal(error.kind, `${error.message} at line ${line}, char ${char}`);
}

export const refused = (message: string): InfluxqlRefusal => new InfluxqlRefusal("forbidden", `${message}; ${SUPPORTED}`);
