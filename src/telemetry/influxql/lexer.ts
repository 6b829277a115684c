import type { DurationUnit } from "./ast.js";
import { parseError } from "./errors.js";

export type TokenKind = "ident" | "quoted" | "string" | "number" | "duration" | "op" | "eof";

export interface Token {
  readonly kind: TokenKind;
  /** Identifier or string as read (escapes resolved), digits of a number or duration, or the operator. */
  readonly text: string;
  readonly unit?: DurationUnit | undefined;
  readonly pos: number;
}

/** Longest first. */
const OPERATORS = [
  "=~",
  "!~",
  "!=",
  "<>",
  "<=",
  ">=",
  "::",
  "=",
  "<",
  ">",
  "+",
  "-",
  "*",
  "/",
  "%",
  "&",
  "|",
  "^",
  "(",
  ")",
  ",",
  ";",
  ".",
];
const UNITS: readonly DurationUnit[] = ["ns", "ms", "u", "µ", "s", "m", "h", "d", "w"];

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isIdentStart = (c: string | undefined) => c !== undefined && (/[A-Za-z_]/.test(c) || c.charCodeAt(0) > 127);
const isIdentChar = (c: string | undefined) => isIdentStart(c) || isDigit(c);

/**
 * InfluxQL's tokens, read one at a time in a single forward pass: every loop moves on by at least
 * one character, and no regular expression runs over more than one character, so hostile text
 * costs time linear in its length.
 */
export class Lexer {
  private pos = 0;

  constructor(private readonly text: string) {}

  /** Skips blanks and comments (`-- …` to the end of the line, `/* … *\/`). */
  private skip(): void {
    const t = this.text;
    for (;;) {
      const c = t[this.pos];
      if (c === " " || c === "\t" || c === "\n" || c === "\r") this.pos++;
      else if (c === "-" && t[this.pos + 1] === "-") {
        const end = t.indexOf("\n", this.pos);
        this.pos = end < 0 ? t.length : end + 1;
      } else if (c === "/" && t[this.pos + 1] === "*") {
        const end = t.indexOf("*/", this.pos + 2);
        if (end < 0) throw parseError("unterminated comment", this.pos);
        this.pos = end + 2;
      } else return;
    }
  }

  next(): Token {
    this.skip();
    const t = this.text;
    const start = this.pos;
    const c = t[start];
    if (c === undefined) return { kind: "eof", text: "", pos: start };
    if (c === '"') return { kind: "quoted", text: this.quoted('"'), pos: start };
    if (c === "'") return { kind: "string", text: this.quoted("'"), pos: start };
    if (isDigit(c) || (c === "." && isDigit(t[start + 1]))) return this.number();
    if (isIdentStart(c)) {
      let end = start + 1;
      while (isIdentChar(t[end])) end++;
      this.pos = end;
      return { kind: "ident", text: t.slice(start, end), pos: start };
    }
    for (const op of OPERATORS) {
      if (t.startsWith(op, start)) {
        this.pos = start + op.length;
        return { kind: "op", text: op, pos: start };
      }
    }
    throw parseError(`unexpected character ${JSON.stringify(c)}`, start);
  }

  private quoted(quote: string): string {
    const t = this.text;
    const start = this.pos;
    let out = "";
    let i = start + 1;
    for (;;) {
      const c = t[i];
      if (c === undefined || c === "\n") throw parseError(quote === "'" ? "unterminated string" : "unterminated quoted identifier", start);
      if (c === quote) break;
      if (c === "\\") {
        const e = t[i + 1];
        if (e === "n") out += "\n";
        else if (e === "\\" || e === "'" || e === '"') out += e;
        else throw parseError(`bad escape \\${e ?? ""}`, i);
        i += 2;
        continue;
      }
      out += c;
      i++;
    }
    this.pos = i + 1;
    return out;
  }

  private number(): Token {
    const t = this.text;
    const start = this.pos;
    let end = start;
    while (isDigit(t[end])) end++;
    const integer = end > start;
    if (t[end] === "." && isDigit(t[end + 1])) {
      end++;
      while (isDigit(t[end])) end++;
      this.pos = end;
      return { kind: "number", text: integer ? t.slice(start, end) : `0${t.slice(start, end)}`, pos: start };
    }
    const unit = UNITS.find((u) => t.startsWith(u, end) && !isIdentChar(t[end + u.length]));
    if (unit) {
      this.pos = end + unit.length;
      return { kind: "duration", text: t.slice(start, end), unit, pos: start };
    }
    if (isIdentChar(t[end])) throw parseError(`bad number or duration ${JSON.stringify(t.slice(start, end + 1))}`, start);
    this.pos = end;
    return { kind: "number", text: t.slice(start, end), pos: start };
  }

  /**
   * A regular expression starting at `pos` (a `/` the caller read as an operator): up to the next
   * unescaped `/`, `\/` read as `/` and every other escape kept for the expression engine.
   */
  regex(pos: number): Token {
    const t = this.text;
    let out = "";
    let i = pos + 1;
    for (;;) {
      const c = t[i];
      if (c === undefined || c === "\n") throw parseError("unterminated regular expression", pos);
      if (c === "/") break;
      if (c === "\\") {
        const e = t[i + 1];
        if (e === undefined || e === "\n") throw parseError("unterminated regular expression", pos);
        out += e === "/" ? "/" : `\\${e}`;
        i += 2;
        continue;
      }
      out += c;
      i++;
    }
    this.pos = i + 1;
    return { kind: "string", text: out, pos };
  }
}
