/**
 * Risk-of-bias pictures as SVG (contract section 8): the traffic-light table
 * (studies × domains, per outcome for per-outcome tools) and the summary bar
 * chart (optionally weighted by participants), one of each per tool. Every cell
 * carries a symbol as well as a colour, and `data-offset`: where its judgement is.
 */
import { OVERALL_KEY } from "../../../../schemas/src/domain";
import type { DomainView, ToolView } from "../model/tools";
import { appendAll, maxOf } from "../syntax/arrays";
import { NO_JUDGEMENT, NOT_ASSESSED, type Cell, type PlotData, type PlotStudy } from "./plot-data";
import { COLOUR, esc, NONE, svgDocument, SYMBOL, type Tone } from "./svg";
import { textWidth } from "./text-width";

function toneOf(tool: ToolView | undefined, value: string | undefined, unassessed = false): Tone {
  if (unassessed) return "unassessed";
  if (!tool || value === undefined) return NONE;
  const rank = tool.severity.get(value);
  if (rank === undefined) return NONE;
  if (rank === 0) return "good";
  if (rank === 1) return "concern";
  return rank === 2 ? "bad" : "severe";
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
    const tone = j === NOT_ASSESSED ? "unassessed" : j === NO_JUDGEMENT ? NONE : toneOf(tool, j);
    out.push(`<circle cx="${x + 8}" cy="${y + i * 20}" r="7" fill="${COLOUR[tone]}" stroke="#333" stroke-width="0.5"/>`);
    out.push(`<text x="${x + 8}" y="${y + i * 20 + 4}" text-anchor="middle" font-size="10" font-weight="bold">${SYMBOL[tone]}</text>`);
    out.push(`<text x="${x + 22}" y="${y + i * 20 + 4}">${esc(j)}</text>`);
  });
  return { body: out, width: 22 + maxOf(judgements.map((j) => textWidth(j, 12))), count: judgements.length };
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
    appendAll(ordered, tool.domains.filter((c) => c.standsFor[0] === d.id)).push(d);
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
  return studies.some((s) => s.judgements.has(OVERALL_KEY) || [...s.perOutcome.values()].some((b) => b.has(OVERALL_KEY)));
}

/** The traffic-light table of the studies judged with `tool`: a row per study (per study and outcome for per-outcome tools). */
export function trafficLightSvg(data: PlotData, tool: ToolView | undefined = data.tools[0]): string {
  if (!tool) return svgDocument(400, 40, "Risk of bias: no tool", [`<text x="10" y="24">No risk-of-bias tool in this protocol (bias.tool).</text>`]);
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
    ...(judgesOverall(studies) ? [{ id: OVERALL_KEY, header: "Overall", name: "Overall" }] : []),
    ...applicability.map(({ d, label }) => ({ id: d.id, header: label, name: `Applicability concerns: ${d.name}`, applicability: true })),
  ];
  const labelWidth = Math.ceil(maxOf(rows.map((r) => textWidth(r.label, 12) + 20), 120));
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
  const legendX = Math.ceil(Math.max(labelWidth + columns.length * col + groupGap + 20, 10 + maxOf(names.map((n) => textWidth(n, 11)), 0) + 30));
  const entries = legend(tool, legendX, legendTop, tones.has(NONE));
  appendAll(body, entries.body);
  const width = Math.max(legendX + entries.width + 10, labelWidth + columns.length * col + groupGap + 20, textWidth(`Risk of bias — ${tool.name}`, 14, true) + 20);
  const height = legendTop + Math.max(names.length * 16, entries.count * 20) + 20;
  return svgDocument(width, height, `Risk of bias traffic-light plot (${tool.id})`, body);
}

/** The summary bar chart: per domain, the share of each judgement (weighted by participants if asked). */
export function summarySvg(data: PlotData, weighted = false, tool: ToolView | undefined = data.tools[0]): string {
  if (!tool) return svgDocument(400, 40, "Risk of bias summary: no tool", [`<text x="10" y="24">No risk-of-bias tool in this protocol (bias.tool).</text>`]);
  const judgements = [...(tool.def?.judgements.map((j) => j.id) ?? tool.judgements)];
  const studies = data.studies.filter((s) => s.tool?.id === tool.id);
  // Exactly the traffic light's domains; the overall row only when some study gives an overall judgement.
  const rows = [...shownDomains(tool, studies).map(({ d }) => ({ id: d.id, name: d.name })), ...(judgesOverall(studies) ? [{ id: OVERALL_KEY, name: "Overall risk of bias" }] : [])];
  const barX = Math.ceil(Math.max(330, 30 + maxOf(rows.map((r) => textWidth(r.name, 12)))));
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
      const tone = j === NO_JUDGEMENT ? NONE : toneOf(tool, j, j === NOT_ASSESSED);
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
    const tone = j === NO_JUDGEMENT ? NONE : toneOf(tool, j, j === NOT_ASSESSED);
    body.push(`<rect x="${legendX}" y="${legendY - 10}" width="14" height="14" fill="${COLOUR[tone]}" stroke="#333" stroke-width="0.5"/><text x="${legendX + 20}" y="${legendY + 1}">${esc(j)}</text>`);
    legendX += Math.ceil(20 + textWidth(j, 12) + 24);
  }
  body.push(`<text x="${barX}" y="${legendY + 24}" font-size="10">0%</text><text x="${barX + barW}" y="${legendY + 24}" font-size="10" text-anchor="end">100%</text>`);
  return svgDocument(Math.max(barX + barW + 30, legendX + 10, textWidth(heading, 14, true) + 20), height + 10, `Risk of bias summary plot (${tool.id})`, body);
}
