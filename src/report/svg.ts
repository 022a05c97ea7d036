/**
 * The report's charts, drawn as inline SVG when the report is written: dot-and-interval (forest) plots,
 * heatmaps and 100% stacked bars. Hand-drawn rather than a bundled library because every chart here is an
 * estimate with its interval, which general charting libraries draw only through plugins (Chart.js) or a large
 * runtime (Vega-Lite, about 800 KB to inline); SVG made here needs no script to render, stays sharp when zoomed
 * or printed, and keeps the file small and self-contained.
 */

/** Okabe-Ito colours (distinguishable with colour-blindness), one per run. */
export const RUN_COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#999999', '#000000'];

/** Room for the longest of `labels` at 12px (about 6.6px a character), within bounds. */
const labelWidth = (labels: string[], min: number) => Math.max(min, Math.min(340, Math.ceil(Math.max(0, ...labels.map((l) => l.length)) * 6.6) + 24));

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const fmt = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '–');

export interface ForestRow {
  series: number;
  value: number | null;
  lo?: number | null;
  hi?: number | null;
  /** Shown right of the plot (default: the value and interval). */
  text?: string;
  /** Extra emphasis (a significant difference). */
  strong?: boolean;
}

export interface ForestGroup {
  label: string;
  rows: ForestRow[];
}

/** Nice tick values across [min, max]. */
function ticks(min: number, max: number, count = 5): number[] {
  const span = max - min || 1;
  const raw = span / count;
  const step = [1, 2, 2.5, 5, 10].map((m) => m * 10 ** Math.floor(Math.log10(raw))).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + 1e-12; t += step) out.push(Math.abs(t) < 1e-12 ? 0 : t);
  return out;
}

/**
 * Rows of estimates with intervals, grouped (a metric, a category), one coloured row per run. `domain`: the
 * axis range (default [0, 1]; 'auto' fits the intervals, always including 0 when `zero` is set).
 */
export function forestPlot(
  groups: ForestGroup[],
  opts: { domain?: [number, number] | 'auto'; zero?: boolean; width?: number; label?: string; digits?: number; reference?: { value: number; label: string } } = {},
): string {
  const left = labelWidth(groups.map((g) => g.label), 140);
  const width = (opts.width ?? 560) + left;
  const right = 170;
  const rowH = 18;
  const gap = 8;
  const top = 26;
  const plotW = width - left - right;
  let [min, max] = opts.domain === 'auto' || opts.domain === undefined ? [Infinity, -Infinity] : opts.domain;
  if (opts.domain === 'auto' || opts.domain === undefined) {
    for (const g of groups) for (const r of g.rows) for (const v of [r.value, r.lo, r.hi]) if (v !== null && v !== undefined && Number.isFinite(v)) [min, max] = [Math.min(min, v), Math.max(max, v)];
    if (opts.domain === undefined) [min, max] = [Math.min(0, min), Math.max(1, max)];
    if (opts.zero) [min, max] = [Math.min(0, min), Math.max(0, max)];
    if (!Number.isFinite(min)) [min, max] = [0, 1];
    const pad = (max - min) * 0.06 || 0.05;
    [min, max] = [min - pad, max + pad];
  }
  const x = (v: number) => left + ((Math.min(max, Math.max(min, v)) - min) / (max - min)) * plotW;
  const rows = groups.reduce((n, g) => n + g.rows.length, 0);
  const height = top + rows * rowH + groups.length * gap + 22;
  const parts: string[] = [];
  const tickList = ticks(min, max);
  for (const t of tickList) {
    parts.push(`<line x1="${x(t)}" y1="${top - 6}" x2="${x(t)}" y2="${height - 18}" class="grid"/>`);
    parts.push(`<text x="${x(t)}" y="${top - 10}" class="tick" text-anchor="middle">${fmt(t, Math.abs(max - min) < 0.2 ? 3 : 2)}</text>`);
  }
  if (opts.zero && min < 0 && max > 0) parts.push(`<line x1="${x(0)}" y1="${top - 6}" x2="${x(0)}" y2="${height - 18}" class="zero"/>`);
  if (opts.reference && opts.reference.value > min && opts.reference.value < max) {
    const rx = x(opts.reference.value);
    parts.push(`<line x1="${rx}" y1="${top - 6}" x2="${rx}" y2="${height - 18}" class="zero"/><text x="${rx + 4}" y="${height - 6}" class="axis">${esc(opts.reference.label)}</text>`);
  }
  let y = top;
  groups.forEach((g, gi) => {
    if (gi % 2 === 0) parts.push(`<rect x="0" y="${y - 2}" width="${width}" height="${g.rows.length * rowH + 4}" class="band"/>`);
    parts.push(`<text x="8" y="${y + rowH * 0.7}" class="label">${esc(g.label)}</text>`);
    for (const r of g.rows) {
      const cy = y + rowH / 2;
      const color = RUN_COLORS[r.series % RUN_COLORS.length];
      if (r.lo !== null && r.lo !== undefined && r.hi !== null && r.hi !== undefined && Number.isFinite(r.lo) && Number.isFinite(r.hi)) {
        parts.push(`<line x1="${x(r.lo)}" y1="${cy}" x2="${x(r.hi)}" y2="${cy}" stroke="${color}" stroke-width="${r.strong ? 3 : 2}"/>`);
        for (const e of [r.lo, r.hi]) parts.push(`<line x1="${x(e)}" y1="${cy - 4}" x2="${x(e)}" y2="${cy + 4}" stroke="${color}" stroke-width="1.5"/>`);
      }
      if (r.value !== null && Number.isFinite(r.value)) {
        parts.push(`<circle cx="${x(r.value)}" cy="${cy}" r="${r.strong ? 5.5 : 4.5}" fill="${color}" class="dot"><title>${esc(r.text ?? fmt(r.value))}</title></circle>`);
      }
      const text = r.text ?? (r.value === null ? 'n/a' : `${fmt(r.value, opts.digits ?? 3)}${r.lo !== null && r.lo !== undefined && r.hi !== null && r.hi !== undefined ? ` [${fmt(r.lo, opts.digits ?? 3)}, ${fmt(r.hi, opts.digits ?? 3)}]` : ''}`);
      parts.push(`<text x="${width - right + 10}" y="${cy + 4}" class="value${r.strong ? ' strong' : ''}" fill="${color}">${esc(text)}</text>`);
      y += rowH;
    }
    y += gap;
  });
  if (opts.label) parts.push(`<text x="${left + plotW / 2}" y="${height - 4}" class="axis" text-anchor="middle">${esc(opts.label)}</text>`);
  return `<svg class="chart forest" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">${parts.join('')}</svg>`;
}

/** Colour of a rate in [0, 1]: white to deep red (NaN: grey hatched by CSS). */
function heat(v: number): string {
  const t = Math.max(0, Math.min(1, v));
  const r = Math.round(255 - t * (255 - 178));
  const g = Math.round(255 - t * (255 - 24));
  const b = Math.round(255 - t * (255 - 43));
  return `rgb(${r},${g},${b})`;
}

export interface HeatCell {
  value: number | null;
  n: number;
  title?: string;
}

/**
 * A heatmap of rates: rows x columns, each cell its rate and n; `caption` above. A column label `a|b` is
 * written on two lines (a language above what is counted).
 */
export function heatmap(rowLabels: string[], colLabels: string[], cells: HeatCell[][], opts: { caption?: string; cellW?: number } = {}): string {
  const cellW = opts.cellW ?? 70;
  const cellH = 22;
  const left = labelWidth(rowLabels, 100);
  const top = (opts.caption ? 40 : 24) + 12;
  const width = left + colLabels.length * cellW + 8;
  const height = top + rowLabels.length * cellH + 6;
  const parts: string[] = [];
  if (opts.caption) parts.push(`<text x="${left}" y="14" class="caption">${esc(opts.caption)}</text>`);
  colLabels.forEach((c, j) => {
    const [a, b] = c.includes('|') ? c.split('|') : ['', c];
    const cx = left + j * cellW + cellW / 2;
    if (a) parts.push(`<text x="${cx}" y="${top - 20}" class="label" text-anchor="middle">${esc(a)}</text>`);
    parts.push(`<text x="${cx}" y="${top - 7}" class="tick" text-anchor="middle">${esc(b)}</text>`);
  });
  rowLabels.forEach((r, i) => {
    const y = top + i * cellH;
    parts.push(`<text x="${left - 8}" y="${y + cellH * 0.68}" class="label" text-anchor="end">${esc(r)}</text>`);
    colLabels.forEach((_, j) => {
      const c = cells[i][j];
      const x = left + j * cellW;
      const v = c.value;
      const fill = v === null || !Number.isFinite(v) ? '#eee' : heat(v);
      parts.push(`<rect x="${x + 1}" y="${y + 1}" width="${cellW - 2}" height="${cellH - 2}" fill="${fill}" class="cell"><title>${esc(c.title ?? '')}</title></rect>`);
      if (v !== null && Number.isFinite(v)) parts.push(`<text x="${x + cellW / 2}" y="${y + cellH * 0.68}" class="cellText${v > 0.55 ? ' light' : ''}" text-anchor="middle">${Math.round(v * 100)}%</text>`);
    });
  });
  return `<svg class="chart heat" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">${parts.join('')}</svg>`;
}

export interface StackedRow {
  label: string;
  parts: { name: string; value: number; color: string }[];
}

/** Horizontal 100% stacked bars (label outcomes per run), with a legend. */
export function stackedBars(rows: StackedRow[], opts: { width?: number } = {}): string {
  const left = labelWidth(rows.map((r) => r.label), 120);
  const width = (opts.width ?? 540) + left;
  const barH = 18;
  const top = 26;
  const plotW = width - left - 20;
  const names = [...new Map(rows.flatMap((r) => r.parts.map((p) => [p.name, p.color] as const))).entries()];
  const parts: string[] = [];
  let lx = left;
  for (const [name, color] of names) {
    parts.push(`<rect x="${lx}" y="6" width="12" height="12" fill="${color}"/><text x="${lx + 16}" y="16" class="tick">${esc(name)}</text>`);
    lx += 26 + name.length * 7;
  }
  rows.forEach((r, i) => {
    const y = top + i * (barH + 6);
    const total = r.parts.reduce((s, p) => s + p.value, 0) || 1;
    parts.push(`<text x="${left - 8}" y="${y + barH * 0.72}" class="label" text-anchor="end">${esc(r.label)}</text>`);
    let x = left;
    for (const p of r.parts) {
      const w = (p.value / total) * plotW;
      if (w <= 0) continue;
      parts.push(`<rect x="${x}" y="${y}" width="${w}" height="${barH}" fill="${p.color}"><title>${esc(`${p.name}: ${p.value} (${((p.value / total) * 100).toFixed(1)}%)`)}</title></rect>`);
      if (w > 34) parts.push(`<text x="${x + w / 2}" y="${y + barH * 0.72}" class="cellText light" text-anchor="middle">${Math.round((p.value / total) * 100)}%</text>`);
      x += w;
    }
  });
  const height = top + rows.length * (barH + 6) + 4;
  return `<svg class="chart stacked" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">${parts.join('')}</svg>`;
}
