/**
 * Funnel plots as RevMan 5 draws them (contract section 8): each estimable
 * row's effect (log scale for ratios) against its standard error, 0 at the top;
 * a vertical line at the analysis's fixed-effect estimate (M-H, Peto or IV, as
 * it computes it) and dashed pseudo 95% limits (estimate ± 1.96·SE). Under it,
 * Egger's test for small-study effects, or why it was not done. Subgroups get
 * their own marker and a legend. Points carry `data-offset` (their data row).
 */
import type { MetaAnalysisModel, DataRowModel } from "../model/meta-analyses";
import { forestAxis } from "./forest-axis";
import { fixed, formatEffect, formatSmallStudy, measureLabel } from "./format";
import { esc, px, svgDocument } from "./svg";
import { textWidth } from "./text-width";
import { maxOf } from "../syntax/arrays";

const Z_95 = 1.959963984540054;
const PLOT = { x: 70, y: 50, width: 360, height: 260 };
const MARKERS = ["circle", "square", "diamond", "triangle"] as const;
const COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"];

function marker(kind: (typeof MARKERS)[number], x: number, y: number, colour: string): string {
  const style = `fill="none" stroke="${colour}" stroke-width="1.5"`;
  if (kind === "circle") return `<circle cx="${px(x)}" cy="${px(y)}" r="4" ${style}/>`;
  if (kind === "square") return `<rect x="${px(x - 3.5)}" y="${px(y - 3.5)}" width="7" height="7" ${style}/>`;
  if (kind === "diamond") return `<polygon points="${px(x)},${px(y - 5)} ${px(x + 5)},${px(y)} ${px(x)},${px(y + 5)} ${px(x - 5)},${px(y)}" ${style}/>`;
  return `<polygon points="${px(x)},${px(y - 5)} ${px(x + 5)},${px(y + 4)} ${px(x - 5)},${px(y + 4)}" ${style}/>`;
}

/** The SE axis: 0 at the top down to the smallest of 1, 2, 5 × 10ⁿ at or above the largest SE, in 4 or 5 steps. */
function seAxis(maxSe: number): { max: number; ticks: number[] } {
  const m = maxSe > 0 && Number.isFinite(maxSe) ? maxSe : 1;
  const magnitude = 10 ** Math.floor(Math.log10(m));
  const max = [1, 2, 5, 10].map((k) => k * magnitude).find((v) => v >= m * (1 - 1e-12))!;
  const step = max / (max / magnitude <= 2 ? 4 : 5);
  return { max, ticks: Array.from({ length: Math.round(max / step) + 1 }, (_, i) => i * step) };
}

export function funnelSvg(a: MetaAnalysisModel): string {
  const r = a.result;
  const title = `Funnel plot: ${a.name ?? a.id}`;
  const points: { y: number; se: number; group: number; study: string; model?: DataRowModel; effect: string }[] = [];
  let k = 0;
  a.groups.forEach((g, gi) => {
    for (const model of g.rows.filter((x) => x.row)) {
      const s = r?.studies[k++];
      if (s?.estimable && s.y !== undefined && s.v !== undefined) points.push({ y: s.y, se: Math.sqrt(s.v), group: gi, study: s.study, model, effect: formatEffect(s.effect, s.ci) });
    }
  });
  if (!r || r.fixedEffect === null || !points.length) {
    const message = `${a.name ?? a.id}: no estimable study, nothing to plot.`;
    return svgDocument(Math.max(300, textWidth(message, 12) + 20), 40, title, [`<text x="10" y="24">${esc(message)}</text>`], ` data-analysis="${esc(a.id)}"`);
  }
  const ratio = r.ratio;
  const centre = r.fixedEffect;
  const se = seAxis(maxOf(points.map((p) => p.se)));
  const show = (v: number) => (ratio ? Math.exp(v) : v);
  const extent: [number, number][] = [[show(centre - Z_95 * se.max), show(centre + Z_95 * se.max)], ...points.map((p): [number, number] => [show(p.y), show(p.y)])];
  const axis = forestAxis(extent, ratio);
  const xOf = (v: number) => PLOT.x + ((Math.min(axis.hi, Math.max(axis.lo, v)) - axis.lo) / (axis.hi - axis.lo)) * PLOT.width;
  const yOf = (s: number) => PLOT.y + (s / se.max) * PLOT.height;
  const label = measureLabel(a);
  const body: string[] = [`<text x="10" y="22" font-size="14" font-weight="bold">${esc(title)}</text>`];
  body.push(`<rect x="${PLOT.x}" y="${PLOT.y}" width="${PLOT.width}" height="${PLOT.height}" fill="none" stroke="#000"/>`);
  // The pseudo 95% limits, clipped to the frame, and the fixed-effect estimate.
  const bottom = yOf(se.max);
  body.push(`<g class="limits"><line x1="${px(xOf(centre))}" y1="${PLOT.y}" x2="${px(xOf(centre - Z_95 * se.max))}" y2="${px(bottom)}" stroke="#000" stroke-dasharray="4 3"/>`);
  body.push(`<line x1="${px(xOf(centre))}" y1="${PLOT.y}" x2="${px(xOf(centre + Z_95 * se.max))}" y2="${px(bottom)}" stroke="#000" stroke-dasharray="4 3"/></g>`);
  body.push(`<line class="estimate" x1="${px(xOf(centre))}" y1="${PLOT.y}" x2="${px(xOf(centre))}" y2="${px(bottom)}" stroke="#000"/>`);
  for (const t of axis.ticks) {
    const x = xOf(t.at);
    body.push(`<line x1="${px(x)}" y1="${px(bottom)}" x2="${px(x)}" y2="${px(bottom + 4)}" stroke="#000"/><text x="${px(x)}" y="${px(bottom + 16)}" text-anchor="middle" font-size="10">${esc(t.label)}</text>`);
  }
  for (const t of se.ticks) {
    body.push(`<line x1="${PLOT.x - 4}" y1="${px(yOf(t))}" x2="${PLOT.x}" y2="${px(yOf(t))}" stroke="#000"/><text x="${PLOT.x - 7}" y="${px(yOf(t) + 3.5)}" text-anchor="end" font-size="10">${esc(fixed(t, decimalsOf(se.ticks)))}</text>`);
  }
  body.push(`<text x="${px(PLOT.x + PLOT.width / 2)}" y="${px(bottom + 34)}" text-anchor="middle">${esc(label)}</text>`);
  body.push(`<text transform="translate(16,${px(PLOT.y + PLOT.height / 2)}) rotate(-90)" text-anchor="middle">${esc(ratio ? `SE(log[${label}])` : `SE(${label})`)}</text>`);
  const named = a.groups.some((g) => g.name !== null);
  for (const p of points) {
    const offset = p.model ? ` data-offset="${p.model.key.start}"` : "";
    const inside = p.y >= axis.lo && p.y <= axis.hi;
    body.push(`<g class="study"${offset}><title>${esc(`${p.study}: ${p.effect}, SE ${fixed(p.se, 3)}`)}</title>${inside ? marker(MARKERS[p.group % 4]!, xOf(p.y), yOf(p.se), named ? COLOURS[p.group % 4]! : COLOURS[0]!) : ""}</g>`);
  }
  let y = bottom + 56;
  const lines = [formatSmallStudy(r), `Vertical line: the fixed-effect estimate (${fixed(show(centre))}); dashed lines: pseudo 95% confidence limits.`];
  for (const line of lines) {
    body.push(`<text x="10" y="${px(y)}" class="note">${esc(line)}</text>`);
    y += 18;
  }
  if (named) {
    a.groups.forEach((g, gi) => {
      body.push(`${marker(MARKERS[gi % 4]!, 16, y - 4, COLOURS[gi % 4]!)}<text x="28" y="${px(y)}">${esc(g.name || `Subgroup ${gi + 1}`)}</text>`);
      y += 18;
    });
  }
  const width = maxOf(
    [...lines.map((l) => textWidth(l, 12) + 20), ...a.groups.map((g) => 28 + textWidth(g.name ?? "", 12) + 10)],
    Math.max(PLOT.x + PLOT.width + 30, textWidth(title, 14, true) + 20),
  );
  return svgDocument(width, y, title, body, ` data-analysis="${esc(a.id)}"`);
}

/** Enough decimals that the SE ticks differ (0, 0.05, 0.1 …). */
function decimalsOf(ticks: readonly number[]): number {
  const step = ticks[1] ?? 1;
  return Math.max(0, Math.min(6, Math.ceil(-Math.log10(step) - 1e-9) + (Number((step / 10 ** Math.floor(Math.log10(step))).toFixed(6)) % 1 ? 1 : 0)));
}
