import type { MessageParams, Translate } from "../../../lib/i18n";

type Base<K extends string> = K extends `${infer B}.one` ? B : never;

/** `key.one` or `key.other` by the language's plural rules, with {count} filled (formatted unless given). */
export function plural<K extends string>(t: Translate<K>, base: Base<K>, count: number, params?: MessageParams): string {
  const form = new Intl.PluralRules(t.locale).select(count) === "one" ? "one" : "other";
  return t(`${base}.${form}` as K, { count: new Intl.NumberFormat(t.locale).format(count), ...params });
}
