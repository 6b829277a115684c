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

export function formatTime(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { timeZone, dateStyle: "medium", timeStyle: "medium" }).format(date);
}
