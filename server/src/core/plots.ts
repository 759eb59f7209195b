/**
 * Risk-of-bias and outcome-reporting pictures as SVG, pure functions of the
 * analysed protocol (no browser needed): the traffic-light table (studies ×
 * domains, per outcome for per-outcome tools), the summary bar chart (optionally
 * weighted by participants), and the outcome-reporting matrix with ORBIT letters.
 * Colours are colour-blind safe (Okabe–Ito) and every cell also carries a symbol.
 * Cells carry `data-offset`: where their judgement is in the protocol.
 */
import { ORBIT, OUTCOME_STATUSES } from "../../../schemas/src/domain";
import type { Analysis } from "./analyse";
import type { ToolView } from "./tool";
import { scalarText, stringOf, valueOf, type TreeNode } from "./tree";

type Tone = "good" | "concern" | "bad" | "critical" | "none";

const COLOUR: Record<Tone, string> = { good: "#009E73", concern: "#E69F00", bad: "#D55E00", critical: "#CC79A7", none: "#BBBBBB" };
const SYMBOL: Record<Tone, string> = { good: "+", concern: "?", bad: "−", critical: "!", none: "·" };

export interface Cell {
  value?: string;
  offset?: number;
}

export interface PlotStudy {
  id: string;
  participants?: number;
  offset: number;
  /** Per-study tools: domain -> cell, plus "overall". */
  judgements: Map<string, Cell>;
  /** Per-outcome tools: outcome -> domain -> cell. */
  perOutcome: Map<string, Map<string, Cell>>;
  statuses: Map<string, { status?: string; orbit?: string; offset: number }>;
}

export interface PlotData {
  tool?: ToolView;
  studies: PlotStudy[];
  outcomes: { id: string; name: string; role?: string }[];
}

function cellOf(value: TreeNode | null | undefined, base: number): Cell {
  const node = value?.kind === "map" ? valueOf(value, "judgement") : value;
  const text = stringOf(node ?? undefined);
  return { value: text, offset: node ? base + node.start : undefined };
}

/** What the plots show, read from the analysed protocol. */
export function plotData(analysis: Analysis): PlotData {
  const tool = analysis.context.tool;
  const outcomesNode = analysis.parsed.sections.find((s) => s.key === "outcomes")?.value;
  const outcomes =
    outcomesNode?.kind === "seq"
      ? outcomesNode.items.map((o) => ({ id: scalarText(valueOf(o, "id")) ?? "", name: scalarText(valueOf(o, "name")) ?? "", role: scalarText(valueOf(o, "role")) })).filter((o) => o.id)
      : [];
  const studies: PlotStudy[] = analysis.parsed.studies.map((item, i) => {
    const node = item.node;
    const participants = Number(scalarText(valueOf(node, "participants")));
    const study: PlotStudy = {
      id: scalarText(valueOf(node, "id")) ?? `Study ${i + 1}`,
      participants: Number.isFinite(participants) && participants > 0 ? participants : undefined,
      offset: item.base + node.start,
      judgements: new Map(),
      perOutcome: new Map(),
      statuses: new Map(),
    };
    const rob = valueOf(node, "risk_of_bias");
    if (rob?.kind === "map") {
      for (const p of rob.pairs) {
        const key = String(p.key.value);
        if (tool?.per === "outcome" && p.value?.kind === "map") {
          const block = new Map<string, Cell>();
          for (const q of p.value.pairs) block.set(String(q.key.value), cellOf(q.value, item.base));
          study.perOutcome.set(key, block);
        } else study.judgements.set(key, cellOf(p.value, item.base));
      }
    }
    const statuses = valueOf(node, "outcomes");
    if (statuses?.kind === "map") {
      for (const p of statuses.pairs) {
        const status = stringOf(p.value ?? undefined) ?? stringOf(valueOf(p.value, "status"));
        study.statuses.set(String(p.key.value), { status, orbit: stringOf(valueOf(p.value, "orbit")), offset: item.base + (p.value ?? p.key).start });
      }
    }
    return study;
  });
  return { tool, studies, outcomes };
}

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function toneOf(tool: ToolView | undefined, value: string | undefined): Tone {
  if (!tool || value === undefined) return "none";
  const rank = tool.severity.get(value);
  if (rank === undefined) return "none";
  if (rank === 0) return "good";
  if (rank === 1) return "concern";
  return rank === 2 ? "bad" : "critical";
}

const FONT = `font-family="Helvetica, Arial, sans-serif"`;

function svg(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}" ${FONT} font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}

function dot(x: number, y: number, tone: Tone, label: string, cell: Cell | undefined, extra = ""): string {
  const offset = cell?.offset !== undefined ? ` data-offset="${cell.offset}"` : "";
  return (
    `<g class="cell" data-tone="${tone}"${offset}${extra}><title>${esc(label)}</title>` +
    `<circle cx="${x}" cy="${y}" r="11" fill="${COLOUR[tone]}" stroke="#333" stroke-width="0.5"/>` +
    `<text x="${x}" y="${y + 4}" text-anchor="middle" font-size="13" font-weight="bold" fill="#000">${SYMBOL[tone]}</text></g>`
  );
}

function legend(tool: ToolView, x: number, y: number): string[] {
  const out: string[] = [];
  const judgements = tool.def?.judgements ?? tool.judgements.map((id) => ({ id, meaning: id }));
  judgements.forEach((j, i) => {
    const tone = toneOf(tool, j.id);
    out.push(`<circle cx="${x + 8}" cy="${y + i * 20}" r="7" fill="${COLOUR[tone]}" stroke="#333" stroke-width="0.5"/>`);
    out.push(`<text x="${x + 8}" y="${y + i * 20 + 4}" text-anchor="middle" font-size="10" font-weight="bold">${SYMBOL[tone]}</text>`);
    out.push(`<text x="${x + 22}" y="${y + i * 20 + 4}">${esc(j.id)}</text>`);
  });
  return out;
}

function domainLegend(tool: ToolView, labels: string[], x: number, y: number): string[] {
  return tool.domains.map((d, i) => `<text x="${x}" y="${y + i * 16}" font-size="11">${esc(labels[i]!)}: ${esc(d.name)}</text>`);
}

/** The traffic-light table: a row per study (per study and outcome for per-outcome tools). */
export function trafficLightSvg(data: PlotData): string {
  const tool = data.tool;
  if (!tool) return svg(400, 40, "Risk of bias: no tool", [`<text x="10" y="24">No risk-of-bias tool in this protocol (bias.tool).</text>`]);
  const labels = tool.domains.map((d, i) => tool.def?.domains[i]?.label.startsWith("D") ? tool.def.domains[i]!.label : `D${i + 1}`);
  const rows: { label: string; cells: Map<string, Cell> }[] = [];
  for (const s of data.studies) {
    if (tool.per === "outcome") for (const [outcome, block] of s.perOutcome) rows.push({ label: `${s.id} — ${outcome}`, cells: block });
    else rows.push({ label: s.id, cells: s.judgements });
  }
  const columns = [...tool.domains.map((d) => d.id), "overall"];
  const headers = [...labels, "Overall"];
  const labelWidth = Math.max(120, ...rows.map((r) => r.label.length * 7 + 10));
  const col = 44;
  const top = 50;
  const rowH = 30;
  const width = labelWidth + columns.length * col + 20;
  const tableBottom = top + rows.length * rowH;
  const legendTop = tableBottom + 30;
  const height = legendTop + Math.max(tool.domains.length * 16, (tool.def?.judgements.length ?? tool.judgements.length) * 20) + 20;
  const body: string[] = [`<text x="10" y="20" font-size="14" font-weight="bold">Risk of bias — ${esc(tool.name)}</text>`];
  headers.forEach((h, i) => body.push(`<text x="${labelWidth + i * col + col / 2}" y="${top - 10}" text-anchor="middle" font-weight="bold">${esc(h)}</text>`));
  rows.forEach((r, k) => {
    const y = top + k * rowH + rowH / 2;
    body.push(`<g class="row"><text x="10" y="${y + 4}">${esc(r.label)}</text>`);
    columns.forEach((c, i) => {
      const cell = r.cells.get(c);
      const tone = toneOf(tool, cell?.value);
      const name = c === "overall" ? "Overall" : tool.domains[i]!.name;
      body.push(dot(labelWidth + i * col + col / 2, y, tone, `${r.label} · ${name}: ${cell?.value ?? "no judgement"}`, cell, ` data-domain="${esc(c)}"`));
    });
    body.push("</g>");
  });
  body.push(...domainLegend(tool, labels, 10, legendTop));
  body.push(...legend(tool, width - 140, legendTop));
  return svg(Math.max(width, 560), height, `Risk of bias traffic-light plot (${tool.id})`, body);
}

/** The summary bar chart: per domain, the share of each judgement (weighted by participants if asked). */
export function summarySvg(data: PlotData, weighted = false): string {
  const tool = data.tool;
  if (!tool) return svg(400, 40, "Risk of bias summary: no tool", [`<text x="10" y="24">No risk-of-bias tool in this protocol (bias.tool).</text>`]);
  const judgements = [...(tool.def?.judgements.map((j) => j.id) ?? tool.judgements)];
  // The overall row only when some study gives an overall judgement.
  const anyOverall = data.studies.some((s) => s.judgements.has("overall") || [...s.perOutcome.values()].some((b) => b.has("overall")));
  const rows = [...tool.domains.map((d) => ({ id: d.id, name: d.name })), ...(anyOverall ? [{ id: "overall", name: "Overall risk of bias" }] : [])];
  const barX = 330;
  const barW = 420;
  const top = 44;
  const rowH = 28;
  const height = top + rows.length * rowH + 60;
  const body: string[] = [`<text x="10" y="20" font-size="14" font-weight="bold">Risk of bias summary — ${esc(tool.name)}${weighted ? " (weighted by participants)" : ""}</text>`];
  rows.forEach((row, k) => {
    const counts = new Map<string, number>();
    let total = 0;
    const add = (value: string | undefined, w: number) => {
      const key = value !== undefined && judgements.includes(value) ? value : "no judgement";
      counts.set(key, (counts.get(key) ?? 0) + w);
      total += w;
    };
    for (const s of data.studies) {
      const w = weighted ? (s.participants ?? 0) : 1;
      if (tool.per === "outcome") for (const block of s.perOutcome.values()) add(block.get(row.id)?.value, w);
      else add(s.judgements.get(row.id)?.value, w);
    }
    const y = top + k * rowH;
    body.push(`<text x="10" y="${y + 17}">${esc(row.name)}</text>`);
    let x = barX;
    for (const j of [...judgements, "no judgement"]) {
      const n = counts.get(j) ?? 0;
      if (!n || !total) continue;
      const w = (n / total) * barW;
      const tone = j === "no judgement" ? "none" : toneOf(tool, j);
      body.push(
        `<g class="bar" data-judgement="${esc(j)}"><title>${esc(`${row.name}: ${j} ${Math.round((n / total) * 100)}%`)}</title><rect x="${x.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${COLOUR[tone]}" stroke="#333" stroke-width="0.5"/>` +
          (w > 18 ? `<text x="${(x + w / 2).toFixed(1)}" y="${y + 18}" text-anchor="middle" font-weight="bold">${SYMBOL[tone]}</text>` : "") +
          "</g>",
      );
      x += w;
    }
  });
  const legendY = top + rows.length * rowH + 24;
  [...judgements, "no judgement"].forEach((j, i) => {
    const tone = j === "no judgement" ? "none" : toneOf(tool, j);
    body.push(`<rect x="${barX + i * 110}" y="${legendY - 10}" width="14" height="14" fill="${COLOUR[tone]}" stroke="#333" stroke-width="0.5"/><text x="${barX + i * 110 + 20}" y="${legendY + 1}">${esc(j)}</text>`);
  });
  body.push(`<text x="${barX}" y="${legendY + 24}" font-size="10">0%</text><text x="${barX + barW}" y="${legendY + 24}" font-size="10" text-anchor="end">100%</text>`);
  return svg(barX + barW + 30, height + 10, "Risk of bias summary plot", body);
}

/** The outcome-reporting matrix: studies × outcomes, status colour, symbol and ORBIT letter. */
export function outcomeMatrixSvg(data: PlotData): string {
  const statusTone = (status: string | undefined): Tone => {
    const s = OUTCOME_STATUSES.find((x) => x.id === status);
    if (!s) return "none";
    if (s.usable) return "good";
    if (s.givesResults) return "concern";
    return status === "measured-not-reported" ? "bad" : status === "not-reported" ? "critical" : "none";
  };
  const symbol: Record<string, string> = { reported: "✓", partial: "½", "measured-not-reported": "M", "not-reported": "–", "not-measured": "∅" };
  const labelWidth = Math.max(120, ...data.studies.map((s) => s.id.length * 7 + 10));
  const col = 40;
  // Room for the longest outcome id, written at 60°.
  const top = 40 + Math.ceil(Math.max(60, ...data.outcomes.map((o) => o.id.length * 6.6)) * 0.87);
  const rowH = 30;
  const width = labelWidth + data.outcomes.length * col + 30 + Math.ceil(Math.max(0, ...data.outcomes.map((o) => o.id.length * 6.6)) * 0.5);
  const legendTop = top + data.studies.length * rowH + 24;
  const height = legendTop + OUTCOME_STATUSES.length * 18 + 40;
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
      const label = `${s.id} · ${o.id}: ${st?.status ?? "no status"}${orbit ? ` (ORBIT ${orbit.letter}: ${orbit.situation})` : ""}`;
      body.push(
        `<g class="cell" data-status="${esc(st?.status ?? "none")}"${st ? ` data-offset="${st.offset}"` : ""}><title>${esc(label)}</title>` +
          `<rect x="${x - 15}" y="${y - 12}" width="30" height="24" rx="3" fill="${COLOUR[tone]}" stroke="#333" stroke-width="0.5"/>` +
          `<text x="${x}" y="${y + 4}" text-anchor="middle" font-weight="bold">${esc(orbit ? orbit.letter : (symbol[st?.status ?? ""] ?? "?"))}</text></g>`,
      );
    });
    body.push("</g>");
  });
  OUTCOME_STATUSES.forEach((s, i) => {
    const y = legendTop + i * 18;
    body.push(`<rect x="10" y="${y - 10}" width="22" height="14" rx="2" fill="${COLOUR[statusTone(s.id)]}" stroke="#333" stroke-width="0.5"/><text x="21" y="${y + 1}" text-anchor="middle" font-size="10" font-weight="bold">${esc(symbol[s.id]!)}</text><text x="40" y="${y + 1}">${esc(s.id)} — ${esc(s.meaning)}</text>`);
  });
  body.push(`<text x="10" y="${legendTop + OUTCOME_STATUSES.length * 18 + 14}" font-size="10">A letter is the ORBIT classification of a missing outcome; primary outcomes are in bold.</text>`);
  return svg(Math.max(width, 620), height, "Outcome reporting matrix", body);
}

export interface Plots {
  trafficLight: string;
  summary: string;
  matrix: string;
}

export function plots(analysis: Analysis, weighted = false): Plots {
  const data = plotData(analysis);
  return { trafficLight: trafficLightSvg(data), summary: summarySvg(data, weighted), matrix: outcomeMatrixSvg(data) };
}
