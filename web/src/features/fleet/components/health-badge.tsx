import type { HealthState } from "../../../gql/graphql";
import { HEALTH_LABELS } from "../lib/search";

/** A shape per state, so the state reads without colour too (the word is always there). */
const SYMBOLS: Record<HealthState, string> = {
  CRITICAL: "■",
  WATCH: "▲",
  OK: "●",
  UNKNOWN: "○",
};

export function HealthBadge({ health }: { health: HealthState }) {
  return (
    <span className={`health health-${health.toLowerCase()}`} data-health={health}>
      <span aria-hidden="true" className="health-symbol">
        {SYMBOLS[health]}
      </span>{" "}
      {HEALTH_LABELS[health]}
    </span>
  );
}
