import type { Formatters } from "../../../lib/i18n";

export { browserTimeZone, fromWallTime, toWallTime } from "../../../lib/wall-time";

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Every zone the browser knows, UTC first. */
export function timeZones(): string[] {
  const names = Intl.supportedValuesOf("timeZone").filter((z) => z !== "UTC");
  return ["UTC", ...names];
}

/** A moment to the second in `timeZone`, in the page's language. */
export function formatTime(format: Formatters, date: Date, timeZone: string): string {
  return format.dateTimeSeconds(date, timeZone);
}
