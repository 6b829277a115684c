import { useNavigate } from "@tanstack/react-router";
import { useVirtualizer } from "@tanstack/react-virtual";
import { type MouseEvent, memo, useCallback, useEffect, useRef, useState } from "react";
import { type Formatters, type Translate, useFormat, useT } from "../../../lib/i18n";
import type { FleetRow } from "../api/fleet-overview";
import { cycles, exactTime, isAlertKind } from "../lib/format";
import type { SortParam } from "../lib/search";
import { fleetMessages } from "../messages";
import { HealthBadge } from "./health-badge";

/** Every row is this tall (two lines: the name and its place in the tree), so no row needs measuring. */
export const ROW_HEIGHT = 56;
/** Rows rendered beyond the visible ones on each side. */
const OVERSCAN = 12;
/** The next page is asked for when the last rendered row is this close to the end of the loaded ones. */
const PREFETCH_ROWS = 40;

type ColumnKey = "name" | "external-id" | "type" | "health" | "life" | "seen" | "points" | "alert";

/** The columns; each heading is the catalogue's `col.<key>`. */
const COLUMNS: readonly { key: ColumnKey; sort?: SortParam; numeric?: boolean }[] = [
  { key: "name", sort: "name" },
  { key: "external-id" },
  { key: "type" },
  { key: "health", sort: "health" },
  { key: "life", sort: "life", numeric: true },
  { key: "seen", sort: "seen" },
  { key: "points", numeric: true },
  { key: "alert" },
];

/** Latest first is descending; health goes worst first, an order of its own. */
const SORT_DIRECTION: Record<SortParam, "ascending" | "descending" | "other"> = {
  life: "ascending",
  name: "ascending",
  seen: "descending",
  health: "other",
};

type Follow = (event: MouseEvent<HTMLAnchorElement>) => void;

/** The address of a node's children under the same order. */
function childrenHref(assetId: string, sort: SortParam): string {
  const search = new URLSearchParams(sort === "life" ? {} : { sort });
  search.set("parent", assetId);
  return `/fleet?${search}`;
}

/**
 * One row. Its links are plain anchors that the router follows (`follow`): a router link per cell
 * costs more to render than the rest of the row, and a fast scroll renders dozens of rows a frame.
 */
const Row = memo(function Row({
  row,
  typeName,
  sort,
  now,
  follow,
  t,
  format,
}: {
  row: FleetRow;
  typeName: string;
  sort: SortParam;
  now: number;
  follow: Follow;
  t: Translate<keyof (typeof fleetMessages)["en"]>;
  format: Formatters;
}) {
  const path = row.ancestors.map((a) => a.name).join(" › ");
  const life = row.remainingLife;
  return (
    <>
      <td data-col="name">
        <div className="name-cell">
          <a href={`/assets/${encodeURIComponent(row.assetId)}`} onClick={follow} className="asset-name">
            {row.name}
          </a>
          <span className="tree-line">
            {path ? <span className="muted path">{t("row.in", { path })}</span> : <span className="muted path">{t("row.topLevel")}</span>}
            {row.childCount > 0 && (
              <a
                href={childrenHref(row.assetId, sort)}
                onClick={follow}
                className="children"
                aria-label={t.plural("row.childrenOf", row.childCount, { name: row.name })}
              >
                {t.plural("row.children", row.childCount)}
              </a>
            )}
          </span>
        </div>
      </td>
      <td data-col="external-id">
        <code>{row.externalId}</code>
      </td>
      <td data-col="type">{typeName}</td>
      <td data-col="health">
        <HealthBadge health={row.health} />
      </td>
      <td data-col="life" className="numeric">
        {life ? (
          <>
            <span className="life">{t("row.cycles", { value: cycles(format, life.rul) })}</span>
            {life.low !== null && life.high !== null && (
              <span className="muted interval">
                {cycles(format, life.low)}–{cycles(format, life.high)}
              </span>
            )}
          </>
        ) : (
          <span className="muted">{t("row.notScored")}</span>
        )}
      </td>
      <td data-col="seen">
        {row.lastSeenAt ? (
          <time dateTime={row.lastSeenAt} title={exactTime(format, row.lastSeenAt)}>
            {format.relative(row.lastSeenAt, now)}
          </time>
        ) : (
          <span className="muted">{t("row.never")}</span>
        )}
      </td>
      <td data-col="points" className="numeric">
        {format.number(row.pointsLastDay)}
      </td>
      <td data-col="alert">
        {row.worstAlert ? (
          <a
            href={`/alerts?${new URLSearchParams({ asset: row.assetId, status: "unresolved" })}`}
            onClick={follow}
            className={`alert-kind alert-${row.worstAlert.kind}`}
          >
            {isAlertKind(row.worstAlert.kind) ? t(`alert.${row.worstAlert.kind}`) : row.worstAlert.kind}
          </a>
        ) : (
          <span className="muted">{t("row.none")}</span>
        )}
      </td>
    </>
  );
});

/**
 * The fleet as a table whose rows are rendered only around the visible part of its scroll box; two
 * spacer rows (hidden from assistive technology) stand for the rows above and below. `aria-rowcount`
 * is the whole count, each row's `aria-rowindex` its place (the header is row 1). When the rendered
 * rows come near the end of the loaded ones, `onNearEnd` asks for more.
 */
export function FleetGrid({
  rows,
  total,
  sort,
  typeNames,
  onNearEnd,
}: {
  rows: readonly FleetRow[];
  total: number;
  sort: SortParam;
  /** The type's name for the type column. */
  typeNames: (assetTypeId: string) => string;
  onNearEnd: () => void;
}) {
  const scroller = useRef<HTMLElement>(null);
  const t = useT(fleetMessages);
  const format = useFormat();
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1]?.index ?? 0;
  const nearEnd = rows.length > 0 && last >= rows.length - PREFETCH_ROWS;
  useEffect(() => {
    if (nearEnd) onNearEnd();
  }, [nearEnd, onNearEnd]);
  // Relative times ("5 minutes ago") move on once a minute, not on every render.
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  const navigate = useNavigate();
  const follow = useCallback<Follow>(
    (event) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const href = event.currentTarget.getAttribute("href");
      if (!href?.startsWith("/")) return;
      event.preventDefault();
      void navigate({ href });
    },
    [navigate],
  );
  const above = items[0]?.start ?? 0;
  const below = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);

  return (
    // The scroll box takes focus so that the keyboard alone can scroll it (arrows, Page Down).
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section ref={scroller} className="fleet-scroll" tabIndex={0} aria-label={t("grid.label")}>
      <table className="fleet-table" aria-rowcount={total + 1}>
        <caption className="visually-hidden">{t("grid.caption", { order: t(`caption.${sort}`) })}</caption>
        <colgroup>
          {COLUMNS.map((c) => (
            <col key={c.key} className={`col-${c.key}`} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                scope="col"
                data-col={c.key}
                className={c.numeric ? "numeric" : undefined}
                aria-sort={c.sort === sort ? SORT_DIRECTION[sort] : undefined}
              >
                {t(`col.${c.key}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {above > 0 && (
            // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row holds nothing to focus; it only stands for rows not rendered
            <tr aria-hidden="true" className="spacer">
              <td colSpan={COLUMNS.length} style={{ height: `${above}px` }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <tr key={row.assetId} aria-rowindex={item.index + 2} data-asset-id={row.assetId} data-health={row.health}>
                <Row row={row} typeName={typeNames(row.assetTypeId)} sort={sort} now={now} follow={follow} t={t} format={format} />
              </tr>
            );
          })}
          {below > 0 && (
            // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row holds nothing to focus; it only stands for rows not rendered
            <tr aria-hidden="true" className="spacer">
              <td colSpan={COLUMNS.length} style={{ height: `${below}px` }} />
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
