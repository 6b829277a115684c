import type { HealthState } from "../../../gql/graphql";
import { useT } from "../../../lib/i18n";
import { fleetMessages } from "../messages";

/** A shape per state, so the state reads without colour too (the word is always there). */
const SYMBOLS: Record<HealthState, string> = {
  CRITICAL: "■",
  WATCH: "▲",
  OK: "●",
  UNKNOWN: "○",
};

export function HealthBadge({ health }: { health: HealthState }) {
  const t = useT(fleetMessages);
  return (
    <span className={`health health-${health.toLowerCase()}`} data-health={health}>
      <span aria-hidden="true" className="health-symbol">
        {SYMBOLS[health]}
      </span>{" "}
      {t(`health.${health}`)}
    </span>
  );
}
