/**
 * The summary of findings table (contract section 11; Cochrane Handbook 14.1,
 * GRADEpro's Cochrane layout), one per `compare` pair, its rows the `certainty`
 * entries in their order: outcome, anticipated absolute effects per 1,000
 * (stats/absolute-effects.ts) or, for MD/SMD, the difference in words, the
 * relative effect, participants (studies), certainty as ⊕ symbols with
 * footnote letters giving each rating's reason, comments. HTML with its styles
 * inline: a self-contained page (`--plots`) or a fragment the editor shows.
 */
import { CERTAINTY_DOMAINS, CERTAINTY_LEVELS, CERTAINTY_RATINGS, CERTAINTY_UPGRADES, MEASURE } from "../../../../schemas/src/domain";
import type { ProtocolAnalysis } from "../analyzer/analyzer";
import { certaintyLevel, computeCertainty, startOf, studiesByKey, type ComputedCertainty } from "../model/certainty";
import type { CertaintyEntry } from "../model/evidence";
import type { MetaAnalysisModel } from "../model/meta-analyses";
import { absoluteEffect, type RiskMeasure } from "../stats/absolute-effects";
import { fixed, measureLabel } from "./format";
import { esc } from "./svg";

/** One row of a table: an outcome with its numbers and certainty. */
interface SofRow {
  outcome: string;
  /** Where its `certainty` entry is (the `analysis` value): a click jumps there. */
  offset: number;
  comparator: string;
  intervention: string;
  relative: string;
  participants: string;
  certainty: string;
  /** Footnote numbers of the certainty cell. */
  notes: number[];
  comment: string;
}

export interface SofTable {
  /** The arms' ids (the page's file name) and descriptions (its headings). */
  experimental: string;
  control: string;
  names: [string, string];
  title: string;
  population?: string;
  rows: SofRow[];
  /** Footnotes, numbered from 1 in the table. */
  footnotes: string[];
}

const RISK_MEASURES: Readonly<Record<string, RiskMeasure>> = { [MEASURE.RR]: MEASURE.RR, [MEASURE.OR]: MEASURE.OR, [MEASURE.PETO_OR]: MEASURE.OR, [MEASURE.RD]: MEASURE.RD };
const NOT_GIVEN = "—";

/** Σ control events / Σ control totals of the analysis's dichotomous rows. */
function controlRisk(a: MetaAnalysisModel): number | undefined {
  let events = 0;
  let total = 0;
  for (const r of a.groups.flatMap((g) => g.rows)) {
    if (r.row?.kind !== "dichotomous") continue;
    events += r.row.events[1];
    total += r.row.total[1];
  }
  return total > 0 ? events / total : undefined;
}

const ciText = (lo: string, hi: string) => `(${lo} to ${hi})`;

/** "86 per 1,000 (66 to 113)" and "34 fewer per 1,000 (54 fewer to 7 more)". */
function absoluteCells(a: MetaAnalysisModel, entry: CertaintyEntry): { comparator: string; intervention: string } {
  const measure = a.spec ? RISK_MEASURES[a.spec.measure] : undefined;
  const pooled = a.result?.pooled;
  const pc = entry.assumedRisk?.value ?? controlRisk(a);
  if (measure && pooled && pc !== undefined) {
    const abs = absoluteEffect(measure, pooled.effect, pooled.ci, pc);
    if (abs) {
      const diff = (n: number) => (n === 0 ? "0 fewer" : n < 0 ? `${-n} fewer` : `${n} more`);
      const d = abs.intervention - abs.comparator;
      return {
        comparator: `${abs.comparator} per 1,000${entry.assumedRisk ? " (assumed)" : ""}`,
        intervention: `${abs.intervention} per 1,000 ${ciText(String(abs.ci[0]), String(abs.ci[1]))}\n${diff(d)} per 1,000 ${ciText(diff(abs.ci[0] - abs.comparator), diff(abs.ci[1] - abs.comparator))}`,
      };
    }
  }
  if (pooled && a.spec && (a.spec.measure === MEASURE.MD || a.spec.measure === MEASURE.SMD)) {
    const words = (x: number) => (Math.abs(x) < 0.005 ? "0.00" : `${fixed(Math.abs(x))} ${x < 0 ? "lower" : "higher"}`);
    return { comparator: NOT_GIVEN, intervention: `${a.spec.measure} ${words(pooled.effect)} ${ciText(words(pooled.ci[0]), words(pooled.ci[1]))}` };
  }
  return { comparator: NOT_GIVEN, intervention: NOT_GIVEN };
}

function relativeCell(a: MetaAnalysisModel): string {
  const pooled = a.result?.pooled;
  if (!pooled || !a.spec || a.spec.measure === MEASURE.MD || a.spec.measure === MEASURE.SMD) return NOT_GIVEN;
  return `${measureLabel(a)} ${fixed(pooled.effect)} ${ciText(fixed(pooled.ci[0]), fixed(pooled.ci[1]))}`;
}

function participantsCell(a: MetaAnalysisModel): string {
  const rows = a.groups.flatMap((g) => g.rows);
  const participants = rows.reduce((s, r) => s + (r.row && "total" in r.row && r.row.total ? r.row.total[0] + r.row.total[1] : 0), 0);
  const studies = new Set(rows.map((r) => r.studyKey)).size;
  return `${participants ? participants.toLocaleString("en-GB") : NOT_GIVEN} (${studies} ${studies === 1 ? "study" : "studies"})`;
}

/** The footnotes of an entry's certainty: each rating below `no` with its reason, each upgrade, a stated level the ratings do not give. */
function certaintyNotes(entry: CertaintyEntry, computed: ComputedCertainty): string[] {
  const notes: string[] = [];
  for (const d of CERTAINTY_DOMAINS) {
    const r = entry.ratings.get(d.id);
    const levels = CERTAINTY_RATINGS.find((x) => x.id === r?.rating?.value)?.levels ?? 0;
    if (!levels) continue;
    notes.push(`${d.name}: rated down ${levels === 1 ? "one level" : "two levels"}${r?.reason ? ` — ${r.reason}` : ""}.`);
  }
  if (!computed.ignoredUpgrades.length) {
    for (const [id, v] of entry.upgrades) if (v.value) notes.push(`${CERTAINTY_UPGRADES.find((u) => u.id === id)!.name}: rated up ${v.value === 1 ? "one level" : "two levels"}.`);
  }
  if (!computed.complete) notes.push(`Not rated: ${computed.unrated.join(", ")}.`);
  else if (entry.certainty && entry.certainty.value !== computed.level.id) notes.push(`As stated in the review; the ratings give ${computed.level.id.toUpperCase().replace("-", " ")}.`);
  return notes;
}

/** The certainty cell's text: "⊕⊕◯◯ LOW"; the stated level when there is one, else the computed one when all five domains are rated. */
function certaintyCell(entry: CertaintyEntry, computed: ComputedCertainty): string {
  const level = certaintyLevel(entry.certainty?.value) ?? (computed.complete ? computed.level : undefined);
  return level ? `${level.symbol} ${level.id.toUpperCase().replace("-", " ")}` : "Not rated";
}

/** The summary of findings tables of an analysed protocol: one per compare pair, in the order of their first entry. */
export function summaryOfFindings(analysis: ProtocolAnalysis): SofTable[] {
  const byId = new Map(analysis.metaAnalyses.map((a) => [a.id, a]));
  const tables = new Map<string, SofTable>();
  const studies = studiesByKey(analysis.certainty.length ? analysis.studies.map((s) => s.model) : []);
  const drawn = new Set<string>();
  for (const entry of analysis.certainty) {
    const a = entry.analysis ? byId.get(entry.analysis.value) : undefined;
    // A second entry for an analysis is a duplicate-id error: the first is its row.
    if (a && drawn.has(a.id)) continue;
    if (a) drawn.add(a.id);
    const [e, c] = [a?.compare[0]?.id, a?.compare[1]?.id];
    if (!a || e === undefined || c === undefined) continue;
    const key = `${e}\u0000${c}`;
    let table = tables.get(key);
    if (!table) {
      const names: [string, string] = [armName(analysis, e), armName(analysis, c)];
      tables.set(key, (table = { experimental: e, control: c, names, title: `${names[0]} compared with ${names[1]}`, population: analysis.population, rows: [], footnotes: [] }));
    }
    const computed = computeCertainty(entry, startOf(entry, a, studies));
    const notes = certaintyNotes(entry, computed).map((n) => table.footnotes.push(n));
    table.rows.push({
      outcome: a.name ?? a.outcome ?? a.id,
      offset: entry.analysis!.start,
      ...absoluteCells(a, entry),
      relative: relativeCell(a),
      participants: participantsCell(a),
      certainty: certaintyCell(entry, computed),
      notes,
      comment: entry.comment ?? "",
    });
  }
  return [...tables.values()];
}

/** An arm as the table names it: its description, else its id. */
function armName(analysis: ProtocolAnalysis, id: string): string {
  return analysis.arms.find((x) => x.id === id)?.description?.trim() || id;
}

const STYLE = `.sof{font-family:Helvetica,Arial,'Liberation Sans',sans-serif;font-size:13px;color:#000;background:#fff;max-width:1100px}
.sof table{border-collapse:collapse;width:100%}.sof th,.sof td{border:1px solid #999;padding:6px 8px;vertical-align:top;text-align:left}
.sof th{background:#e8eef5}.sof td.n{white-space:nowrap}.sof .line{display:block}.sof [data-offset]{cursor:pointer;color:#0645ad;text-decoration:underline}
.sof h2{font-size:16px;margin:12px 0 8px}.sof p,.sof ol{margin:6px 0}.sof sup{font-size:10px}.sof .grade{white-space:nowrap}`;

/** A cell's text, its lines as blocks. */
const cell = (text: string) => text.split("\n").map((l) => `<span class="line">${esc(l)}</span>`).join("");

/** One table as an HTML fragment (its styles inline), for a page or the editor's view. */
export function summaryOfFindingsHtml(table: SofTable): string {
  const rows = table.rows.map((r) => {
    const sup = r.notes.length ? ` <sup>${r.notes.join(",")}</sup>` : "";
    return `<tr><td><span data-offset="${r.offset}" title="Go to its certainty entry">${esc(r.outcome)}</span></td><td class="n">${cell(r.comparator)}</td><td>${cell(r.intervention)}</td><td class="n">${cell(r.relative)}</td><td class="n">${cell(r.participants)}</td><td class="grade">${esc(r.certainty)}${sup}</td><td>${cell(r.comment)}</td></tr>`;
  });
  const levels = CERTAINTY_LEVELS.map((l) => `<b>${esc(l.id.toUpperCase().replace("-", " "))}</b>: ${esc(l.meaning)}`).join("<br>");
  return `<section class="sof"><style>${STYLE}</style>
<h2>Summary of findings: ${esc(table.title)}</h2>
<p>${table.population ? `<b>Patient or population:</b> ${esc(table.population)}<br>` : ""}<b>Intervention:</b> ${esc(table.names[0])}<br><b>Comparison:</b> ${esc(table.names[1])}</p>
<table><thead><tr><th rowspan="2">Outcomes</th><th colspan="2">Anticipated absolute effects* (95% CI)</th><th rowspan="2">Relative effect (95% CI)</th><th rowspan="2">№ of participants (studies)</th><th rowspan="2">Certainty of the evidence (GRADE)</th><th rowspan="2">Comments</th></tr>
<tr><th>Risk with ${esc(table.names[1])}</th><th>Risk with ${esc(table.names[0])}</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table>
<p>*The risk in the intervention group (and its 95% CI) is based on the assumed risk in the comparison group (the control arms' events over their participants, or the entry's <code>assumed_risk</code>) and the relative effect of the intervention (and its 95% CI). CI: confidence interval; ${NOT_GIVEN}: not applicable.</p>
<p>GRADE certainty of the evidence:<br>${levels}</p>
${table.footnotes.length ? `<p>Explanations</p><ol>${table.footnotes.map((f) => `<li>${esc(f)}</li>`).join("")}</ol>` : ""}
</section>`;
}

/** A self-contained page of one table (what `--plots` writes). */
export function summaryOfFindingsPage(table: SofTable): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Summary of findings: ${esc(table.title)}</title></head>
<body style="margin:16px;background:#fff">${summaryOfFindingsHtml(table)}</body></html>
`;
}
