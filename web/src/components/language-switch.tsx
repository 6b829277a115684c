import { common, LOCALES, type Locale, setLocale, useLocale, useT } from "../lib/i18n";

/** Each language named in itself, so a person finds their own whatever the page shows. */
const NATIVE_NAMES: Record<Locale, string> = { en: "English", de: "Deutsch" };

/** The language picker: the browser's language is the default, a choice here is remembered. */
export function LanguageSwitch() {
  const t = useT(common);
  const locale = useLocale();
  return (
    <div className="language">
      <label htmlFor="language-switch" className="muted">
        {t("shell.language")}
      </label>
      <select id="language-switch" value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {NATIVE_NAMES[l]}
          </option>
        ))}
      </select>
    </div>
  );
}
