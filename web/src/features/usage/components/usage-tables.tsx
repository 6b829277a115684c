import type { CountedEntitlement, UsageMeter } from "../../../gql/graphql";
import { useFormat, useT } from "../../../lib/i18n";
import type { MeterTotals } from "../api/period-usage";
import { levelOf } from "../lib/period";
import { usageMessages } from "../messages";
import { LimitUse } from "./level";

export interface DailyRow {
  readonly meter: UsageMeter;
  readonly used: number;
  readonly limit: number | null;
}

/** Per meter: this period, today, the daily limit and today's use of it. */
export function MeterTable({ daily, period, resetsAt }: { daily: readonly DailyRow[]; period: MeterTotals; resetsAt: string }) {
  const t = useT(usageMessages);
  const f = useFormat();
  return (
    <table className="usage-table" data-table="meters">
      <caption>{t("usage.caption", { time: f.dateTime(resetsAt) })}</caption>
      <thead>
        <tr>
          <th scope="col">{t("usage.meter")}</th>
          <th scope="col" className="num">
            {t("usage.period")}
          </th>
          <th scope="col" className="num">
            {t("usage.today")}
          </th>
          <th scope="col" className="num">
            {t("usage.limit")}
          </th>
          <th scope="col">{t("usage.use")}</th>
        </tr>
      </thead>
      <tbody>
        {daily.map((row) => (
          <tr
            key={row.meter}
            data-meter={row.meter}
            data-period={period[row.meter]}
            data-today={row.used}
            data-limit={row.limit ?? ""}
            data-level={levelOf(row.used, row.limit)}
          >
            <th scope="row">{t(`meter.${row.meter}`)}</th>
            <td className="num" data-cell="period">
              {f.number(period[row.meter])}
            </td>
            <td className="num" data-cell="today">
              {f.number(row.used)}
            </td>
            <td className="num">{row.limit === null ? t("usage.noLimit") : f.number(row.limit)}</td>
            <td>
              <LimitUse name={t(`meter.${row.meter}`)} used={row.used} limit={row.limit} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface CountRow {
  readonly entitlement: CountedEntitlement;
  readonly used: number;
  readonly limit: number | null;
}

/** Assets and models that exist against the plan's maximum. */
export function CountTable({ counts }: { counts: readonly CountRow[] }) {
  const t = useT(usageMessages);
  const f = useFormat();
  return (
    <table className="usage-table" data-table="counts">
      <caption>{t("counts.caption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("counts.item")}</th>
          <th scope="col" className="num">
            {t("counts.used")}
          </th>
          <th scope="col" className="num">
            {t("counts.limit")}
          </th>
          <th scope="col">{t("counts.use")}</th>
        </tr>
      </thead>
      <tbody>
        {counts.map((row) => (
          <tr
            key={row.entitlement}
            data-count={row.entitlement}
            data-used={row.used}
            data-limit={row.limit ?? ""}
            data-level={levelOf(row.used, row.limit)}
          >
            <th scope="row">{t(`count.${row.entitlement}`)}</th>
            <td className="num">{f.number(row.used)}</td>
            <td className="num">{row.limit === null ? t("usage.noLimit") : f.number(row.limit)}</td>
            <td>
              <LimitUse name={t(`count.${row.entitlement}`)} used={row.used} limit={row.limit} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
