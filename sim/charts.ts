/**
 * Minimal SVG charts, generated as strings (no dependencies, no network): line charts with
 * one or more panels sharing an x axis, and stacked histograms for distributions.
 */

/** One line of a line chart. */
export interface Line {
  name: string;
  xs: readonly number[];
  ys: readonly number[];
  color: string;
  /** SVG stroke-dasharray, e.g. "4 3". */
  dash?: string;
  width?: number;
}

/** One panel (its own y axis) of a line chart. */
export interface Panel {
  yLabel: string;
  lines: Line[];
  /** Draw a horizontal reference line at this y. */
  refY?: number;
}

/** Colours that read on white, in order. */
export const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f"];

const FONT = `font-family="Helvetica, Arial, sans-serif"`;

/** Escapes text for SVG. */
function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** "Nice" tick values covering [lo, hi] (1, 2, 5 x 10^n steps), about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return ticks;
}

/** A tick label: few significant digits, thousands separated. */
export function fmtTick(x: number): string {
  const a = Math.abs(x);
  if (a >= 1000) return x.toLocaleString("en-US", { maximumFractionDigits: 0 });
  if (a >= 10) return x.toFixed(a >= 100 ? 0 : 1).replace(/\.0$/, "");
  if (a === 0) return "0";
  return Number(x.toPrecision(3)).toString();
}

/** The extent of values, padded by a fraction of the range (or of the value when flat). */
function extent(values: number[], pad = 0.05): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi === lo) {
    const d = Math.abs(lo) * 0.01 || 1;
    return [lo - d, hi + d];
  }
  const d = (hi - lo) * pad;
  lo -= d;
  hi += d;
  return [lo, hi];
}

/** A line chart of one or more vertically stacked panels sharing the x axis. */
export function lineChart(opts: {
  title: string;
  xLabel: string;
  panels: Panel[];
  width?: number;
  panelHeight?: number;
}): string {
  const width = opts.width ?? 900;
  const panelHeight = opts.panelHeight ?? 260;
  const left = 80;
  const right = 190; // legend column
  const top = 40;
  const gap = 30;
  const bottom = 50;
  const plotW = width - left - right;
  const height = top + opts.panels.length * (panelHeight + gap) - gap + bottom;
  const allX = opts.panels.flatMap((p) => p.lines.flatMap((l) => [...l.xs]));
  const [x0, x1] = extent(allX, 0);
  const sx = (x: number) => left + ((x - x0) / (x1 - x0)) * plotW;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
  );
  out.push(`<rect width="100%" height="100%" fill="white"/>`);
  out.push(`<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" ${FONT}>${esc(opts.title)}</text>`);
  opts.panels.forEach((panel, i) => {
    const py = top + i * (panelHeight + gap);
    const ys = panel.lines.flatMap((l) => [...l.ys]);
    if (panel.refY !== undefined) ys.push(panel.refY);
    const [y0, y1] = extent(ys);
    const sy = (y: number) => py + panelHeight - ((y - y0) / (y1 - y0)) * panelHeight;
    out.push(`<rect x="${left}" y="${py}" width="${plotW}" height="${panelHeight}" fill="none" stroke="#999"/>`);
    for (const t of niceTicks(y0, y1)) {
      const y = sy(t).toFixed(1);
      out.push(`<line x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}" stroke="#eee"/>`);
      out.push(
        `<text x="${left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="11" ${FONT}>${fmtTick(t)}</text>`,
      );
    }
    if (panel.refY !== undefined) {
      const y = sy(panel.refY).toFixed(1);
      out.push(`<line x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}" stroke="#666" stroke-dasharray="2 2"/>`);
    }
    const cy = py + panelHeight / 2;
    out.push(
      `<text x="18" y="${cy}" transform="rotate(-90 18 ${cy})" text-anchor="middle" font-size="12" ${FONT}>${esc(panel.yLabel)}</text>`,
    );
    panel.lines.forEach((line, j) => {
      const pts: string[] = [];
      for (let k = 0; k < line.xs.length; k++) {
        if (Number.isFinite(line.ys[k])) pts.push(`${sx(line.xs[k]).toFixed(1)},${sy(line.ys[k]).toFixed(1)}`);
      }
      const dash = line.dash ? ` stroke-dasharray="${line.dash}"` : "";
      out.push(
        `<polyline fill="none" stroke="${line.color}" stroke-width="${line.width ?? 1.5}"${dash} points="${pts.join(" ")}"/>`,
      );
      const ly = py + 14 + j * 18;
      out.push(
        `<line x1="${left + plotW + 12}" x2="${left + plotW + 36}" y1="${ly}" y2="${ly}" stroke="${line.color}" stroke-width="2"${dash}/>`,
      );
      out.push(
        `<text x="${left + plotW + 42}" y="${ly}" dominant-baseline="middle" font-size="11" ${FONT}>${esc(line.name)}</text>`,
      );
    });
  });
  const axisY = top + opts.panels.length * (panelHeight + gap) - gap;
  for (const t of niceTicks(x0, x1, 8)) {
    const x = sx(t).toFixed(1);
    out.push(`<line x1="${x}" x2="${x}" y1="${axisY}" y2="${axisY + 5}" stroke="#333"/>`);
    out.push(`<text x="${x}" y="${axisY + 18}" text-anchor="middle" font-size="11" ${FONT}>${fmtTick(t)}</text>`);
  }
  out.push(
    `<text x="${left + plotW / 2}" y="${height - 10}" text-anchor="middle" font-size="12" ${FONT}>${esc(opts.xLabel)}</text>`,
  );
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}

/** One distribution of a histogram chart. */
export interface Distribution {
  name: string;
  values: readonly number[];
  color: string;
  /** Vertical markers (e.g. mean, median, 5th percentile). */
  markers?: { label: string; x: number; /** label left of the line */ left?: boolean }[];
}

/** Histograms of several distributions on a shared x axis, one row each. */
export function histograms(opts: {
  title: string;
  xLabel: string;
  distributions: Distribution[];
  bins?: number;
  width?: number;
  rowHeight?: number;
}): string {
  const width = opts.width ?? 900;
  const rowHeight = opts.rowHeight ?? 150;
  const bins = opts.bins ?? 30;
  const left = 170;
  const right = 30;
  const top = 40;
  const gap = 16;
  const bottom = 50;
  const plotW = width - left - right;
  const rows = opts.distributions.length;
  const height = top + rows * (rowHeight + gap) - gap + bottom;
  const all = opts.distributions.flatMap((d) => [...d.values]);
  const [x0, x1] = extent(all, 0.02);
  const sx = (x: number) => left + ((x - x0) / (x1 - x0)) * plotW;
  const bw = (x1 - x0) / bins;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
  );
  out.push(`<rect width="100%" height="100%" fill="white"/>`);
  out.push(`<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" ${FONT}>${esc(opts.title)}</text>`);
  const counts = opts.distributions.map((d) => {
    const c = new Array<number>(bins).fill(0);
    for (const v of d.values) c[Math.min(bins - 1, Math.max(0, Math.floor((v - x0) / bw)))]++;
    return c;
  });
  const maxCount = Math.max(1, ...counts.flat());
  opts.distributions.forEach((d, i) => {
    const py = top + i * (rowHeight + gap);
    out.push(`<rect x="${left}" y="${py}" width="${plotW}" height="${rowHeight}" fill="none" stroke="#999"/>`);
    out.push(
      `<text x="${left - 10}" y="${py + rowHeight / 2}" text-anchor="end" dominant-baseline="middle" font-size="12" ${FONT}>${esc(d.name)}</text>`,
    );
    counts[i].forEach((c, b) => {
      if (c === 0) return;
      const h = (c / maxCount) * (rowHeight - 24);
      const x = sx(x0 + b * bw);
      const w = Math.max(1, sx(x0 + (b + 1) * bw) - x - 1);
      out.push(
        `<rect x="${x.toFixed(1)}" y="${(py + rowHeight - h).toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" fill="${d.color}" fill-opacity="0.7"/>`,
      );
    });
    (d.markers ?? []).forEach((m, j) => {
      const x = sx(m.x).toFixed(1);
      out.push(
        `<line x1="${x}" x2="${x}" y1="${py}" y2="${py + rowHeight}" stroke="#222" stroke-dasharray="${["", "5 3", "2 2"][j % 3]}"/>`,
      );
      const anchor = m.left ? `text-anchor="end" dx="-3"` : `dx="3"`;
      out.push(`<text x="${x}" y="${py + 12 + j * 12}" font-size="10" ${FONT} ${anchor}>${esc(m.label)}</text>`);
    });
  });
  const axisY = top + rows * (rowHeight + gap) - gap;
  for (const t of niceTicks(x0, x1, 8)) {
    const x = sx(t).toFixed(1);
    out.push(`<line x1="${x}" x2="${x}" y1="${axisY}" y2="${axisY + 5}" stroke="#333"/>`);
    out.push(`<text x="${x}" y="${axisY + 18}" text-anchor="middle" font-size="11" ${FONT}>${fmtTick(t)}</text>`);
  }
  out.push(
    `<text x="${left + plotW / 2}" y="${height - 10}" text-anchor="middle" font-size="12" ${FONT}>${esc(opts.xLabel)}</text>`,
  );
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}

/** A series of points in a scatter panel. */
export interface ScatterSeries {
  name: string;
  color: string;
  points: { x: number; y: number; label?: string }[];
  /** Join the points (sorted by x) with a line: a swept parameter. */
  joined?: boolean;
  /** Marker radius (default 4). */
  size?: number;
}

/** Scatter panels in a grid (e.g. one frontier per scenario), each with its own axes. */
export function scatterGrid(opts: {
  title: string;
  xLabel: string;
  yLabel: string;
  /** `yRange`: the y axis shown; points outside it sit on its edge, labelled with their value. */
  panels: { title: string; series: ScatterSeries[]; refY?: number; yRange?: [number, number] }[];
  columns?: number;
  panelWidth?: number;
  panelHeight?: number;
}): string {
  const columns = opts.columns ?? 2;
  const pw = opts.panelWidth ?? 430;
  const ph = opts.panelHeight ?? 300;
  const left = 70;
  const top = 50;
  const gapX = 90;
  const gapY = 80;
  const legendH = 22 * Math.max(...opts.panels.map((p) => p.series.length), 1);
  const rows = Math.ceil(opts.panels.length / columns);
  const width = left + columns * (pw + gapX);
  const height = top + rows * (ph + gapY) + legendH;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
  );
  out.push(`<rect width="100%" height="100%" fill="white"/>`);
  out.push(`<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" ${FONT}>${esc(opts.title)}</text>`);
  opts.panels.forEach((panel, n) => {
    const px = left + (n % columns) * (pw + gapX);
    const py = top + Math.floor(n / columns) * (ph + gapY);
    const pts = panel.series.flatMap((s) => s.points);
    const ys = pts.map((p) => p.y);
    if (panel.refY !== undefined) ys.push(panel.refY);
    const [x0, x1] = extent(
      pts.map((p) => p.x),
      0.08,
    );
    const [y0, y1] = panel.yRange ?? extent(ys, 0.08);
    const sx = (x: number) => px + ((x - x0) / (x1 - x0)) * pw;
    const sy = (y: number) => py + ph - ((Math.min(y1, Math.max(y0, y)) - y0) / (y1 - y0)) * ph;
    const clipped = (y: number) => y < y0 || y > y1;
    out.push(`<rect x="${px}" y="${py}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
    out.push(
      `<text x="${px + pw / 2}" y="${py - 8}" text-anchor="middle" font-size="13" ${FONT}>${esc(panel.title)}</text>`,
    );
    for (const t of niceTicks(y0, y1)) {
      const y = sy(t).toFixed(1);
      out.push(`<line x1="${px}" x2="${px + pw}" y1="${y}" y2="${y}" stroke="#eee"/>`);
      out.push(
        `<text x="${px - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="11" ${FONT}>${fmtTick(t)}</text>`,
      );
    }
    for (const t of niceTicks(x0, x1, 6)) {
      const x = sx(t).toFixed(1);
      out.push(`<line x1="${x}" x2="${x}" y1="${py + ph}" y2="${py + ph + 5}" stroke="#333"/>`);
      out.push(`<text x="${x}" y="${py + ph + 18}" text-anchor="middle" font-size="11" ${FONT}>${fmtTick(t)}</text>`);
    }
    if (panel.refY !== undefined) {
      const y = sy(panel.refY).toFixed(1);
      out.push(`<line x1="${px}" x2="${px + pw}" y1="${y}" y2="${y}" stroke="#666" stroke-dasharray="2 2"/>`);
    }
    out.push(
      `<text x="${px + pw / 2}" y="${py + ph + 36}" text-anchor="middle" font-size="12" ${FONT}>${esc(opts.xLabel)}</text>`,
    );
    const cy = py + ph / 2;
    out.push(
      `<text x="${px - 48}" y="${cy}" transform="rotate(-90 ${px - 48} ${cy})" text-anchor="middle" font-size="12" ${FONT}>${esc(opts.yLabel)}</text>`,
    );
    for (const s of panel.series) {
      const finite = s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
      if (s.joined === true && finite.length > 1) {
        const line = [...finite].sort((a, b) => a.x - b.x).map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`);
        out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${line.join(" ")}"/>`);
      }
      for (const p of finite) {
        out.push(
          `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="${s.size ?? 4}" fill="${s.color}"/>`,
        );
        const label = clipped(p.y) ? `${p.label ?? ""} (${fmtTick(p.y)}, off scale)` : p.label;
        if (label !== undefined) {
          out.push(
            `<text x="${(sx(p.x) + 6).toFixed(1)}" y="${(sy(p.y) - 6).toFixed(1)}" font-size="9" fill="${s.color}" ${FONT}>${esc(label)}</text>`,
          );
        }
      }
    }
  });
  const names = [...new Map(opts.panels.flatMap((p) => p.series).map((s) => [s.name, s.color])).entries()];
  const ly0 = top + rows * (ph + gapY) - 20;
  names.forEach(([name, color], i) => {
    const x = left + (i % 4) * 260;
    const y = ly0 + Math.floor(i / 4) * 20;
    out.push(`<circle cx="${x + 6}" cy="${y}" r="5" fill="${color}"/>`);
    out.push(`<text x="${x + 16}" y="${y}" dominant-baseline="middle" font-size="12" ${FONT}>${esc(name)}</text>`);
  });
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
