/**
 * The typed form of the InfluxQL subset the /query route answers. Nothing here holds statement
 * text: the store rebuilds every statement from these values, quoting names and literals itself.
 */

export type DurationUnit = "ns" | "u" | "µ" | "ms" | "s" | "m" | "h" | "d" | "w";

export type Cast = "tag" | "field" | "float" | "integer" | "string" | "boolean";

export type BinaryOp =
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "&"
  | "|"
  | "^"
  | "AND"
  | "OR"
  | "="
  | "!="
  | "<>"
  | "<"
  | "<="
  | ">"
  | ">="
  | "=~"
  | "!~";

export type Expr =
  /** `digits` or `digits.digits`: only those characters, checked by the lexer. */
  | { readonly kind: "number"; readonly text: string }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "duration"; readonly amount: string; readonly unit: DurationUnit }
  /** The pattern as the regular-expression engine reads it (`\/` already read as `/`). */
  | { readonly kind: "regex"; readonly pattern: string }
  | { readonly kind: "ref"; readonly name: string; readonly cast?: Cast | undefined }
  | { readonly kind: "wildcard"; readonly only?: "tag" | "field" | undefined }
  | { readonly kind: "call"; readonly name: string; readonly args: readonly Expr[] }
  | { readonly kind: "binary"; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "neg"; readonly expr: Expr }
  | { readonly kind: "paren"; readonly expr: Expr };

/** A measurement, or the tenant's measurements that match a pattern; `database` and `rp` as written. */
export type Source =
  | { readonly kind: "measurement"; readonly name: string; readonly database?: string | undefined; readonly rp?: string | undefined }
  | { readonly kind: "regex"; readonly pattern: string; readonly database?: string | undefined; readonly rp?: string | undefined };

export interface SelectField {
  readonly expr: Expr;
  readonly alias?: string | undefined;
}

export type Dimension =
  | { readonly kind: "time"; readonly interval: Expr; readonly offset?: Expr | undefined }
  | { readonly kind: "tag"; readonly name: string }
  | { readonly kind: "regex"; readonly pattern: string }
  | { readonly kind: "all" };

export type Fill = { readonly kind: "null" | "none" | "previous" | "linear" } | { readonly kind: "value"; readonly value: Expr };

export interface Paging {
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
}

export interface SelectStatement extends Paging {
  readonly kind: "select";
  readonly fields: readonly SelectField[];
  readonly from: readonly Source[];
  readonly where?: Expr | undefined;
  readonly groupBy: readonly Dimension[];
  readonly fill?: Fill | undefined;
  readonly order: "ASC" | "DESC";
  readonly slimit?: number | undefined;
  readonly soffset?: number | undefined;
  readonly tz?: string | undefined;
}

/** `WITH MEASUREMENT …` or `WITH KEY …`: a name, names (`IN`), or a pattern. */
export type NameCondition =
  | { readonly op: "=" | "!=" | "<>"; readonly name: string }
  | { readonly op: "=~" | "!~"; readonly pattern: string }
  | { readonly op: "IN"; readonly names: readonly string[] };

export interface ShowMeasurements extends Paging {
  readonly kind: "showMeasurements";
  readonly database?: string | undefined;
  readonly measurement?: NameCondition | undefined;
  readonly where?: Expr | undefined;
}

export interface ShowTagKeys extends Paging {
  readonly kind: "showTagKeys";
  readonly database?: string | undefined;
  readonly from: readonly Source[];
  readonly where?: Expr | undefined;
}

export interface ShowTagValues extends Paging {
  readonly kind: "showTagValues";
  readonly database?: string | undefined;
  readonly from: readonly Source[];
  readonly key: NameCondition;
  readonly where?: Expr | undefined;
}

export interface ShowFieldKeys extends Paging {
  readonly kind: "showFieldKeys";
  readonly database?: string | undefined;
  readonly from: readonly Source[];
}

export interface ShowRetentionPolicies {
  readonly kind: "showRetentionPolicies";
  readonly database?: string | undefined;
}

export interface ShowDatabases {
  readonly kind: "showDatabases";
}

export interface CreateDatabase {
  readonly kind: "createDatabase";
  readonly name: string;
}

export type Statement =
  | SelectStatement
  | ShowMeasurements
  | ShowTagKeys
  | ShowTagValues
  | ShowFieldKeys
  | ShowRetentionPolicies
  | ShowDatabases
  | CreateDatabase;

/** The statements InfluxDB runs for the tenant (SHOW DATABASES and CREATE DATABASE are answered without it). */
export type StoreStatement = Exclude<Statement, ShowDatabases | CreateDatabase>;
