import { type Locale, useLocale } from "./locale";

/** Values put into a message: `{name}` in the text is replaced by `params.name`. */
export type MessageParams = Readonly<Record<string, string | number>>;

/**
 * One catalogue: the English messages and their German translation. The German side must have
 * exactly the English keys (the compiler says which is missing), so no key is ever untranslated.
 */
export interface Catalogue<K extends string> {
  readonly en: Readonly<Record<K, string>>;
  readonly de: Readonly<Record<K, string>>;
}

/** Every catalogue defined, for the checks that walk them (see `allCatalogues`). */
const registry: Catalogue<string>[] = [];

export function defineMessages<K extends string>(catalogue: { en: Record<K, string>; de: Record<NoInfer<K>, string> }): Catalogue<K> {
  registry.push(catalogue);
  return catalogue;
}

export function allCatalogues(): readonly Catalogue<string>[] {
  return registry;
}

function fill(text: string, params: MessageParams | undefined): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** `t("key", { n: 3 })`; `t.plural("key", count)` picks `key.one` or `key.other` by the language's rules ({count} is filled). */
export interface Translate<K extends string> {
  (key: K, params?: MessageParams): string;
  plural(base: PluralBase<K>, count: number, params?: MessageParams): string;
  readonly locale: Locale;
}

/** The bases `b` with both `b.one` and `b.other` among the keys (each key checked against the whole union). */
type PluralBase<K extends string> = PluralBaseOf<K, K>;
type PluralBaseOf<Each extends string, All extends string> = Each extends `${infer B}.one` ? (`${B}.other` extends All ? B : never) : never;

export function translator<K extends string>(catalogue: Catalogue<K>, locale: Locale): Translate<K> {
  const messages = catalogue[locale];
  const t = ((key: K, params?: MessageParams) => fill(messages[key], params)) as Translate<K>;
  const rules = new Intl.PluralRules(locale);
  t.plural = (base, count, params) => {
    const form = rules.select(count) === "one" ? "one" : "other";
    return fill(messages[`${base}.${form}` as K], { count: new Intl.NumberFormat(locale).format(count), ...params });
  };
  return Object.assign(t, { locale });
}

/** One translate function per catalogue and language, so that a memoised component's props stay equal. */
const made = new WeakMap<Catalogue<string>, Map<Locale, Translate<string>>>();

/** The translate function of a catalogue in the current language (renders again on a switch). */
export function useT<K extends string>(catalogue: Catalogue<K>): Translate<K> {
  const locale = useLocale();
  let byLocale = made.get(catalogue);
  if (!byLocale) {
    byLocale = new Map();
    made.set(catalogue, byLocale);
  }
  let t = byLocale.get(locale);
  if (!t) {
    t = translator(catalogue, locale) as unknown as Translate<string>;
    byLocale.set(locale, t);
  }
  return t as unknown as Translate<K>;
}
