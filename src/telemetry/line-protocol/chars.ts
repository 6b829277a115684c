/** Character codes and the character table of the line protocol scanner. */

export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const SPACE = 32;
export const QUOTE = 34;
export const HASH = 35;
export const PLUS = 43;
export const COMMA = 44;
export const MINUS = 45;
export const DOT = 46;
export const DIGIT_0 = 48;
export const DIGIT_9 = 57;
export const EQUALS = 61;
export const UPPER_E = 69;
export const UPPER_F = 70;
export const UPPER_T = 84;
export const BACKSLASH = 92;
export const LOWER_E = 101;
export const LOWER_F = 102;
export const LOWER_I = 105;
export const LOWER_T = 116;
export const LOWER_U = 117;
export const DEL = 127;

/** What a name scan reads: it decides where the name ends and which escapes it takes. */
export const NameKind = {
  /** Ends at "," " " or the line end; escapes "\," and "\ ". */
  measurement: 0,
  /** Tag key or field key: also ends at an unescaped "="; escapes "\,", "\=" and "\ ". */
  key: 1,
  /** Like a key, but an unescaped "=" is refused. */
  tagValue: 2,
} as const;
export type NameKind = (typeof NameKind)[keyof typeof NameKind];

/** How the name scanner treats a character. */
export const CharClass = {
  plain: 0,
  end: 1,
  equals: 2,
  backslash: 3,
  control: 4,
  quote: 5,
  surrogateOrFffd: 6,
} as const;
export type CharClass = (typeof CharClass)[keyof typeof CharClass];

/** The CharClass of each ASCII character. */
export const NAME_CLASS = new Uint8Array(128);
for (let c = 0; c < SPACE; c++) NAME_CLASS[c] = CharClass.control;
NAME_CLASS[DEL] = CharClass.control;
NAME_CLASS[LF] = CharClass.end;
NAME_CLASS[COMMA] = CharClass.end;
NAME_CLASS[SPACE] = CharClass.end;
NAME_CLASS[EQUALS] = CharClass.equals;
NAME_CLASS[BACKSLASH] = CharClass.backslash;
NAME_CLASS[QUOTE] = CharClass.quote;
