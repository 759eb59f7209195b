/**
 * Risk-of-bias and outcome-reporting pictures as SVG, pure functions of the
 * analysed protocol (no browser needed): the traffic-light table (studies ×
 * domains, per outcome for per-outcome tools), the summary bar chart (optionally
 * weighted by participants), and the outcome-reporting matrix with ORBIT letters.
 * Colours are colour-blind safe (Okabe–Ito) and every cell also carries a symbol.
 * Cells carry `data-offset`: where their judgement is in the protocol.
 */
import { ORBIT, OUTCOME_STATUSES, statusById } from "../../../schemas/src/domain";
import type { Analysis } from "./analyse";
import type { AnalysisModel } from "./analyses";
import { forestSvg, type ForestContext } from "./forest";
import { funnelSvg } from "./funnel";
import { esc, svgDocument } from "./svg";
import { textWidth } from "./text-width";
import { sameId } from "./ids";
import { toolFor, toolsInUse, type DomainView, type ToolView } from "./tool";
import type { BiasBlock, DomainJudgements, Judgement } from "./model";

type Tone = "good" | "concern" | "bad" | "severe" | "none" | "unassessed";

const COLOUR: Record<Tone, string> = { good: "#009E73", concern: "#E69F00", bad: "#D55E00", severe: "#CC79A7", none: "#BBBBBB", unassessed: "#FFFFFF" };
const SYMBOL: Record<Tone, string> = { good: "+", concern: "?", bad: "−", severe: "!", none: "·", unassessed: "…" };
const NOT_ASSESSED = "not assessed";
const NO_JUDGEMENT = "no judgement";

interface Cell {
  value?: string;
  offset?: number;
  /** The judgement is there but empty: not yet assessed. */
  unassessed?: boolean;
  /** rob1 per group of outcomes: each group's judgement (the cell shows the most severe). */
  groups?: string[];
  /** QUADAS-2: the applicability concern. */
  applicability?: Cell;
}

interface PlotStudy {
  id: string;
  /** The tool the study is judged with (its design's, else the protocol's). */
  tool?: ToolView;
  participants?: number;
  offset: number;
  /** Per-study tools: domain -> cell, plus "overall". */
  judgements: Map<string, Cell>;
  /** Per-outcome tools: outcome -> domain -> cell. */
  perOutcome: Map<string, Map<string, Cell>>;
  statuses: Map<string, { status?: string; orbit?: string; offset: number }>;
  /** Outcome id -> the analyses in which the study has a data row. */
  data: Map<string, string[]>;
}

export interface PlotData {
  /** Every tool the studies are judged with, the protocol's own first. */
  tools: ToolView[];
  studies: PlotStudy[];
  outcomes: { id: string; name: string; role?: string }[];
  /** A completed review (`stage: review`): a missing status was never recorded, not forgotten. */
  review: boolean;
}

/** A domain's cell: its judgement, or (RoB 1 by groups of outcomes) the most severe of its groups'. */
function cellOfDomain(d: DomainJudgements, tool: ToolView | undefined): Cell {
  if (!d.perGroup) return cellOf(d.entries[0]!);
  const judged = d.entries.filter((j) => j.value !== undefined);
  const worst = [...judged].sort((a, b) => (tool?.severity.get(b.value!) ?? -1) - (tool?.severity.get(a.value!) ?? -1))[0];
  return {
    value: worst?.value,
    offset: (worst ?? d.entries[0])?.span.start,
    unassessed: !worst && d.entries.some((j) => j.empty),
    groups: d.entries.map((j) => `${j.group}: ${j.value ?? NOT_ASSESSED}`),
  };
}

function cellOf(j: Judgement): Cell {
  const cell: Cell = { value: j.value, offset: j.span.start, unassessed: j.empty };
  if (j.applicability) cell.applicability = cellOf(j.applicability);
  return cell;
}

/** Domain -> cell, and "overall". */
function cellsOf(block: BiasBlock, tool: ToolView | undefined): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  for (const d of block.domains) cells.set(d.domain, cellOfDomain(d, tool));
  if (block.overall) cells.set("overall", cellOf(block.overall));
  return cells;
}

/** What the plots show, read from the analysed protocol's model. */
export function plotData(analysis: Analysis): PlotData {
  const tools = toolsInUse(analysis.context.tools);
  const outcomes = analysis.outcomes.map((o) => ({ id: o.id, name: o.name ?? "", role: o.role }));
  const studies: PlotStudy[] = analysis.studies.map(({ model }, i) => {
    const tool = toolFor(analysis.context.tools, model.design?.value);
    const study: PlotStudy = {
      id: model.id?.value ?? `Study ${i + 1}`,
      tool,
      participants: model.participants !== undefined && model.participants > 0 ? model.participants : undefined,
      offset: model.span.start,
      judgements: new Map(),
      perOutcome: new Map(),
      statuses: new Map(),
      data: new Map(),
    };
    if (model.bias?.perOutcome === false) study.judgements = cellsOf(model.bias.block, tool);
    else if (model.bias?.perOutcome) for (const b of model.bias.byOutcome) study.perOutcome.set(b.outcome, cellsOf(b, tool));
    for (const o of model.outcomes ?? []) study.statuses.set(o.id, { status: o.status?.value, orbit: o.orbit?.value, offset: o.span.start });
    return study;
  });
  // Which studies have data in which analyses (matched by id after Unicode normalisation).
  for (const a of analysis.analyses) {
    if (a.outcome === undefined) continue;
    for (const row of a.groups.flatMap((g) => g.rows)) {
      const study = studies.find((s) => sameId(s.id, row.study));
      if (!study) continue;
      const list = study.data.get(a.outcome) ?? [];
      if (!list.includes(a.id)) list.push(a.id);
      study.data.set(a.outcome, list);
    }
  }
  return { tools, studies, outcomes, review: analysis.stage.review };
}


function toneOf(tool: ToolView | undefined, value: string | undefined, unassessed = false): Tone {
  if (unassessed) return "unassessed";
  if (!tool || value === undefined) return "none";
  const rank = tool.severity.get(value);
  if (rank === undefined) return "none";
  if (rank === 0) return "good";
  if (rank === 1) return "concern";
  return rank === 2 ? "bad" : "severe";
}

function svg(width: number, height: number, title: string, body: string[]): string {
  return svgDocument(width, height, title, body);
}

function dot(x: number, y: number, tone: Tone, label: string, cell: Cell | undefined, extra = ""): string {
  const offset = cell?.offset !== undefined ? ` data-offset="${cell.offset}"` : "";
  return (
    `<g class="cell" data-tone="${tone}"${offset}${extra}><title>${esc(label)}</title>` +
    `<circle cx="${x}" cy="${y}" r="11" fill="${COLOUR[tone]}" stroke="#333" stroke-width="0.5"/>` +
    `<text x="${x}" y="${y + 4}" text-anchor="middle" font-size="13" font-weight="bold" fill="#000">${SYMBOL[tone]}</text></g>`
  );
}

/** Every symbol a traffic light uses: the tool's judgements, "not assessed", and "no judgement" when a cell has none. */
function legend(tool: ToolView, x: number, y: number, noJudgement: boolean): { body: string[]; width: number; count: number } {
  const out: string[] = [];
  const judgements = [...(tool.def?.judgements.map((j) => j.id) ?? tool.judgements), NOT_ASSESSED, ...(noJudgement ? [NO_JUDGEMENT] : [])];
  judgements.forEach((j, i) => {
    const tone = j === NOT_ASSESSED ? "unassessed" : j === NO_JUDGEMENT ? "none" : toneOf(tool, j);
    out.push(`<circle cx="${x + 8}" cy="${y + i * 20}" r="7" fill="${COLOUR[tone]}" stroke="#333" stroke-width="0.5"/>`);
    out.push(`<text x="${x + 8}" y="${y + i * 20 + 4}" text-anchor="middle" font-size="10" font-weight="bold">${SYMBOL[tone]}</text>`);
    out.push(`<text x="${x + 22}" y="${y + i * 20 + 4}">${esc(j)}</text>`);
  });
  return { body: out, width: 22 + Math.max(...judgements.map((j) => textWidth(j, 12))), count: judgements.length };
}

/**
 * The domains the plots of `tool` show (contract section 8): those a study of
 * the tool judges, in the tool's order, with rob1's combined `blinding` where
 * the two blinding domains stand. Before anything is judged, the tool's domains.
 */
function shownDomains(tool: ToolView, studies: readonly PlotStudy[]): { d: DomainView; label: string }[] {
  const judged = (id: string) => studies.some((s) => s.judgements.has(id) || [...s.perOutcome.values()].some((b) => b.has(id)));
  const ordered: DomainView[] = [];
  for (const d of tool.domains) {
    if (d.standsFor.length && tool.domains.some((x) => x.id === d.standsFor[0])) continue;
    ordered.push(...tool.domains.filter((c) => c.standsFor[0] === d.id), d);
  }
  const judgedOnes = ordered.filter((d) => judged(d.id));
  const shown = judgedOnes.length ? judgedOnes : ordered.filter((d) => !d.standsFor.length);
  return shown.map((d, i) => {
    const own = tool.def?.domains.find((x) => x.id === d.id)?.label;
    return { d, label: own?.startsWith("D") ? own : `D${i + 1}` };
  });
}

/** Whether some study of the tool gives an overall judgement. */
function judgesOverall(studies: readonly PlotStudy[]): boolean {
  return studies.some((s) => s.judgements.has("overall") || [...s.perOutcome.values()].some((b) => b.has("overall")));
}

/** The traffic-light table of the studies judged with `tool`: a row per study (per study and outcome for per-outcome tools). */
function trafficLightSvg(data: PlotData, tool: ToolView | undefined = data.tools[0]): string {
  if (!tool) return svg(400, 40, "Risk of bias: no tool", [`<text x="10" y="24">No risk-of-bias tool in this protocol (bias.tool).</text>`]);
  const studies = data.studies.filter((s) => s.tool?.id === tool.id);
  const domains = shownDomains(tool, studies);
  const rows: { label: string; cells: Map<string, Cell> }[] = [];
  for (const s of studies) {
    if (tool.per === "outcome") for (const [outcome, block] of s.perOutcome) rows.push({ label: `${s.id} — ${outcome}`, cells: block });
    else rows.push({ label: s.id, cells: s.judgements });
  }
  const applicability = domains.filter(({ d }) => d.applicability).map(({ d }, i) => ({ d, label: `A${i + 1}` }));
  const columns: { id: string; header: string; name: string; applicability?: boolean }[] = [
    ...domains.map(({ d, label }) => ({ id: d.id, header: label, name: d.name })),
    ...(judgesOverall(studies) ? [{ id: "overall", header: "Overall", name: "Overall" }] : []),
    ...applicability.map(({ d, label }) => ({ id: d.id, header: label, name: `Applicability concerns: ${d.name}`, applicability: true })),
  ];
  const labelWidth = Math.ceil(Math.max(120, ...rows.map((r) => textWidth(r.label, 12) + 20)));
  const col = 44;
  const groupGap = applicability.length ? 16 : 0;
  const xOf = (i: number) => labelWidth + i * col + col / 2 + (columns[i]!.applicability ? groupGap : 0);
  const top = applicability.length ? 66 : 50;
  const rowH = 30;
  const tableBottom = top + rows.length * rowH;
  const legendTop = tableBottom + 30;
  const names = [...domains.map(({ d, label }) => `${label}: ${d.name}`), ...applicability.map(({ d, label }) => `${label}: applicability concerns — ${d.name}`)];
  const tones = new Set<Tone>();
  const body: string[] = [`<text x="10" y="20" font-size="14" font-weight="bold">Risk of bias — ${esc(tool.name)}</text>`];
  if (applicability.length) {
    const firstApp = columns.findIndex((c) => c.applicability);
    body.push(`<text x="${(xOf(0) + xOf(firstApp - 1)) / 2}" y="${top - 30}" text-anchor="middle" font-style="italic">Risk of bias</text>`);
    body.push(`<text x="${(xOf(firstApp) + xOf(columns.length - 1)) / 2}" y="${top - 30}" text-anchor="middle" font-style="italic">Applicability concerns</text>`);
  }
  columns.forEach((c, i) => body.push(`<text x="${xOf(i)}" y="${top - 10}" text-anchor="middle" font-weight="bold">${esc(c.header)}</text>`));
  rows.forEach((r, k) => {
    const y = top + k * rowH + rowH / 2;
    body.push(`<g class="row"><text x="10" y="${y + 4}">${esc(r.label)}</text>`);
    columns.forEach((c, i) => {
      const base = r.cells.get(c.id);
      const cell = c.applicability ? base?.applicability : base;
      const tone = toneOf(tool, cell?.value, cell?.unassessed);
      tones.add(tone);
      const shown = cell?.groups ? cell.groups.join("; ") : (cell?.value ?? (cell?.unassessed ? NOT_ASSESSED : NO_JUDGEMENT));
      body.push(dot(xOf(i), y, tone, `${r.label} · ${c.name}: ${shown}`, cell, ` data-domain="${esc(c.id)}"${c.applicability ? ` data-applicability="true"` : ""}`));
    });
    body.push("</g>");
  });
  names.forEach((n, i) => body.push(`<text x="10" y="${legendTop + i * 16}" font-size="11">${esc(n)}</text>`));
  const legendX = Math.ceil(Math.max(labelWidth + columns.length * col + groupGap + 20, 10 + Math.max(0, ...names.map((n) => textWidth(n, 11))) + 30));
  const entries = legend(tool, legendX, legendTop, tones.has("none"));
  body.push(...entries.body);
  const width = Math.max(legendX + entries.width + 10, labelWidth + columns.length * col + groupGap + 20, textWidth(`Risk of bias — ${tool.name}`, 14, true) + 20);
  const height = legendTop + Math.max(names.length * 16, entries.count * 20) + 20;
  return svg(width, height, `Risk of bias traffic-light plot (${tool.id})`, body);
}

/** The summary bar chart: per domain, the share of each judgement (weighted by participants if asked). */
function summarySvg(data: PlotData, weighted = false, tool: ToolView | undefined = data.tools[0]): string {
  if (!tool) return svg(400, 40, "Risk of bias summary: no tool", [`<text x="10" y="24">No risk-of-bias tool in this protocol (bias.tool).</text>`]);
  const judgements = [...(tool.def?.judgements.map((j) => j.id) ?? tool.judgements)];
  const studies = data.studies.filter((s) => s.tool?.id === tool.id);
  // Exactly the traffic light's domains; the overall row only when some study gives an overall judgement.
  const rows = [...shownDomains(tool, studies).map(({ d }) => ({ id: d.id, name: d.name })), ...(judgesOverall(studies) ? [{ id: "overall", name: "Overall risk of bias" }] : [])];
  const barX = Math.ceil(Math.max(330, 30 + Math.max(...rows.map((r) => textWidth(r.name, 12)))));
  const barW = 420;
  const top = 44;
  const rowH = 28;
  const height = top + rows.length * rowH + 60;
  const heading = `Risk of bias summary — ${tool.name}${weighted ? " (weighted by participants)" : ""}`;
  const body: string[] = [`<text x="10" y="20" font-size="14" font-weight="bold">${esc(heading)}</text>`];
  rows.forEach((row, k) => {
    const counts = new Map<string, number>();
    let total = 0;
    const add = (cell: Cell | undefined, w: number) => {
      const value = cell?.value;
      const key = value !== undefined && judgements.includes(value) ? value : cell?.unassessed ? NOT_ASSESSED : NO_JUDGEMENT;
      counts.set(key, (counts.get(key) ?? 0) + w);
      total += w;
    };
    const cellFor = (cells: Map<string, Cell>) => cells.get(row.id);
    for (const s of studies) {
      const w = weighted ? (s.participants ?? 0) : 1;
      if (tool.per === "outcome") for (const block of s.perOutcome.values()) add(cellFor(block), w);
      else add(cellFor(s.judgements), w);
    }
    const y = top + k * rowH;
    body.push(`<g class="domain" data-domain="${esc(row.id)}"><text x="10" y="${y + 17}">${esc(row.name)}</text>`);
    let x = barX;
    for (const j of [...judgements, NOT_ASSESSED, NO_JUDGEMENT]) {
      const n = counts.get(j) ?? 0;
      if (!n || !total) continue;
      const w = (n / total) * barW;
      const tone = j === NO_JUDGEMENT ? "none" : toneOf(tool, j, j === NOT_ASSESSED);
      body.push(
        `<g class="bar" data-judgement="${esc(j)}"><title>${esc(`${row.name}: ${j} ${Math.round((n / total) * 100)}%`)}</title><rect x="${x.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${COLOUR[tone]}" stroke="#333" stroke-width="0.5"/>` +
          (w > 18 ? `<text x="${(x + w / 2).toFixed(1)}" y="${y + 18}" text-anchor="middle" font-weight="bold">${SYMBOL[tone]}</text>` : "") +
          "</g>",
      );
      x += w;
    }
    body.push("</g>");
  });
  const legendY = top + rows.length * rowH + 24;
  let legendX = barX;
  for (const j of [...judgements, NOT_ASSESSED, NO_JUDGEMENT]) {
    const tone = j === NO_JUDGEMENT ? "none" : toneOf(tool, j, j === NOT_ASSESSED);
    body.push(`<rect x="${legendX}" y="${legendY - 10}" width="14" height="14" fill="${COLOUR[tone]}" stroke="#333" stroke-width="0.5"/><text x="${legendX + 20}" y="${legendY + 1}">${esc(j)}</text>`);
    legendX += Math.ceil(20 + textWidth(j, 12) + 24);
  }
  body.push(`<text x="${barX}" y="${legendY + 24}" font-size="10">0%</text><text x="${barX + barW}" y="${legendY + 24}" font-size="10" text-anchor="end">100%</text>`);
  return svg(Math.max(barX + barW + 30, legendX + 10, textWidth(heading, 14, true) + 20), height + 10, `Risk of bias summary plot (${tool.id})`, body);
}

/** The outcome-reporting matrix: studies × outcomes, status colour, symbol and ORBIT letter. */
function outcomeMatrixSvg(data: PlotData): string {
  const statusTone = (status: string | undefined): Tone => {
    const s = statusById(status);
    if (!s) return "none";
    if (s.usable) return "good";
    if (s.givesResults) return "concern";
    return s.missing === 1 ? "bad" : s.missing === 2 ? "severe" : "none";
  };
  const symbol = Object.fromEntries(OUTCOME_STATUSES.map((s) => [s.id, s.symbol]));
  // In a completed review a missing status is one RevMan never recorded: shown quietly, and said so.
  const noStatus = data.review ? { symbol: "·", label: "not recorded" } : { symbol: "?", label: "no status" };
  const labelWidth = Math.max(120, ...data.studies.map((s) => s.id.length * 7 + 10));
  const col = 40;
  // Room for the longest outcome id, written at 60°.
  const top = 40 + Math.ceil(Math.max(60, ...data.outcomes.map((o) => o.id.length * 6.6)) * 0.87);
  const rowH = 30;
  const width = labelWidth + data.outcomes.length * col + 30 + Math.ceil(Math.max(0, ...data.outcomes.map((o) => o.id.length * 6.6)) * 0.5);
  const legendTop = top + data.studies.length * rowH + 24;
  const legendLines = OUTCOME_STATUSES.length + (data.review ? 1 : 0);
  const height = legendTop + legendLines * 18 + 40;
  const body: string[] = [`<text x="10" y="20" font-size="14" font-weight="bold">Outcome reporting</text>`];
  data.outcomes.forEach((o, i) => {
    const x = labelWidth + i * col + col / 2;
    body.push(`<text transform="translate(${x + 4},${top - 8}) rotate(-60)" font-weight="${o.role === "primary" ? "bold" : "normal"}">${esc(o.id)}</text>`);
  });
  data.studies.forEach((s, k) => {
    const y = top + k * rowH + rowH / 2;
    body.push(`<g class="row"><text x="10" y="${y + 4}">${esc(s.id)}</text>`);
    data.outcomes.forEach((o, i) => {
      const x = labelWidth + i * col + col / 2;
      const st = s.statuses.get(o.id);
      const tone = statusTone(st?.status);
      const orbit = st?.orbit ? ORBIT.find((l) => l.letter === st.orbit) : undefined;
      const data = s.data.get(o.id);
      const label = `${s.id} · ${o.id}: ${st?.status ?? noStatus.label}${orbit ? ` (ORBIT ${orbit.letter}: ${orbit.situation})` : ""}${data ? `; data in ${data.join(", ")}` : ""}`;
      body.push(
        `<g class="cell" data-status="${esc(st?.status ?? "none")}"${st ? ` data-offset="${st.offset}"` : ""}><title>${esc(label)}</title>` +
          `<rect x="${x - 15}" y="${y - 12}" width="30" height="24" rx="3" fill="${COLOUR[tone]}" stroke="#333" stroke-width="0.5"/>` +
          `<text x="${x}" y="${y + 4}" text-anchor="middle" font-weight="bold">${esc(orbit ? orbit.letter : (symbol[st?.status ?? ""] ?? noStatus.symbol))}</text>` +
          // A study with data in an analysis of the outcome: a black corner mark.
          (data ? `<polygon class="has-data" points="${x + 15},${y - 12} ${x + 15},${y - 3} ${x + 6},${y - 12}" fill="#000"/>` : "") +
          "</g>",
      );
    });
    body.push("</g>");
  });
  OUTCOME_STATUSES.forEach((s, i) => {
    const y = legendTop + i * 18;
    body.push(`<rect x="10" y="${y - 10}" width="22" height="14" rx="2" fill="${COLOUR[statusTone(s.id)]}" stroke="#333" stroke-width="0.5"/><text x="21" y="${y + 1}" text-anchor="middle" font-size="10" font-weight="bold">${esc(symbol[s.id]!)}</text><text x="40" y="${y + 1}">${esc(s.id)} — ${esc(s.meaning)}</text>`);
  });
  if (data.review) {
    const y = legendTop + OUTCOME_STATUSES.length * 18;
    body.push(`<rect x="10" y="${y - 10}" width="22" height="14" rx="2" fill="${COLOUR.none}" stroke="#333" stroke-width="0.5"/><text x="21" y="${y + 1}" text-anchor="middle" font-size="10" font-weight="bold">${noStatus.symbol}</text><text x="40" y="${y + 1}">not recorded — a completed review: RevMan does not record the statuses of outcomes without data</text>`);
  }
  const note = "A letter is the ORBIT classification of a missing outcome; a black corner: the study has data in an analysis of it; primary outcomes are in bold.";
  body.push(`<text x="10" y="${legendTop + legendLines * 18 + 14}" font-size="10">${note}</text>`);
  return svg(Math.max(width, 620, textWidth(note, 10) + 20), height, "Outcome reporting matrix", body);
}

export interface Plots {
  /** The protocol's own tool (`bias.tool`). */
  trafficLight: string;
  summary: string;
  matrix: string;
  /** One traffic light and summary per tool the studies are judged with (`bias.by_design`), the protocol's first. */
  rob: { tool: string; trafficLight: string; summary: string }[];
  /** A forest plot per analysis, in the file's order. */
  forests: { id: string; svg: string }[];
  /** A funnel plot per analysis, in the file's order. */
  funnels: { id: string; svg: string }[];
}

/** What a forest plot needs beyond its analysis: the arms' descriptions and the outcome's direction. */
export function forestContext(analysis: Pick<Analysis, "arms" | "outcomes">, a: AnalysisModel): ForestContext {
  const describe = (i: 0 | 1) => {
    const id = a.compare[i]?.id;
    const arm = analysis.arms.find((x) => x.id === id);
    return arm?.description?.trim() || id || (i === 0 ? "Experimental" : "Control");
  };
  return { arms: [describe(0), describe(1)], direction: analysis.outcomes.find((o) => o.id === a.outcome)?.direction };
}

export function plots(analysis: Analysis, weighted = false): Plots {
  const data = plotData(analysis);
  const rob = data.tools.map((tool) => ({ tool: tool.id, trafficLight: trafficLightSvg(data, tool), summary: summarySvg(data, weighted, tool) }));
  const forests = analysis.analyses.map((a) => ({ id: a.id, svg: forestSvg(a, forestContext(analysis, a)) }));
  const funnels = analysis.analyses.map((a) => ({ id: a.id, svg: funnelSvg(a) }));
  return { trafficLight: rob[0]?.trafficLight ?? trafficLightSvg(data), summary: rob[0]?.summary ?? summarySvg(data, weighted), matrix: outcomeMatrixSvg(data), rob, forests, funnels };
}
