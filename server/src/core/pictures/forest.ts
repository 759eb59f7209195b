/**
 * Forest plots as SVG in RevMan 5's layout (contract section 8): per-arm data
 * columns under the arms' descriptions, the weight, the effect with its CI as
 * text and as a square sized by weight, subgroups under their names with their
 * subtotal rows, heterogeneity and overall-effect lines, the total's diamond, the
 * test for subgroup differences, and the axis with the labels under it. Column
 * widths follow the widest entry (text-width.ts), so no text overlaps another.
 * Rows carry `data-offset`: where their data row is in the protocol.
 */
import { NO_TOTALS, OVERALL_TOTAL, SUBGROUP_TOTALS } from "../../../../schemas/src/domain";
import type { MetaAnalysisModel, DataRowModel } from "../model/meta-analyses";
import { favoursLabels, forestAxis, type Axis } from "./forest-axis";
import {
  fixed,
  formatEffect,
  formatHeterogeneity,
  formatOverall,
  formatPrediction,
  formatSubgroupDifferences,
  measureTitle,
  methodName,
  NOT_ESTIMABLE,
  plain,
} from "./format";
import type { MetaAnalysisResult, Pooled, StudyResult } from "../stats/pooling";
import { esc, px, svgDocument } from "./svg";
import { textWidth, wrapText } from "./text-width";
import { appendAll, maxOf } from "../syntax/arrays";

export interface ForestContext {
  /** The arms' descriptions (their ids when they have none), [experimental, control]. */
  arms: [string, string];
  /** The outcome's `direction`. */
  direction?: string;
}

/** The layout, in pixels. */
const LAYOUT = {
  /** The font size of the rows. */
  size: 12,
  /** A row's height, and the height of one line of a header. */
  row: 18,
  line: 15,
  /** Between columns, and around the picture. */
  gap: 14,
  pad: 10,
  plotWidth: 220,
  /** Arm descriptions and labels wider than this (and than their columns) wrap. */
  headerWidth: 150,
  labelWidth: 170,
} as const;
const { size: SIZE, row: ROW, line: LINE, gap: GAP, pad: PAD, plotWidth: PLOT_WIDTH, headerWidth: HEADER_WIDTH, labelWidth: LABEL_WIDTH } = LAYOUT;
const STUDY_COLOUR = "#0072B2";

type Align = "start" | "middle" | "end";
interface Column {
  key: string;
  header: string;
  /** The header spanning it: 0 experimental arm, 1 control arm, "effect" the measure. */
  group?: 0 | 1 | "effect";
  align: Align;
  width: number;
  x: number;
}

type Cells = Partial<Record<string, string>>;
type Row =
  | { kind: "heading"; text: string }
  | { kind: "study"; cells: Cells; result: StudyResult; model?: DataRowModel; note?: number }
  | { kind: "total"; cells: Cells; pooled: Pooled | null }
  /** Section 8.1's prediction interval: a bar under the total's diamond. */
  | { kind: "prediction"; cells: Cells; interval: [number, number] }
  | { kind: "line"; cells: Cells; footnote?: boolean }
  | { kind: "gap"; footnote?: boolean };

const BOLD_ROWS = new Set(["heading", "total"]);

function columnsOf(a: MetaAnalysisModel, weights: boolean): Column[] {
  const col = (key: string, header: string, group?: Column["group"], align: Align = "end"): Column => ({ key, header, group, align, width: 0, x: 0 });
  const data = a.measure?.data;
  const arm = (i: 0 | 1): Column[] => {
    if (data === "dichotomous") return [col(`e${i}`, "Events", i), col(`n${i}`, "Total", i)];
    if (data === "continuous") return [col(`m${i}`, "Mean", i), col(`s${i}`, "SD", i), col(`n${i}`, "Total", i)];
    return [];
  };
  const generic = data === "generic";
  const giv: Column[] = generic ? [col("estimate", a.spec?.logScale ? `log[${measureTitle(a)}]` : measureTitle(a)), col("se", "SE")] : [];
  const givTotals = generic && a.groups.some((g) => g.rows.some((r) => r.row?.kind === "generic" && r.row.total)) ? [col("n0", "Total", 0), col("n1", "Total", 1)] : [];
  return [
    col("study", "Study or Subgroup", undefined, "start"),
    ...giv,
    ...arm(0),
    ...arm(1),
    ...givTotals,
    ...(weights ? [col("weight", "Weight")] : []),
    col("effect", a.result ? methodName(a.result) : "", "effect", "middle"),
  ];
}

/** A study row's data cells. */
function dataCells(model: DataRowModel | undefined): Cells {
  const r = model?.row;
  if (!r) return {};
  if (r.kind === "dichotomous") return { e0: String(r.events[0]), n0: String(r.total[0]), e1: String(r.events[1]), n1: String(r.total[1]) };
  if (r.kind === "continuous") return { m0: plain(r.mean[0]), s0: plain(r.sd[0]), n0: String(r.total[0]), m1: plain(r.mean[1]), s1: plain(r.sd[1]), n1: String(r.total[1]) };
  return { estimate: fixed(r.estimate, 4), se: fixed(r.se, 4), ...(r.total ? { n0: String(r.total[0]), n1: String(r.total[1]) } : {}) };
}

/** Sums of a group of rows as RevMan shows them under a total: participants and events, every row as given. */
function sums(models: readonly (DataRowModel | undefined)[]): { cells: Cells; events?: Cells } {
  const n: [number, number] = [0, 0];
  const e: [number, number] = [0, 0];
  let dichotomous = false;
  let counted = false;
  for (const m of models) {
    const r = m?.row;
    if (!r) continue;
    const total = r.total;
    if (total) {
      counted = true;
      n[0] += total[0];
      n[1] += total[1];
    }
    if (r.kind === "dichotomous") {
      dichotomous = true;
      e[0] += r.events[0];
      e[1] += r.events[1];
    }
  }
  return { cells: counted ? { n0: String(n[0]), n1: String(n[1]) } : {}, events: dichotomous ? { study: "Total events", e0: String(e[0]), e1: String(e[1]) } : undefined };
}

/** The rows of the plot, in RevMan's order. */
function rowsOf(a: MetaAnalysisModel, r: MetaAnalysisResult): Row[] {
  const rows: Row[] = [];
  const spec = a.spec!;
  const subgrouped = a.groups.some((g) => g.name !== null);
  const pooling = spec.totals === OVERALL_TOTAL || (spec.totals === SUBGROUP_TOTALS && subgrouped);
  const notes: string[] = [];
  const models: (DataRowModel | undefined)[] = [];
  let k = 0;
  a.groups.forEach((g, gi) => {
    if (subgrouped) rows.push({ kind: "heading", text: g.name || `Subgroup ${gi + 1}` });
    const members: (DataRowModel | undefined)[] = [];
    let weight = 0;
    for (const model of g.rows.filter((x) => x.row)) {
      const s = r.studies[k++]!;
      members.push(model);
      weight += s.weight ?? 0;
      let note: number | undefined;
      if (model.note) note = notes.push(`${model.study}: ${model.note}`);
      const study = `${s.study}${note ? ` (${note})` : ""}`;
      rows.push({ kind: "study", result: s, model, note, cells: { ...dataCells(model), study, weight: s.weight !== null ? `${fixed(s.weight, 1)}%` : "", effect: formatEffect(s.effect, s.ci) } });
    }
    appendAll(models, members);
    const sub = r.subgroups[gi];
    if (!subgrouped || !pooling || !sub) return;
    const { cells, events } = sums(members);
    const shown = spec.totals === SUBGROUP_TOTALS ? 100 : weight;
    rows.push({ kind: "total", pooled: sub.pooled, cells: { ...cells, study: "Subtotal (95% CI)", weight: sub.pooled ? `${fixed(shown, 1)}%` : "", effect: sub.pooled ? formatEffect(sub.pooled.effect, sub.pooled.ci) : NOT_ESTIMABLE } });
    appendAll(rows, predictionRows(sub.pooled, r, sub.failure));
    if (events) rows.push({ kind: "line", cells: events });
    rows.push({ kind: "line", cells: { study: formatHeterogeneity(sub.pooled ? sub.heterogeneity : null, r) } });
    rows.push({ kind: "line", cells: { study: formatOverall(sub.pooled) } });
    rows.push({ kind: "gap" });
  });
  if (spec.totals === OVERALL_TOTAL) {
    const { cells, events } = sums(models);
    rows.push({ kind: "total", pooled: r.pooled, cells: { ...cells, study: "Total (95% CI)", weight: r.pooled ? "100.0%" : "", effect: r.pooled ? formatEffect(r.pooled.effect, r.pooled.ci) : NOT_ESTIMABLE } });
    appendAll(rows, predictionRows(r.pooled, r, r.failure));
    if (events) rows.push({ kind: "line", cells: events });
    rows.push({ kind: "line", cells: { study: formatHeterogeneity(r.pooled ? r.heterogeneity : null, r) } });
    rows.push({ kind: "line", cells: { study: formatOverall(r.pooled) } });
  }
  if (spec.totals !== NO_TOTALS) rows.push({ kind: "line", cells: { study: formatSubgroupDifferences(r.subgroupDifferences) } });
  if (notes.length) {
    rows.push({ kind: "gap", footnote: true });
    rows.push({ kind: "line", cells: { study: "Footnotes" }, footnote: true });
    notes.forEach((n, i) => rows.push({ kind: "line", cells: { study: `(${i + 1}) ${n}` }, footnote: true }));
  }
  return rows;
}

/** Under a total: its prediction interval when asked (a bar, or why there is none), or why the total was not computed. */
function predictionRows(p: Pooled | null, r: MetaAnalysisResult, failure: string | undefined): Row[] {
  if (failure) return [{ kind: "line", cells: { study: `Not computed: ${failure}` } }];
  const text = formatPrediction(p, r);
  if (!text) return [];
  if (!p?.prediction) return [{ kind: "line", cells: { study: text } }];
  return [{ kind: "prediction", interval: p.prediction, cells: { study: "Prediction interval", effect: `[${fixed(p.prediction[0])}, ${fixed(p.prediction[1])}]` } }];
}

/** A text that spans the table (heading, heterogeneity, footnote): only its study cell, and no other cell in its row. */
const spans = (row: Row) => row.kind === "heading" || (row.kind === "line" && Object.keys(row.cells).length === 1);

/** Each column as wide as its widest entry; the arms' and the measure's headers (wrapped) widen what they span, evenly. */
function layoutColumns(columns: Column[], rows: readonly Row[], groupHeaders: Record<string, string>): { plotX: number; headers: Record<string, string[]> } {
  for (const c of columns) {
    c.width = textWidth(c.header, SIZE, true);
    for (const row of rows) {
      if (row.kind === "gap" || (c.key === "study" && spans(row))) continue;
      const text = row.kind === "heading" ? undefined : row.cells[c.key];
      if (text) c.width = Math.max(c.width, textWidth(text, SIZE, BOLD_ROWS.has(row.kind)));
    }
  }
  const headers: Record<string, string[]> = {};
  for (const [group, label] of Object.entries(groupHeaders)) {
    const spanned = columns.filter((c) => String(c.group) === group);
    const span = spanned.reduce((s, c) => s + c.width, 0) + GAP * (spanned.length - 1);
    const lines = wrapText(label, Math.max(span, HEADER_WIDTH), SIZE, true);
    headers[group] = lines;
    const need = maxOf(lines.map((l) => textWidth(l, SIZE, true))) - span;
    if (spanned.length && need > 0) for (const c of spanned) c.width += need / spanned.length;
  }
  let x = PAD;
  for (const c of columns) {
    c.x = x;
    x += c.width + GAP;
  }
  return { plotX: x, headers };
}

function anchorX(c: Column): number {
  return c.align === "start" ? c.x : c.align === "end" ? c.x + c.width : c.x + c.width / 2;
}

function text(x: number, y: number, content: string, align: Align = "start", attrs = ""): string {
  return `<text x="${px(x)}" y="${px(y)}"${align !== "start" ? ` text-anchor="${align}"` : ""}${attrs}>${esc(content)}</text>`;
}

interface Plot {
  x: number;
  width: number;
  axis: Axis;
  /** Analysis scale → x, not clipped. */
  at: (v: number) => number;
}

/** A CI line with arrows where it leaves the axis, and the square (when the estimate is on the axis). */
function studyMark(plot: Plot, y: number, s: StudyResult, ratio: boolean, half: number): string {
  if (s.effect === null || !s.ci) return "";
  const t = (v: number) => (ratio ? Math.log(v) : v);
  const [lo, hi] = [t(s.ci[0]), t(s.ci[1])];
  const { x, width, axis } = plot;
  const x1 = Math.max(x, plot.at(lo));
  const x2 = Math.min(x + width, plot.at(hi));
  const parts = [`<line x1="${px(x1)}" y1="${px(y)}" x2="${px(x2)}" y2="${px(y)}" stroke="#000" stroke-width="1"/>`];
  if (lo < axis.lo) parts.push(arrow(x, y, -1));
  if (hi > axis.hi) parts.push(arrow(x + width, y, 1));
  const e = t(s.effect);
  if (e >= axis.lo && e <= axis.hi) parts.push(`<rect x="${px(plot.at(e) - half)}" y="${px(y - half)}" width="${px(2 * half)}" height="${px(2 * half)}" fill="${STUDY_COLOUR}"/>`);
  return parts.join("");
}

function arrow(x: number, y: number, direction: 1 | -1): string {
  return `<polygon class="arrow" points="${px(x)},${px(y)} ${px(x - direction * 6)},${px(y - 3.5)} ${px(x - direction * 6)},${px(y + 3.5)}" fill="#000"/>`;
}

/** The prediction interval: a bar as high as the diamond, arrows where it leaves the axis. */
function predictionBar(plot: Plot, y: number, interval: [number, number], ratio: boolean): string {
  const t = (v: number) => (ratio ? Math.log(v) : v);
  const [lo, hi] = [t(interval[0]), t(interval[1])];
  const x1 = Math.max(plot.x, plot.at(lo));
  const x2 = Math.min(plot.x + plot.width, plot.at(hi));
  const parts = [`<rect x="${px(x1)}" y="${px(y - 3)}" width="${px(Math.max(1, x2 - x1))}" height="6" fill="#fff" stroke="#000" stroke-width="1"/>`];
  if (lo < plot.axis.lo) parts.push(arrow(plot.x, y, -1));
  if (hi > plot.axis.hi) parts.push(arrow(plot.x + plot.width, y, 1));
  return parts.join("");
}

function diamond(plot: Plot, y: number, p: Pooled, ratio: boolean): string {
  const t = (v: number) => (ratio ? Math.log(v) : v);
  const clip = (v: number) => Math.min(plot.x + plot.width, Math.max(plot.x, plot.at(v)));
  const [lo, mid, hi] = [t(p.ci[0]), t(p.effect), t(p.ci[1])];
  const parts = [`<polygon points="${px(clip(lo))},${px(y)} ${px(clip(mid))},${px(y - 6)} ${px(clip(hi))},${px(y)} ${px(clip(mid))},${px(y + 6)}" fill="#000"/>`];
  if (lo < plot.axis.lo) parts.push(arrow(plot.x, y, -1));
  if (hi > plot.axis.hi) parts.push(arrow(plot.x + plot.width, y, 1));
  return parts.join("");
}

export function forestSvg(a: MetaAnalysisModel, ctx: ForestContext): string {
  const r = a.result;
  const title = a.name ?? a.id;
  if (!r || !a.spec) {
    const message = `${title}: cannot be computed (check its measure${a.measure?.data === "generic" ? " and scale" : ""}).`;
    return svgDocument(textWidth(message, SIZE) + 2 * PAD, 40, `Forest plot: ${title}`, [text(PAD, 24, message)], ` data-analysis="${esc(a.id)}"`);
  }
  const rows = rowsOf(a, r);
  const columns = columnsOf(a, a.spec.totals !== NO_TOTALS);
  const measure = measureTitle(a);
  const method = methodName(r);
  const groupHeaders: Record<string, string> = { effect: measure };
  if (columns.some((c) => c.group === 0)) Object.assign(groupHeaders, { 0: ctx.arms[0], 1: ctx.arms[1] });
  const { plotX, headers } = layoutColumns(columns, rows, groupHeaders);
  const plotWidth = Math.max(PLOT_WIDTH, textWidth(measure, SIZE, true), textWidth(method, SIZE, true));
  const ratio = r.ratio;
  const cis = [...r.studies.flatMap((s) => (s.ci ? [s.ci] : [])), ...rows.flatMap((row) => (row.kind === "total" && row.pooled ? [row.pooled.ci] : row.kind === "prediction" ? [row.interval] : []))];
  const axis = forestAxis(cis, ratio, a.axisScale);
  const plot: Plot = { x: plotX, width: plotWidth, axis, at: (v) => plotX + ((v - axis.lo) / (axis.hi - axis.lo)) * plotWidth };

  const body: string[] = [text(PAD, 20, title, "start", ` font-size="14" font-weight="bold"`)];
  // Headers: the arms' descriptions and the measure over their columns (bottom-aligned), then each column's name.
  const headerLines = maxOf(Object.values(headers).map((l) => l.length));
  const columnY = 44 + (headerLines - 1) * LINE + 18;
  for (const [group, lines] of Object.entries(headers)) {
    const spanned = columns.filter((c) => String(c.group) === group);
    const centre = (spanned[0]!.x + spanned[spanned.length - 1]!.x + spanned[spanned.length - 1]!.width) / 2;
    lines.forEach((line, i) => body.push(text(centre, columnY - 18 - (lines.length - 1 - i) * LINE, line, "middle", ` font-weight="bold"`)));
  }
  const plotCentre = plotX + plotWidth / 2;
  body.push(`<g class="measure-header"><title>${esc(`${measure} ${method}`)}</title>${text(plotCentre, columnY - 18, measure, "middle", ` font-weight="bold"`)}${text(plotCentre, columnY, method, "middle", ` font-weight="bold"`)}</g>`);
  for (const c of columns) body.push(text(anchorX(c), columnY, c.header, c.key === "study" ? "start" : c.align, ` font-weight="bold"`));

  // Rows, then the axis under the last row with a mark; what follows it goes beside the axis when it fits, else below.
  const ys: number[] = [];
  let y = columnY + 22;
  for (const row of rows) {
    ys.push(y);
    y += row.kind === "gap" ? 8 : ROW;
  }
  const lastMark = rows.reduce((last, row, i) => (row.kind === "study" || row.kind === "total" || row.kind === "prediction" ? i : last), -1);
  const axisY = (lastMark >= 0 ? ys[lastMark]! : columnY + 22) + 8;
  const nullX = plot.at(0);
  const [left, right] = favoursLabels(a.labels, ctx.direction, ctx.arms).map((l) => wrapText(l, LABEL_WIDTH, SIZE)) as [string[], string[]];
  const labelsBottom = axisY + 32 + (Math.max(left.length, right.length) - 1) * LINE;
  const leftStart = nullX - 8 - maxOf(left.map((l) => textWidth(l, SIZE)));
  // The footnotes always come last, under the labels.
  const notesAt = rows.findIndex((row) => (row.kind === "line" || row.kind === "gap") && row.footnote);
  const tailEndsAt = notesAt < 0 ? rows.length : notesAt;
  const tail = rows.slice(lastMark + 1, tailEndsAt);
  const tailEnd = maxOf(tail.map((row) => rowEnd(row, columns)), PAD);
  const axisStart = Math.min(plotX - textWidth(axis.ticks[0]?.label ?? "", 10) / 2 - 2, leftStart);
  const moveDown = (from: number, to: number, top: number) => {
    const shift = top - (ys[from] ?? top);
    for (let i = from; i < to; i++) ys[i]! += Math.max(0, shift);
  };
  // Too wide to stand beside the axis: below the labels under it.
  if (tail.length && tailEnd + GAP > axisStart) moveDown(lastMark + 1, ys.length, labelsBottom + ROW);
  if (notesAt >= 0) moveDown(notesAt, ys.length, Math.max(labelsBottom + 8, (ys[notesAt - 1] ?? 0) + ROW - 10));

  const maxWeight = maxOf(r.studies.map((s) => s.weight ?? 0), 0);
  rows.forEach((row, i) => row.kind !== "gap" && body.push(renderRow(row, ys[i]!, columns, plot, ratio, maxWeight)));
  appendAll(body, axisMarks(plot, columnY + 8, axisY, left, right));
  const bottom = Math.max(labelsBottom + 8, ys.length ? ys[ys.length - 1]! + 8 : 0) + PAD;
  const rightEnd = maxOf(
    rows.map((row) => (row.kind === "line" || row.kind === "heading" ? rowEnd(row, columns) : 0)),
    Math.max(plotX + plotWidth + PAD, nullX + 8 + maxOf(right.map((l) => textWidth(l, SIZE))), textWidth(title, 14, true) + PAD),
  );
  return svgDocument(rightEnd + PAD, bottom, `Forest plot: ${title}`, body, ` data-analysis="${esc(a.id)}"`);
}

/** The right end of a row's spanning text. */
function rowEnd(row: Row, columns: readonly Column[]): number {
  if (row.kind === "heading") return PAD + textWidth(row.text, SIZE, true);
  if (row.kind !== "line") return PAD;
  if (!spans(row)) return maxOf(columns.filter((c) => row.cells[c.key]).map((c) => c.x + c.width), PAD);
  return PAD + textWidth(row.cells.study ?? "", SIZE);
}

function renderRow(row: Row, y: number, columns: readonly Column[], plot: Plot, ratio: boolean, maxWeight: number): string {
  if (row.kind === "gap") return "";
  if (row.kind === "heading") return text(PAD, y, row.text, "start", ` font-weight="bold" class="subgroup"`);
  if (spans(row) && row.kind === "line") return text(PAD, y, row.cells.study ?? "");
  const bold = row.kind === "total" ? ` font-weight="bold"` : "";
  const cells = columns.filter((c) => row.cells[c.key]).map((c) => text(anchorX(c), y, row.cells[c.key]!, c.align, bold));
  if (row.kind === "line") return cells.join("");
  if (row.kind === "total") {
    const mark = row.pooled ? diamond(plot, y - 4, row.pooled, ratio) : "";
    return `<g class="pooled">${cells.join("")}${mark}</g>`;
  }
  if (row.kind === "prediction") return `<g class="prediction"><title>${esc(`95% prediction interval ${row.cells.effect}`)}</title>${cells.join("")}${predictionBar(plot, y - 4, row.interval, ratio)}</g>`;
  const s = row.result;
  const half = s.weight !== null && maxWeight > 0 ? Math.max(1.5, 6.5 * Math.sqrt(s.weight / maxWeight)) : 3.5;
  const tip = `${s.study}: ${formatEffect(s.effect, s.ci)}${s.weight !== null ? `, weight ${fixed(s.weight, 1)}%` : ""}${row.model?.note ? ` — ${row.model.note}` : ""}`;
  const offset = row.model ? ` data-offset="${row.model.key.start}"` : "";
  return `<g class="study"${offset}><title>${esc(tip)}</title>${cells.join("")}${studyMark(plot, y - 4, s, ratio, half)}</g>`;
}

/** The line of no effect, the axis with its ticks, and the labels under it. */
function axisMarks(plot: Plot, top: number, axisY: number, left: readonly string[], right: readonly string[]): string[] {
  const { x, width, axis } = plot;
  const nullX = plot.at(0);
  const out = [
    `<g class="axis"><line x1="${px(nullX)}" y1="${top}" x2="${px(nullX)}" y2="${px(axisY)}" stroke="#666" stroke-width="1"/>`,
    `<line x1="${px(x)}" y1="${px(axisY)}" x2="${px(x + width)}" y2="${px(axisY)}" stroke="#000" stroke-width="1"/>`,
  ];
  // Tick labels that would touch the previous one are left out (the ends are always kept).
  const kept: Axis["ticks"] = [];
  const end = (t: Axis["ticks"][number]) => plot.at(t.at) + textWidth(t.label, 10) / 2 + 2;
  const start = (t: Axis["ticks"][number]) => plot.at(t.at) - textWidth(t.label, 10) / 2 - 2;
  for (const t of axis.ticks) {
    if (kept.length && start(t) < end(kept[kept.length - 1]!)) {
      if (t !== axis.ticks[axis.ticks.length - 1] || kept.length === 1) continue;
      kept.pop();
    }
    kept.push(t);
  }
  for (const t of kept) {
    const at = plot.at(t.at);
    out.push(`<line x1="${px(at)}" y1="${px(axisY)}" x2="${px(at)}" y2="${px(axisY + 4)}" stroke="#000"/>${text(at, axisY + 15, t.label, "middle", ` font-size="10"`)}`);
  }
  out.push("</g>");
  const lines = (labels: readonly string[], x: number, align: Align) => labels.map((l, i) => text(x, axisY + 32 + i * LINE, l, align)).join("");
  out.push(`<g class="favours"><g class="left">${lines(left, nullX - 8, "end")}</g><g class="right">${lines(right, nullX + 8, "start")}</g></g>`);
  return out;
}
