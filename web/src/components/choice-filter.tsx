/** One choice of a filter: the value the address holds and what a person reads. */
export interface Choice<T extends string> {
  readonly value: T;
  readonly label: string;
}

/**
 * A labelled select that filters a list: the first option (`allLabel`) is no filter, any other
 * one of `choices`; the choice goes to `onChange` (undefined for no filter).
 */
export function ChoiceFilter<T extends string>({
  label,
  allLabel,
  choices,
  value,
  onChange,
}: {
  label: string;
  allLabel: string;
  choices: readonly Choice<T>[];
  value: T | undefined;
  onChange: (value: T | undefined) => void;
}) {
  return (
    <label>
      {label}
      <select value={value ?? ""} onChange={(e) => onChange((e.target.value || undefined) as T | undefined)}>
        <option value="">{allLabel}</option>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}
