import type uPlot from "uplot";

/** What a marker on the time axis stands for; each has its own shape and letter, not only a colour. */
export type MarkerKind = "failure" | "repair" | "inspection" | "alert";

/** Something that happened at a time, shown on the plots' time axis and listed below them. */
export interface TimeMarker {
  readonly id: string;
  readonly kind: MarkerKind;
  /** ms since the epoch. */
  readonly time: number;
  /** A few words: "Failure", "Anomaly alert (open)". */
  readonly title: string;
  /** The details: a note, who recorded it, the alert's figures. */
  readonly detail: string;
}

export interface MarkerStyle {
  readonly letter: string;
  readonly shape: "triangle" | "square" | "circle" | "diamond";
  /** The shape as a character, for the track and the list. */
  readonly glyph: string;
  readonly colour: string;
}

export const MARKER_STYLES: Record<MarkerKind, MarkerStyle> = {
  failure: { letter: "F", shape: "triangle", glyph: "▲", colour: "#a4232f" },
  repair: { letter: "R", shape: "square", glyph: "■", colour: "#2d6a3e" },
  inspection: { letter: "I", shape: "circle", glyph: "●", colour: "#1f4e79" },
  alert: { letter: "A", shape: "diamond", glyph: "◆", colour: "#8a5a00" },
};

const SIZE = 5;

function shapePath(ctx: CanvasRenderingContext2D, shape: MarkerStyle["shape"], x: number, y: number, r: number) {
  ctx.beginPath();
  if (shape === "triangle") {
    ctx.moveTo(x, y - r);
    ctx.lineTo(x + r, y + r);
    ctx.lineTo(x - r, y + r);
  } else if (shape === "square") {
    ctx.rect(x - r, y - r, 2 * r, 2 * r);
  } else if (shape === "circle") {
    ctx.arc(x, y, r, 0, 2 * Math.PI);
  } else {
    ctx.moveTo(x, y - r - 1);
    ctx.lineTo(x + r + 1, y);
    ctx.lineTo(x, y + r + 1);
    ctx.lineTo(x - r - 1, y);
  }
  ctx.closePath();
}

/** A uPlot draw hook: each marker as a dashed line across the plot, its shape and letter on the time axis. */
export function drawMarkers(markers: readonly TimeMarker[]) {
  return (u: uPlot) => {
    const { ctx } = u;
    const { left, top, width, height } = u.bbox;
    const ratio = width / Math.max(1, u.over.clientWidth || width);
    const r = SIZE * ratio;
    ctx.save();
    for (const m of markers) {
      const x = Math.round(u.valToPos(m.time / 1000, "x", true));
      if (x < left || x > left + width) continue;
      const style = MARKER_STYLES[m.kind];
      ctx.strokeStyle = style.colour;
      ctx.fillStyle = style.colour;
      ctx.lineWidth = ratio;
      ctx.setLineDash([4 * ratio, 3 * ratio]);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      ctx.setLineDash([]);
      const y = top + height - r - ratio;
      shapePath(ctx, style.shape, x, y, r);
      ctx.fill();
      ctx.font = `bold ${Math.round(10 * ratio)}px system-ui, sans-serif`;
      ctx.textAlign = "left";
      ctx.textBaseline = "middle";
      ctx.fillText(style.letter, x + r + 2 * ratio, y);
    }
    ctx.restore();
  };
}
