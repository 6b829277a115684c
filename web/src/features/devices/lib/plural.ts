import type { Translate } from "../../../lib/i18n";

/**
 * `key.one` or `key.other` by the language's plural rules, with {count} filled. (The shared
 * `t.plural` cannot be called yet: its key type resolves to `never` for every catalogue.)
 */
export function countText<K extends string>(t: Translate<K>, one: K, other: K, count: number): string {
  const form = new Intl.PluralRules(t.locale).select(count) === "one" ? one : other;
  return t(form, { count: new Intl.NumberFormat(t.locale).format(count) });
}
