export { common } from "./common";
export { type Formatters, formatters, localeTag, minorToDecimal, useFormat } from "./format";
export { getLocale, LOCALES, type Locale, setLocale, useLocale } from "./locale";
export { allCatalogues, type Catalogue, defineMessages, type MessageParams, type Translate, translator, useT } from "./messages";
