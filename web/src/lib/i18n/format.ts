import { type Locale, useLocale } from "./locale";

/** Digits after the decimal point of a currency (EUR 2, JPY 0, …), as the browser's Intl knows it. */
function fractionDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * The decimal text of an amount in minor units (cents), computed on integers: 52568 EUR → "525.68".
 * Never through a floating-point division, so no amount is ever off by a cent.
 */
export function minorToDecimal(minor: number | bigint | string, currency: string): string {
  const value = BigInt(minor);
  const digits = fractionDigits(currency);
  const negative = value < 0n;
  const abs = (negative ? -value : value).toString().padStart(digits + 1, "0");
  const whole = abs.slice(0, abs.length - digits);
  const fraction = abs.slice(abs.length - digits);
  return `${negative ? "-" : ""}${whole}${digits > 0 ? `.${fraction}` : ""}`;
}

export interface Formatters {
  readonly locale: Locale;
  /** 12345 → "12,345" / "12.345". */
  number(value: number | bigint): string;
  /** A figure to exactly `digits` decimals: (3.1, 2) → "3.10" / "3,10". */
  fixed(value: number, digits: number): string;
  /** 0.8 → "80%" / "80 %". */
  percent(ratio: number): string;
  /** An amount in minor units in its currency: (52568, "EUR") → "€525.68" / "525,68 €"; exact (decimal string to Intl). */
  money(minor: number | bigint | string, currency: string): string;
  /** A day: "Dec 6, 2026" / "6. Dez. 2026". */
  date(value: string | Date, timeZone?: string): string;
  /** A moment to the minute: "Dec 6, 2026, 2:05 PM" / "06.12.2026, 14:05". */
  dateTime(value: string | Date, timeZone?: string): string;
  /** A moment to the second: "Dec 6, 2026, 2:05:09 PM" / "06.12.2026, 14:05:09". */
  dateTimeSeconds(value: string | Date, timeZone?: string): string;
  /** How long ago (or ahead), in the largest unit that fits: "5 minutes ago" / "vor 5 Minuten". */
  relative(value: string | Date, now: number): string;
}

/** The BCP 47 tag each language formats with (US English: the portal's English has always read "Dec 6, 2026"). */
export const localeTag = (locale: Locale): string => (locale === "de" ? "de-DE" : "en-US");
const tag = localeTag;

const STEPS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 30],
  ["month", 12],
  ["year", Number.POSITIVE_INFINITY],
];

function relativeTime(format: Intl.RelativeTimeFormat, value: string | Date, now: number): string {
  let amount = (new Date(value).getTime() - now) / 1000;
  for (const [unit, size] of STEPS) {
    if (Math.abs(amount) < size) return format.format(Math.round(amount), unit);
    amount /= size;
  }
  return format.format(Math.round(amount), "year");
}

export function formatters(locale: Locale): Formatters {
  const numbers = new Intl.NumberFormat(tag(locale));
  const percent = new Intl.NumberFormat(tag(locale), { style: "percent", maximumFractionDigits: 0 });
  const relative = new Intl.RelativeTimeFormat(tag(locale), { numeric: "auto" });
  return {
    locale,
    number: (value) => numbers.format(value),
    fixed: (value, digits) =>
      new Intl.NumberFormat(tag(locale), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value),
    percent: (ratio) => percent.format(ratio),
    money: (minor, currency) =>
      // A decimal string is formatted exactly (Intl.NumberFormat v3): no float ever holds the amount.
      new Intl.NumberFormat(tag(locale), { style: "currency", currency: currency.toUpperCase() }).format(
        minorToDecimal(minor, currency.toUpperCase()) as `${number}`,
      ),
    date: (value, timeZone) => new Intl.DateTimeFormat(tag(locale), { dateStyle: "medium", timeZone }).format(new Date(value)),
    dateTime: (value, timeZone) =>
      new Intl.DateTimeFormat(tag(locale), { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(value)),
    dateTimeSeconds: (value, timeZone) =>
      new Intl.DateTimeFormat(tag(locale), { dateStyle: "medium", timeStyle: "medium", timeZone }).format(new Date(value)),
    relative: (value, now) => relativeTime(relative, value, now),
  };
}

const cache = new Map<Locale, Formatters>();

/** Number, money and date formatting for the current language (one set per language, made once). */
export function useFormat(): Formatters {
  const locale = useLocale();
  let found = cache.get(locale);
  if (!found) {
    found = formatters(locale);
    cache.set(locale, found);
  }
  return found;
}
