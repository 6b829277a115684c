import { useId } from "react";
import { useFormat, useT } from "../../../lib/i18n";
import { PERIODS, type Period, type Range } from "../lib/range";
import { operatorMessages } from "../messages";

/** The period of a finance view, and the exact UTC range it stands for. */
export function PeriodSelect({
  value,
  range,
  choices = PERIODS,
  onChange,
}: {
  value: Period;
  range: Range;
  choices?: readonly Period[];
  onChange: (period: Period) => void;
}) {
  const t = useT(operatorMessages);
  const f = useFormat();
  const id = useId();
  return (
    <div className="period">
      <label htmlFor={id}>{t("period.label")}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as Period)}>
        {choices.map((p) => (
          <option key={p} value={p}>
            {t(`period.${p}`)}
          </option>
        ))}
      </select>
      <span className="muted">{t("period.range", { from: f.dateTime(range.from, "UTC"), to: f.dateTime(range.to, "UTC") })}</span>
    </div>
  );
}
