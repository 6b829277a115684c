import type { Formatters } from "../../../lib/i18n";

/** The exact time in the browser's zone, with the zone's offset spelled out by the ISO form. */
export const exactTime = (format: Formatters, iso: string): string => `${format.dateTimeSeconds(iso)} (${iso})`;

/** Remaining life in cycles, rounded: the interval's bounds are shown with it. */
export const cycles = (format: Formatters, n: number): string => format.number(Math.round(n));

/** The alert kinds as the fleet's rows name them (lower case, as `worstAlert.kind` spells them). */
export const ALERT_KINDS = ["rul_low", "anomaly"] as const;
export const isAlertKind = (kind: string): kind is (typeof ALERT_KINDS)[number] => (ALERT_KINDS as readonly string[]).includes(kind);
