/**
 * The PRISMA 2020 flow diagram (contract section 12; Page et al., BMJ 2021) as
 * SVG from the `flow` counts: the template's boxes and arrows — identification,
 * screening, included; the databases and registers column, the other-methods
 * column when its counts are given, the previous-studies box for updates — the
 * full-text exclusion reasons listed, each box as wide and tall as its text,
 * a box whose count breaks an equation marked, the equation in its tooltip.
 * Each count's box jumps to the count (`data-offset`).
 */
import { FLOW_FIELDS, FLOW_OTHER_METHODS } from "../../../../schemas/src/domain";
import { flowBalances } from "../checks/flow";
import type { FlowModel } from "../model/evidence";
import { maxOf } from "../syntax/arrays";
import { esc, px, svgDocument } from "./svg";
import { textWidth, wrapText } from "./text-width";

interface Line {
  text: string;
  bold?: boolean;
  indent?: boolean;
}

interface Box {
  lines: Line[];
  /** The counts it shows (for the marks and the jump). */
  fields: string[];
  col: Column;
  row: number;
}

type Column = "previous" | "main" | "mainSide" | "others" | "othersSide";

const FONT = 12;
const LINE = 15;
const PAD = 8;
const MAX_TEXT = 250;
const GAP_X = 36;
const GAP_Y = 26;
const BAR = 26;
const BAD = "#D55E00";

const label = (field: string) => FLOW_FIELDS.find((f) => f.id === field)?.label ?? field;

/** "Records screened (n = 953)", or "(n not given)"; a map's parts on their own lines. */
function countLines(flow: FlowModel, field: string, name = label(field)): Line[] {
  const c = flow.counts.get(field);
  if (!c) return [{ text: `${name} (n not given)` }];
  return [{ text: `${name} (n = ${c.value})` }, ...partLines(c.parts ?? [])];
}

/** A box lists at most this many parts of a map count (databases, reasons); the rest in one line. */
const MAX_PARTS = 40;

/** A line per part (a database, a reason), the ones beyond MAX_PARTS summed in one. */
function partLines(parts: readonly { name: string; count: number }[]): Line[] {
  const lines: Line[] = parts.slice(0, MAX_PARTS).map((p) => ({ text: `${p.name} (n = ${p.count})`, indent: true }));
  if (parts.length > MAX_PARTS) {
    const rest = parts.slice(MAX_PARTS);
    lines.push({ text: `${rest.length} more (n = ${rest.reduce((s, p) => s + p.count, 0)})`, indent: true });
  }
  return lines;
}

const given = (flow: FlowModel, fields: readonly string[]) => fields.some((f) => flow.counts.has(f));

/** The reasons box of a full-text exclusion count: "Reports excluded:" and a line per reason. */
function exclusionLines(flow: FlowModel, field: string): Line[] {
  const c = flow.counts.get(field);
  if (!c?.parts) return countLines(flow, field);
  return [{ text: `${label(field)} (n = ${c.value}):` }, ...partLines(c.parts)];
}

function mainBoxes(flow: FlowModel, previous: boolean): Box[] {
  const box = (col: Column, row: number, lines: Line[], fields: string[]): Box => ({ lines, fields, col, row });
  const boxes = [
    box("main", 0, [{ text: "Records identified from:", bold: true }, ...countLines(flow, "database_results"), ...countLines(flow, "register_results")], ["database_results", "register_results"]),
    box(
      "mainSide",
      0,
      [{ text: "Records removed before screening:", bold: true }, ...countLines(flow, "duplicates"), ...countLines(flow, "excluded_automatic"), ...countLines(flow, "excluded_other")],
      ["duplicates", "excluded_automatic", "excluded_other"],
    ),
    box("main", 1, countLines(flow, "records_screened"), ["records_screened"]),
    box("mainSide", 1, countLines(flow, "records_excluded"), ["records_excluded"]),
    box("main", 2, countLines(flow, "dbr_sought_reports"), ["dbr_sought_reports"]),
    box("mainSide", 2, countLines(flow, "dbr_notretrieved_reports"), ["dbr_notretrieved_reports"]),
    box("main", 3, countLines(flow, "dbr_assessed"), ["dbr_assessed"]),
    box("mainSide", 3, exclusionLines(flow, "dbr_excluded"), ["dbr_excluded"]),
    box("main", 4, [...countLines(flow, "new_studies"), ...countLines(flow, "new_reports")], ["new_studies", "new_reports"]),
  ];
  if (previous) {
    boxes.push(box("previous", 0, [...countLines(flow, "previous_studies"), ...countLines(flow, "previous_reports")], ["previous_studies", "previous_reports"]));
    boxes.push(box("main", 5, [...countLines(flow, "total_studies"), ...countLines(flow, "total_reports")], ["total_studies", "total_reports"]));
  }
  return boxes;
}

function otherBoxes(flow: FlowModel): Box[] {
  return [
    {
      col: "others",
      row: 0,
      lines: [{ text: "Records identified from:", bold: true }, ...countLines(flow, "website_results"), ...countLines(flow, "organisation_results"), ...countLines(flow, "citations_results")],
      fields: ["website_results", "organisation_results", "citations_results"],
    },
    { col: "others", row: 2, lines: countLines(flow, "other_sought_reports"), fields: ["other_sought_reports"] },
    { col: "othersSide", row: 2, lines: countLines(flow, "other_notretrieved_reports"), fields: ["other_notretrieved_reports"] },
    { col: "others", row: 3, lines: countLines(flow, "other_assessed"), fields: ["other_assessed"] },
    { col: "othersSide", row: 3, lines: exclusionLines(flow, "other_excluded"), fields: ["other_excluded"] },
  ];
}

/** A box's lines wrapped to the widest a box may be. */
function wrapped(box: Box): Line[] {
  return box.lines.flatMap((l) => wrapText(l.text, MAX_TEXT - (l.indent ? 12 : 0), FONT, l.bold).map((text) => ({ ...l, text })));
}

interface Placed extends Box {
  x: number;
  y: number;
  w: number;
  h: number;
  shown: Line[];
}

interface Layout {
  placed: Placed[];
  colX: Map<Column, [number, number]>;
  rowY: [number, number][];
  headY: number;
  width: number;
  height: number;
}

/** The phases' bars: their names (rotated) need this much height. */
const PHASES = [
  { name: "Identification", rows: [0, 0] },
  { name: "Screening", rows: [1, 3] },
  { name: "Included", rows: [4, 5] },
] as const;

/** The column headings: the text, the columns each spans, and its lines at that width. */
const HEADINGS: readonly { text: string; cols: Column[] }[] = [
  { text: "Previous studies", cols: ["previous"] },
  { text: "Identification of studies via databases and registers", cols: ["main", "mainSide"] },
  { text: "Identification of studies via other methods", cols: ["others", "othersSide"] },
];

function headingSpan(colX: ReadonlyMap<Column, [number, number]>, cols: readonly Column[]): [number, number] | undefined {
  const spans = cols.map((c) => colX.get(c)).filter((s): s is [number, number] => s !== undefined);
  return spans.length ? [spans[0]![0], spans[spans.length - 1]![0] + spans[spans.length - 1]![1]] : undefined;
}

/** Rows as tall as their tallest box, and a phase as tall as its name. */
function rowsOf(size: readonly { h: number; b: Box }[], rows: number, top: number): [number, number][] {
  const rowY: [number, number][] = [];
  const heights = Array.from({ length: rows }, (_, r) => maxOf(size.filter((s) => s.b.row === r).map((s) => s.h), LINE + 2 * PAD));
  for (const phase of PHASES) {
    const [from, to] = [phase.rows[0], Math.min(phase.rows[1], rows - 1)];
    if (from >= rows) continue;
    const need = textWidth(phase.name, FONT, true) + 16;
    const have = heights.slice(from, to + 1).reduce((s, h) => s + h, 0) + (to - from) * GAP_Y;
    if (have < need) heights[to]! += need - have;
  }
  let y = top;
  for (const h of heights) {
    rowY.push([y, h]);
    y += h + GAP_Y;
  }
  return rowY;
}

/** Columns as wide as their widest box, rows as tall as their tallest, the headings above; each box centred in its cell. */
function layout(boxes: Box[], columns: Column[]): Layout {
  const shown = boxes.map((b) => ({ b, lines: wrapped(b) }));
  const size = shown.map(({ b, lines }) => ({
    w: Math.ceil(maxOf(lines.map((l) => textWidth(l.text, FONT, l.bold) + (l.indent ? 12 : 0)), 0)) + 2 * PAD,
    h: lines.length * LINE + 2 * PAD,
    b,
  }));
  const colX = new Map<Column, [number, number]>();
  let x = BAR + 22;
  for (const c of columns) {
    const w = maxOf(size.filter((s) => s.b.col === c).map((s) => s.w), 120);
    colX.set(c, [x, w]);
    x += w + GAP_X;
  }
  const headY = 10;
  const headLines = maxOf(
    HEADINGS.map((h) => {
      const s = headingSpan(colX, h.cols);
      return s ? wrapText(h.text, s[1] - s[0] - 2 * PAD, FONT, true).length : 1;
    }),
    1,
  );
  const rowY = rowsOf(size, maxOf(boxes.map((b) => b.row), 0) + 1, headY + headLines * LINE + 2 * PAD + GAP_Y);
  const placed = shown.map(({ b, lines }, i) => {
    const [cx, cw] = colX.get(b.col)!;
    const [ry, rh] = rowY[b.row]!;
    const { w, h } = size[i]!;
    return { ...b, shown: lines, w, h, x: cx + (cw - w) / 2, y: ry + (rh - h) / 2 };
  });
  const last = rowY[rowY.length - 1]!;
  return { placed, colX, rowY, headY, width: x - GAP_X + 14, height: last[0] + last[1] + 14 };
}

function arrow(points: [number, number][]): string {
  return `<polyline points="${points.map(([x, y]) => `${px(x)},${px(y)}`).join(" ")}" fill="none" stroke="#333" stroke-width="1.2" marker-end="url(#flow-arrow)"/>`;
}

/** The template's arrows between the placed boxes. */
function arrows(placed: Placed[]): string[] {
  const at = (col: Column, row: number) => placed.find((p) => p.col === col && p.row === row);
  const out: string[] = [];
  const down = (a?: Placed, b?: Placed) => a && b && out.push(arrow([[a.x + a.w / 2, a.y + a.h], [b.x + b.w / 2, b.y]]));
  const right = (a?: Placed, b?: Placed) => a && b && out.push(arrow([[a.x + a.w, a.y + a.h / 2], [b.x, a.y + a.h / 2]]));
  for (let r = 0; r < 4; r++) {
    down(at("main", r), at("main", r + 1));
    right(at("main", r), at("mainSide", r));
    right(at("others", r), at("othersSide", r));
  }
  down(at("others", 0), at("others", 2));
  down(at("others", 2), at("others", 3));
  down(at("main", 4), at("main", 5));
  const otherAssessed = at("others", 3);
  const included = at("main", 4);
  if (otherAssessed && included) {
    const x = otherAssessed.x + otherAssessed.w / 2;
    const y = included.y + included.h / 2;
    out.push(arrow([[x, otherAssessed.y + otherAssessed.h], [x, y], [included.x + included.w, y]]));
  }
  const previous = at("previous", 0);
  const total = at("main", 5);
  if (previous && total) {
    const x = previous.x + previous.w / 2;
    const y = total.y + total.h / 2;
    out.push(arrow([[x, previous.y + previous.h], [x, y], [total.x, y]]));
  }
  return out;
}

/** A box: its rectangle (marked when a count in it breaks an equation, the equation as its tooltip) and its lines. */
function boxSvg(p: Placed, flow: FlowModel, broken: ReadonlyMap<string, string>): string {
  const problems = p.fields.map((f) => broken.get(f)).filter((m): m is string => m !== undefined);
  const first = p.fields.map((f) => flow.counts.get(f)).find((c) => c !== undefined);
  const attrs = `${first ? ` data-offset="${first.span.start}"` : ""}${problems.length ? ' data-problem="flow-arithmetic"' : ""}`;
  const rect = `<rect x="${px(p.x)}" y="${px(p.y)}" width="${px(p.w)}" height="${px(p.h)}" fill="#ffffff" stroke="${problems.length ? BAD : "#333"}" stroke-width="${problems.length ? 2.5 : 1}"${problems.length ? ' stroke-dasharray="6 3"' : ""}/>`;
  const texts = p.shown.map(
    (l, i) => `<text x="${px(p.x + PAD + (l.indent ? 12 : 0))}" y="${px(p.y + PAD + i * LINE + 11)}"${l.bold ? ' font-weight="bold"' : ""}>${esc(l.text)}</text>`,
  );
  const title = problems.length ? `<title>${esc(problems.join("\n"))}</title>` : "";
  return `<g${attrs}>${title}${rect}${texts.join("")}</g>`;
}

/** The phase bars at the left (identification, screening, included) and the column headings. */
function frame({ rowY, colX, headY }: Layout): string[] {
  const out: string[] = [];
  for (const phase of PHASES) {
    const [from, to] = [phase.rows[0], Math.min(phase.rows[1], rowY.length - 1)];
    if (from >= rowY.length) continue;
    const [y0] = rowY[from]!;
    const [y1, h1] = rowY[to]!;
    const cy = (y0 + y1 + h1) / 2;
    const cx = 8 + BAR / 2 + 4;
    out.push(`<rect x="8" y="${px(y0)}" width="${BAR}" height="${px(y1 + h1 - y0)}" rx="4" fill="#c5dcef"/>`);
    out.push(`<text x="${px(cx)}" y="${px(cy)}" text-anchor="middle" font-weight="bold" transform="rotate(-90 ${px(cx)} ${px(cy)})">${phase.name}</text>`);
  }
  for (const h of HEADINGS) {
    const span = headingSpan(colX, h.cols);
    if (!span) continue;
    const [x0, x1] = span;
    const lines = wrapText(h.text, x1 - x0 - 2 * PAD, FONT, true);
    out.push(`<rect x="${px(x0)}" y="${px(headY)}" width="${px(x1 - x0)}" height="${px(lines.length * LINE + 2 * PAD)}" rx="4" fill="#f6d96b"/>`);
    lines.forEach((l, i) => out.push(`<text x="${px((x0 + x1) / 2)}" y="${px(headY + PAD + i * LINE + 11)}" text-anchor="middle" font-weight="bold">${esc(l)}</text>`));
  }
  return out;
}

/** The flow diagram of a protocol's `flow`. */
export function prismaFlowSvg(flow: FlowModel): string {
  const previous = given(flow, ["previous_studies", "previous_reports"]);
  const other = given(flow, FLOW_OTHER_METHODS);
  const columns: Column[] = [...(previous ? (["previous"] as const) : []), "main", "mainSide", ...(other ? (["others", "othersSide"] as const) : [])];
  const boxes = [...mainBoxes(flow, previous), ...(other ? otherBoxes(flow) : [])];
  const laid = layout(boxes, columns);
  const broken = new Map<string, string>();
  for (const b of flowBalances(flow)) if (b.total.value !== b.expected) broken.set(b.total.field, `${b.total.field} ${b.total.value} ≠ ${b.fields} = ${b.numbers} = ${b.expected}`);
  const body = [
    `<defs><marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>`,
    ...frame(laid),
    ...arrows(laid.placed),
    ...laid.placed.map((p) => boxSvg(p, flow, broken)),
  ];
  return svgDocument(laid.width, laid.height, "PRISMA 2020 flow diagram", body);
}
