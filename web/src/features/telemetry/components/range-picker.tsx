import { type FormEvent, useId, useMemo, useState } from "react";
import { Field } from "../../../components/field";
import { useT } from "../../../lib/i18n";
import { RANGES, type RangeKey, type TimeRange } from "../lib/range";
import { fromWallTime, timeZones, toWallTime } from "../lib/time-zone";
import { telemetryMessages } from "../messages";

export interface RangeChoice {
  readonly range: RangeKey;
  /** ISO times, for a custom range only. */
  readonly from?: string;
  readonly to?: string;
}

interface RangePickerProps {
  readonly range: RangeKey;
  /** The range shown now (to start a custom range from). */
  readonly shown: TimeRange | undefined;
  readonly timeZone: string;
  readonly onRange: (choice: RangeChoice) => void;
  readonly onTimeZone: (timeZone: string) => void;
}

/** The time range (the last hour … year, or two times in the chosen zone) and the time zone times are shown in. */
export function RangePicker({ range, shown, timeZone, onRange, onTimeZone }: RangePickerProps) {
  const id = useId();
  const t = useT(telemetryMessages);
  const zones = useMemo(() => timeZones(), []);
  const [customOpen, setCustomOpen] = useState(range === "custom");
  const [error, setError] = useState<string>();

  const applyCustom = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const from = fromWallTime(String(form.get("from") ?? ""), timeZone);
    const to = fromWallTime(String(form.get("to") ?? ""), timeZone);
    if (!from || !to) return setError(t("range.bothTimes"));
    if (from >= to) return setError(t("range.order"));
    setError(undefined);
    onRange({ range: "custom", from: from.toISOString(), to: to.toISOString() });
  };

  return (
    <div className="range-picker">
      <div className="field">
        <label htmlFor={`${id}-range`}>{t("range.label")}</label>
        <select
          id={`${id}-range`}
          value={customOpen ? "custom" : range}
          onChange={(event) => {
            const value = event.target.value as RangeKey;
            if (value === "custom") return setCustomOpen(true);
            setCustomOpen(false);
            onRange({ range: value });
          }}
        >
          {RANGES.map((key) => (
            <option key={key} value={key}>
              {t(`range.${key}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-zone`}>{t("range.zone")}</label>
        <select id={`${id}-zone`} value={timeZone} onChange={(event) => onTimeZone(event.target.value)}>
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
      </div>
      {customOpen && (
        <form
          className="custom-range"
          onSubmit={applyCustom}
          aria-label={t("range.customForm")}
          key={`${timeZone}-${shown?.from.getTime()}`}
        >
          <Field
            label={t("range.from")}
            name="from"
            type="datetime-local"
            required
            defaultValue={shown ? toWallTime(shown.from, timeZone) : ""}
          />
          <Field
            label={t("range.to")}
            name="to"
            type="datetime-local"
            required
            defaultValue={shown ? toWallTime(shown.to, timeZone) : ""}
          />
          <button type="submit" className="primary">
            {t("range.show")}
          </button>
          {error && (
            <p role="alert" className="hint">
              {error}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
