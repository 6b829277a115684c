import type { BinaryOp, Cast, Expr } from "./ast.js";
import { parseError, refused } from "./errors.js";
import { Lexer, type Token } from "./lexer.js";

/** Nesting (parentheses, calls, unary minus) deeper than this is refused: the parser recurses once per level. */
export const MAX_DEPTH = 64;

/**
 * Binary operators per statement: a chain of them is a tree as deep as it is long, which the
 * builder and the checks walk recursively.
 */
export const MAX_OPERATORS = 1_000;

const PRECEDENCE: Partial<Record<string, number>> = {
  OR: 1,
  AND: 2,
  "=": 4,
  "!=": 4,
  "<>": 4,
  "=~": 4,
  "!~": 4,
  "<": 4,
  "<=": 4,
  ">": 4,
  ">=": 4,
  "+": 5,
  "-": 5,
  "|": 5,
  "^": 5,
  "*": 6,
  "/": 6,
  "%": 6,
  "&": 6,
};

const CASTS: readonly Cast[] = ["tag", "field", "float", "integer", "string", "boolean"];

const describe = (t: Token): string => (t.kind === "eof" ? "EOF" : t.kind === "string" ? `'${t.text}'` : t.text);

/** The token stream with one token of look-ahead, and InfluxQL's expressions. */
export class Cursor {
  private readonly lexer: Lexer;
  tok: Token;
  private depth = 0;
  private operators = 0;

  constructor(text: string) {
    this.lexer = new Lexer(text);
    this.tok = this.lexer.next();
  }

  advance(): Token {
    const t = this.tok;
    this.tok = this.lexer.next();
    return t;
  }

  fail(expected: string): never {
    throw parseError(`found ${describe(this.tok)}, expected ${expected}`, this.tok.pos);
  }

  /** A new statement starts: its own count of operators. */
  nextStatement(): void {
    this.operators = 0;
  }

  atEnd(): boolean {
    return this.tok.kind === "eof";
  }

  /** Whether the current token is this keyword (bare identifiers only, any case). */
  isKeyword(word: string): boolean {
    return this.tok.kind === "ident" && this.tok.text.toUpperCase() === word;
  }

  acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.advance();
    return true;
  }

  keyword(word: string): void {
    if (!this.acceptKeyword(word)) this.fail(word);
  }

  isOp(op: string): boolean {
    return this.tok.kind === "op" && this.tok.text === op;
  }

  acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.advance();
    return true;
  }

  op(op: string): void {
    if (!this.acceptOp(op)) this.fail(op);
  }

  /** A name: a bare or double-quoted identifier. */
  ident(what = "identifier"): string {
    if (this.tok.kind !== "ident" && this.tok.kind !== "quoted") this.fail(what);
    return this.advance().text;
  }

  string(what = "string"): string {
    if (this.tok.kind !== "string") this.fail(what);
    return this.advance().text;
  }

  /** A regular expression when the current token is the `/` that opens one. */
  regex(): string | undefined {
    if (!this.isOp("/")) return undefined;
    const t = this.lexer.regex(this.tok.pos);
    this.tok = this.lexer.next();
    return t.text;
  }

  integer(what: string): number {
    if (this.tok.kind !== "number" || this.tok.text.includes(".")) this.fail(`an integer (${what})`);
    const value = Number(this.advance().text);
    if (!Number.isSafeInteger(value) || value > 2_147_483_647) throw parseError(`${what} is too large`, this.tok.pos);
    return value;
  }

  private nest<T>(run: () => T): T {
    if (++this.depth > MAX_DEPTH) throw parseError(`expression nested deeper than ${MAX_DEPTH} levels`, this.tok.pos);
    try {
      return run();
    } finally {
      this.depth--;
    }
  }

  /** An expression, operators by InfluxQL's precedence (left-associative). */
  expr(minPrecedence = 1): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.tok;
      const op = t.kind === "op" ? t.text : t.kind === "ident" ? t.text.toUpperCase() : "";
      const precedence = PRECEDENCE[op];
      if (precedence === undefined || precedence < minPrecedence) return left;
      if (++this.operators > MAX_OPERATORS) throw parseError(`a statement holds more than ${MAX_OPERATORS} operators`, t.pos);
      this.advance();
      const right = op === "=~" || op === "!~" ? this.regexOperand() : this.nest(() => this.expr(precedence + 1));
      left = { kind: "binary", op: op as BinaryOp, left, right };
    }
  }

  private regexOperand(): Expr {
    const pattern = this.regex();
    if (pattern === undefined) this.fail("regular expression");
    return { kind: "regex", pattern };
  }

  private unary(): Expr {
    if (this.acceptOp("-")) return this.nest(() => ({ kind: "neg", expr: this.unary() }));
    return this.primary();
  }

  private primary(): Expr {
    const t = this.tok;
    switch (t.kind) {
      case "number":
        this.advance();
        return { kind: "number", text: t.text };
      case "duration":
        this.advance();
        return { kind: "duration", amount: t.text, unit: t.unit ?? "ns" };
      case "string":
        this.advance();
        return { kind: "string", value: t.text };
      case "quoted":
        this.advance();
        return this.ref(t.text);
      case "ident": {
        const upper = t.text.toUpperCase();
        if (upper === "TRUE" || upper === "FALSE") {
          this.advance();
          return { kind: "bool", value: upper === "TRUE" };
        }
        this.advance();
        if (this.isOp("(")) return this.call(t.text.toLowerCase());
        return this.ref(t.text);
      }
      case "op":
        if (t.text === "(") {
          this.advance();
          if (this.isKeyword("SELECT")) throw refused("Subqueries are not served");
          const expr = this.nest(() => this.expr());
          this.op(")");
          return { kind: "paren", expr };
        }
        if (t.text === "*") {
          this.advance();
          return this.wildcard();
        }
        return this.fail("identifier, string, number, duration or (");
      case "eof":
        return this.fail("identifier, string, number, duration or (");
    }
  }

  wildcard(): Expr {
    if (!this.acceptOp("::")) return { kind: "wildcard" };
    const only = this.ident("tag or field").toLowerCase();
    if (only !== "tag" && only !== "field") throw parseError(`invalid wildcard type ${only}, expected tag or field`, this.tok.pos);
    return { kind: "wildcard", only };
  }

  private ref(name: string): Expr {
    if (!this.acceptOp("::")) return { kind: "ref", name };
    const cast = this.ident("type").toLowerCase();
    if (!CASTS.includes(cast as Cast)) throw parseError(`unknown type ${cast}, expected ${CASTS.join(", ")}`, this.tok.pos);
    return { kind: "ref", name, cast: cast as Cast };
  }

  private call(name: string): Expr {
    return this.nest(() => {
      this.op("(");
      const args: Expr[] = [];
      if (!this.acceptOp(")")) {
        do args.push(this.arg());
        while (this.acceptOp(","));
        this.op(")");
      }
      return { kind: "call", name, args };
    });
  }

  /** A call's argument: an expression, or a pattern (`count(/re/)`) or `*`. */
  private arg(): Expr {
    const pattern = this.regex();
    return pattern === undefined ? this.expr() : { kind: "regex", pattern };
  }
}
