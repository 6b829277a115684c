import "../styles.css";
import { useFormat, useT } from "../../../lib/i18n";
import { type Level, levelOf } from "../lib/period";
import { usageMessages } from "../messages";

/** A shape per level, so it reads without colour too; the word is always there. */
const SYMBOLS: Record<Level, string> = { ok: "●", near: "▲", reached: "■", none: "○" };

export function LevelBadge({ level }: { level: Level }) {
  const t = useT(usageMessages);
  return (
    <span className={`usage-level usage-level-${level}`} data-level={level}>
      <span aria-hidden="true">{SYMBOLS[level]}</span> {t(`level.${level}`)}
    </span>
  );
}

/** Use against a limit: a bar (a native meter, named for screen readers), the share, and the level in words. */
export function LimitUse({ name, used, limit }: { name: string; used: number; limit: number | null }) {
  const t = useT(usageMessages);
  const f = useFormat();
  const level = levelOf(used, limit);
  if (limit === null) return <LevelBadge level={level} />;
  const ratio = limit === 0 ? 1 : used / limit;
  return (
    <div className="usage-use">
      <meter
        className={`usage-bar usage-bar-${level}`}
        min={0}
        max={limit === 0 ? 1 : limit}
        value={limit === 0 ? 1 : Math.min(used, limit)}
        aria-label={t("bar.label", { name, used: f.number(used), limit: f.number(limit) })}
      />
      <span className="usage-share">{f.percent(ratio)}</span>
      <LevelBadge level={level} />
    </div>
  );
}
