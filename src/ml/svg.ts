/** One test asset in the chart: its true remaining life and both models' predictions. */
export interface ChartPoint {
  readonly id: string;
  readonly truth: number;
  readonly model: number;
  readonly interval?: readonly [number, number];
  readonly baseline: number;
}

export interface ChartLabels {
  readonly title: string;
  readonly model: string;
  readonly baseline: string;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function fmt(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

const PANEL_W = 560;
const PANEL_H = 360;
const MARGIN = { left: 50, right: 16, top: 72, bottom: 44 };

function panel(points: readonly ChartPoint[], pick: "model" | "baseline", label: string, color: string, x0: number, yMax: number): string {
  const plotW = PANEL_W - MARGIN.left - MARGIN.right;
  const plotH = PANEL_H - MARGIN.top - MARGIN.bottom;
  const left = x0 + MARGIN.left;
  const top = MARGIN.top;
  const sx = (i: number): number => left + (points.length <= 1 ? plotW / 2 : (i / (points.length - 1)) * plotW);
  const sy = (v: number): number => top + plotH - (Math.max(0, Math.min(yMax, v)) / yMax) * plotH;
  const parts: string[] = [];
  const step = yMax <= 100 ? 20 : yMax <= 250 ? 25 : 50;
  for (let v = 0; v <= yMax; v += step) {
    parts.push(`<line x1="${left}" y1="${fmt(sy(v))}" x2="${left + plotW}" y2="${fmt(sy(v))}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${left - 6}" y="${fmt(sy(v) + 4)}" text-anchor="end" font-size="11" fill="#555">${v}</text>`);
  }
  parts.push(`<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  let rmse = 0;
  points.forEach((p, i) => {
    rmse += (p[pick] - p.truth) ** 2;
    if (pick === "model" && p.interval) {
      parts.push(
        `<line x1="${fmt(sx(i))}" y1="${fmt(sy(p.interval[0]))}" x2="${fmt(sx(i))}" y2="${fmt(sy(p.interval[1]))}" stroke="${color}" stroke-opacity="0.25" stroke-width="3"/>`,
      );
    }
  });
  rmse = Math.sqrt(rmse / Math.max(1, points.length));
  const truthLine = points.map((p, i) => `${fmt(sx(i))},${fmt(sy(p.truth))}`).join(" ");
  parts.push(`<polyline points="${truthLine}" fill="none" stroke="#222" stroke-width="1.5"/>`);
  points.forEach((p, i) => {
    parts.push(
      `<circle cx="${fmt(sx(i))}" cy="${fmt(sy(p[pick]))}" r="3" fill="${color}"><title>${escapeXml(p.id)}: true ${fmt(p.truth)}, predicted ${fmt(p[pick])}</title></circle>`,
    );
  });
  parts.push(`<text x="${left}" y="${top - 26}" font-size="14" font-weight="bold" fill="#222">${escapeXml(label)}</text>`);
  parts.push(`<text x="${left}" y="${top - 9}" font-size="12" fill="#444">RMSE ${fmt(rmse)} over ${points.length} assets</text>`);
  parts.push(
    `<text x="${left + plotW / 2}" y="${top + plotH + 32}" text-anchor="middle" font-size="12" fill="#444">test assets, sorted by true remaining life</text>`,
  );
  return parts.join("\n");
}

/**
 * Predicted against true remaining life per asset, sorted by true life: the model on the left
 * (with its prediction intervals as bands), the baseline on the right, same axes.
 */
export function rulChartSvg(points: readonly ChartPoint[], labels: ChartLabels): string {
  const sorted = [...points].sort((a, b) => a.truth - b.truth || a.id.localeCompare(b.id));
  let max = 0;
  for (const p of sorted) max = Math.max(max, p.truth, p.model, p.baseline, p.interval?.[1] ?? 0);
  const yMax = Math.max(25, Math.ceil(max / 25) * 25);
  const width = 2 * PANEL_W;
  const height = PANEL_H + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="15" fill="#111">${escapeXml(labels.title)}</text>`,
    panel(sorted, "model", labels.model, "#1f6fb4", 0, yMax),
    panel(sorted, "baseline", labels.baseline, "#d9661f", PANEL_W, yMax),
    `<g font-size="11" fill="#333"><line x1="60" y1="${height - 12}" x2="84" y2="${height - 12}" stroke="#222" stroke-width="1.5"/><text x="90" y="${height - 8}">true remaining life</text>`,
    `<circle cx="230" cy="${height - 12}" r="3" fill="#1f6fb4"/><text x="238" y="${height - 8}">model (band: prediction interval)</text>`,
    `<circle cx="470" cy="${height - 12}" r="3" fill="#d9661f"/><text x="478" y="${height - 8}">baseline</text></g>`,
    "</svg>",
    "",
  ].join("\n");
}
