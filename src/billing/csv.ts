import type { UsageRow } from "./finance-usage.js";
import type { InvoicePreview } from "./invoice-preview.js";
import type { UnbillableUsage } from "./operator-unbillable.js";
import type { Reconciliation } from "./reconciliation.js";

/** Enum values (meters, components, statuses) are written as the GraphQL API spells them: upper case. */
type Cell = string | number | Date | null | undefined;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled.
 * Text that a spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe;
 * numbers are written as they are.
 */
export function csvField(value: Cell): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole CSV document: a header line, then the rows, each line ending in CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows].map((r) => `${r.map(csvField).join(",")}\r\n`).join("");
}

type WithTenant = { readonly tenantId: string; readonly tenantName: string };

export function usageCsv(rows: readonly UsageRow[]): string {
  return toCsv(
    ["period_start", "meter", "quantity"],
    rows.map((r) => [r.periodStart, r.meter.toUpperCase(), r.quantity]),
  );
}

export function operatorUsageCsv(rows: readonly (UsageRow & WithTenant)[]): string {
  return toCsv(
    ["tenant_id", "tenant_name", "period_start", "meter", "quantity"],
    rows.map((r) => [r.tenantId, r.tenantName, r.periodStart, r.meter.toUpperCase(), r.quantity]),
  );
}

export function invoicePreviewCsv(p: InvoicePreview): string {
  const lines = p.lines.map((l) => [
    p.periodStart,
    p.periodEnd,
    p.currency,
    l.component.toUpperCase(),
    l.quantity,
    l.unitAmount,
    l.amount,
    l.description,
  ]);
  return toCsv(
    ["period_start", "period_end", "currency", "component", "quantity", "unit_amount", "amount", "description"],
    [...lines, [p.periodStart, p.periodEnd, p.currency, "TOTAL", null, null, p.total, `${p.planName} (${p.planCode})`]],
  );
}

const RECONCILIATION_COLUMNS = [
  "hour",
  "meter",
  "ledger_quantity",
  "hourly_quantity",
  "reported_quantity",
  "confirmed_quantity",
  "in_flight_quantity",
  "status",
  "rejected_quantity",
  "rejected_reason",
  "unbillable_quantity",
  "unbillable_reasons",
];

type Hour = Reconciliation["hours"][number];
const hourCells = (h: Hour): Cell[] => [
  h.hour,
  h.meter.toUpperCase(),
  h.ledgerQuantity,
  h.hourlyQuantity,
  h.reportedQuantity,
  h.confirmedQuantity,
  h.inFlightQuantity,
  h.status.toUpperCase(),
  h.rejectedQuantity,
  h.rejectedReason,
  h.unbillableQuantity,
  h.unbillableReasons.map((r) => r.toUpperCase()).join(";"),
];

export function reconciliationCsv(r: Reconciliation): string {
  return toCsv(RECONCILIATION_COLUMNS, r.hours.map(hourCells));
}

export function operatorReconciliationCsv(r: { hours: readonly (Hour & WithTenant)[] }): string {
  return toCsv(
    ["tenant_id", "tenant_name", ...RECONCILIATION_COLUMNS],
    r.hours.map((h) => [h.tenantId, h.tenantName, ...hourCells(h)]),
  );
}

export function operatorUnbillableCsv(rows: readonly UnbillableUsage[]): string {
  return toCsv(
    ["tenant_id", "tenant_name", "meter", "reason", "hours", "first_hour", "last_hour", "quantity", "plan_code", "currency", "amount"],
    rows.map((r) => [
      r.tenantId,
      r.tenantName,
      r.meter.toUpperCase(),
      r.reason.toUpperCase(),
      r.hours,
      r.firstHour,
      r.lastHour,
      r.quantity,
      r.planCode,
      r.currency,
      r.amount,
    ]),
  );
}
