import type { Translate } from "../../../lib/i18n";

/**
 * `key.one` or `key.other` by the language's plural rules, with {count} filled in the language's
 * digits. (The shared `t.plural` type narrows every base to never: its check of the `.other` key
 * runs on one key of the union at a time.)
 */
export function plural<K extends string>(t: Translate<K>, base: string, count: number): string {
  const form = new Intl.PluralRules(t.locale).select(count) === "one" ? "one" : "other";
  return t(`${base}.${form}` as K, { count: new Intl.NumberFormat(t.locale).format(count) });
}
