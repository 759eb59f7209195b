/**
 * What an export writes, gathered once from a protocol without errors: its
 * studies (characteristics, references from its bibliography, RoB 1 or custom
 * judgements as RevMan's items), and every analysis with its rows and our
 * results. The numbers come from the analysis (the model and its results); the
 * texts the model does not keep (characteristics, supports, names) from the
 * plain values of the trees it parsed. An analysis with section 8.1's methods, which RevMan 5
 * and version-1 packages cannot hold, is recomputed with DL and Wald and said so.
 */
import { CUSTOM_TOOL_ID, FIXED_EFFECT, MEASURE, REVMAN_REFERENCE_KINDS, REVMAN_ROB1_NAMES, REVMAN_ROB1_RESULTS, REVMAN_ROB_TOOL, type Totals } from "../../../../schemas/src/domain";
import type { ProtocolAnalysis } from "../analyzer/protocol-analysis";
import type { MetaAnalysisModel } from "../model/meta-analyses";
import type { BibEntry } from "../sources/bibliography";
import { computeMetaAnalysis, type DataRow, type MetaAnalysisResult, type StudyResult } from "../stats/pooling";
import { toPlain } from "../syntax/tree";

export interface ExportReference {
  key: string;
  /** The RevMan 5 list it belongs in (INCLUDED_STUDIES, ADDITIONAL_REFERENCES…). */
  element: string;
  primary: boolean;
  entry: BibEntry;
}

interface ExportJudgement {
  /** The RevMan item's name. */
  item: string;
  /** RevMan 5's result: YES (low), NO (high), UNKNOWN (unclear). */
  result: string;
  support: string;
  group?: string;
}

export interface ExportStudy {
  id: string;
  year?: string;
  characteristics: Record<string, string>;
  references: ExportReference[];
  judgements: ExportJudgement[];
}

export interface ExportRow {
  study: string;
  row: DataRow;
  note?: string;
  result?: StudyResult;
}

export interface ExportAnalysis {
  id: string;
  /** RevMan's comparison and outcome numbers, when the id starts with them (`001-36-…`, as the import writes ids). */
  numbers?: [number, number];
  comparison: string;
  /** The outcome's name (RevMan's analysis name). */
  name: string;
  measure: string;
  method: string;
  random: boolean;
  logScale: boolean;
  totals: Totals;
  label?: string;
  arms: [string, string];
  graphLabels?: [string, string];
  scale?: number;
  /** Null name: an analysis without subgroups. */
  groups: { name: string | null; rows: ExportRow[] }[];
  result: MetaAnalysisResult;
}

export interface ExportReview {
  title: string;
  id?: string;
  studies: ExportStudy[];
  /** References no study lists: written as RevMan's other references. */
  otherReferences: ExportReference[];
  /** RevMan's quality items in order, each with its groups of outcomes (empty: study level). */
  items: { name: string; groups: string[] }[];
  analyses: ExportAnalysis[];
  /** What could not be exported as written, for the author. */
  notes: string[];
}

type Plain = Record<string, unknown>;
const text = (v: unknown): string => (v === undefined || v === null ? "" : typeof v === "string" ? v : String(v));
const list = (v: unknown): Plain[] => (Array.isArray(v) ? (v as Plain[]) : []);
const RESULTS = Object.fromEntries(Object.entries(REVMAN_ROB1_RESULTS).map(([result, judgement]) => [judgement, result]));

/** The protocol's plain values, from the trees the analysis parsed (no second parse of a large review). */
function plainOf(analysis: ProtocolAnalysis): Plain {
  const doc: Plain = {};
  for (const s of analysis.parsed.sections) doc[s.key] = toPlain(s.value);
  doc.studies = analysis.parsed.studies.map((s) => toPlain(s.node));
  doc.analyses = analysis.parsed.analyses.map((a) => toPlain(a.node));
  return doc;
}

/** Gathers what the export writes from a protocol analysed with no errors. */
export function exportReview(analysis: ProtocolAnalysis): ExportReview {
  const doc = plainOf(analysis);
  const notes: string[] = [];
  const entries = [...analysis.sources.values()].flatMap((d) => (d.entry ? [d.entry] : []));
  const items: ExportReview["items"] = [];
  const studies = list(doc.studies).map((s) => studyOf(s, doc, items, notes));
  const { refs, others } = references(studies, list(doc.studies), entries);
  studies.forEach((s, i) => {
    s.references = refs[i]!;
    // The year RevMan keeps with a study: its primary reference's, else one its id or cite key ends with (`amis1980`).
    s.year = s.references.find((r) => r.primary)?.entry.year ?? s.year ?? /(?:^|\D)((?:1[89]|20)\d\d)[a-z]?$/.exec(text(list(doc.studies)[i]?.cite))?.[1];
  });
  const analyses = analysis.metaAnalyses.flatMap((m, i) => analysisOf(m, list(doc.analyses)[i] ?? {}, doc, notes));
  if (analyses.length < analysis.metaAnalyses.length) notes.push(`${analysis.metaAnalyses.length - analyses.length} analyses without results not exported`);
  return { title: text(doc.title) || "Review", id: text(doc.id) || undefined, studies, otherReferences: others, items, analyses, notes };
}

/** Each study's references: its cite first (primary), then the entries whose note names it (as the import writes them); the others apart. */
function references(studies: ExportStudy[], plain: Plain[], entries: BibEntry[]): { refs: ExportReference[][]; others: ExportReference[] } {
  const kindOf = (e: BibEntry) => REVMAN_REFERENCE_KINDS.find((k) => e.note?.includes(`RevMan: ${k.heading}`));
  const byStudy = new Map(studies.map((s) => [s.id, [] as ExportReference[]]));
  const others: ExportReference[] = [];
  const cites = new Map(plain.map((s, i) => [text(s.cite), studies[i]!.id]));
  for (const e of entries) {
    const named = /\(([^()]*)\)\s*$/.exec(e.note?.split("\n").at(-1) ?? "")?.[1];
    const owner = cites.get(e.key) ?? (named !== undefined && byStudy.has(named) ? named : undefined);
    const kind = kindOf(e);
    if (owner !== undefined) byStudy.get(owner)!.push({ key: e.key, element: "INCLUDED_STUDIES", primary: cites.get(e.key) === owner, entry: e });
    else others.push({ key: e.key, element: kind && !kind.element.endsWith("_STUDIES") ? kind.element : "ADDITIONAL_REFERENCES", primary: false, entry: e });
  }
  return { refs: studies.map((s) => byStudy.get(s.id)!), others };
}

function studyOf(s: Plain, doc: Plain, items: ExportReview["items"], notes: string[]): ExportStudy {
  const chars = (s.characteristics ?? {}) as Plain;
  const study: ExportStudy = { id: text(s.id), year: /\b(?:1[89]|20)\d\d\b/.exec(text(s.id))?.[0], characteristics: {}, references: [], judgements: [] };
  for (const [k, v] of Object.entries(chars)) if (text(v)) study.characteristics[k] = text(v);
  const bias = (doc.bias ?? {}) as Plain;
  const tool = text(bias.tool) || REVMAN_ROB_TOOL;
  if (tool !== REVMAN_ROB_TOOL && tool !== CUSTOM_TOOL_ID) {
    if (s.risk_of_bias && !notes.some((n) => n.startsWith("risk of bias"))) notes.push(`risk of bias by ${tool} not exported: RevMan 5 and version-1 packages hold RoB 1 and items judged low, high or unclear`);
    return study;
  }
  const custom = new Map(list(bias.domains).map((d) => [text(d.id), text(d.name) || text(d.id)]));
  const itemName = (domain: string) => (tool === REVMAN_ROB_TOOL ? (REVMAN_ROB1_NAMES[domain] ?? domain) : (custom.get(domain) ?? domain));
  for (const [domain, value] of Object.entries((s.risk_of_bias ?? {}) as Plain)) {
    const item = itemName(domain);
    const entries = Array.isArray(value) ? (value as Plain[]) : [typeof value === "object" && value ? (value as Plain) : { judgement: value }];
    let known = items.find((i) => i.name === item);
    if (!known) items.push((known = { name: item, groups: [] }));
    for (const e of entries) {
      const result = RESULTS[text(e.judgement)];
      if (!result) continue;
      const group = Array.isArray(value) ? text(e.group) || "All outcomes" : undefined;
      if (group !== undefined && !known.groups.includes(group)) known.groups.push(group);
      study.judgements.push({ item, result, support: text(e.support).replace(/\n$/, ""), group });
    }
  }
  return study;
}

function analysisOf(m: MetaAnalysisModel, plain: Plain, doc: Plain, notes: string[]): ExportAnalysis[] {
  if (!m.spec || !m.result || !m.measure) return [];
  let result = m.result;
  // RevMan 5 and version-1 packages hold DerSimonian-Laird with Wald intervals only (section 10).
  if (m.spec.model !== FIXED_EFFECT && (m.spec.tau2 !== "DL" || m.spec.ci !== "wald" || m.spec.prediction)) {
    result = computeMetaAnalysis({ ...m.spec, tau2: "DL", ci: "wald", prediction: false });
    const held = [m.spec.tau2 !== "DL" ? m.spec.tau2 : "", m.spec.ci !== "wald" ? "HKSJ intervals" : "", m.spec.prediction ? "prediction intervals" : ""].filter(Boolean).join(", ");
    notes.push(`${m.id}: exported with DerSimonian-Laird τ² and Wald intervals (RevMan 5 and version-1 packages cannot hold ${held})`);
  }
  const outcomes = list(doc.outcomes);
  const outcomeName = text(outcomes.find((o) => text(o.id) === m.outcome)?.name) || m.outcome || m.id;
  const name = text(plain.name);
  const comparison = name.endsWith(`: ${outcomeName}`) ? name.slice(0, -outcomeName.length - 2) : name && name !== outcomeName ? name : "";
  const question = (doc.question ?? {}) as Plain;
  const arms = [...list(question.interventions), ...list(question.comparators)];
  const armName = (id: string | undefined, fallback: string) => text(arms.find((a) => text(a.id) === id)?.description) || id || fallback;
  const seen = new Map<string, number>();
  const groups = m.groups.map((g) => ({
    name: g.name,
    rows: g.rows.flatMap((r): ExportRow[] => {
      if (!r.row) return [];
      const key = `${g.name}\u0000${r.study}`;
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      const own = result.studies.filter((s) => s.study === r.study && (s.subgroup === g.name || m.groups.length === 1))[n];
      return [{ study: r.study, row: r.row, note: r.note, result: own }];
    }),
  }));
  const numbered = /^(\d{3})-(\d{2})-/.exec(m.id);
  return [
    {
      id: m.id,
      numbers: numbered ? [Number(numbered[1]), Number(numbered[2])] : undefined,
      comparison,
      name: outcomeName,
      measure: m.measure.id,
      method: m.spec.method,
      random: m.spec.model !== FIXED_EFFECT,
      logScale: m.spec.logScale,
      totals: m.spec.totals,
      label: m.measure.id === MEASURE.GIV ? m.label : undefined,
      arms: [armName(m.compare[0]?.id, "Experimental"), armName(m.compare[1]?.id, "Control")],
      graphLabels: m.labels,
      scale: m.axisScale,
      groups,
      result,
    },
  ];
}

/** "JA Smith" (as a bibliography gives a name) -> "Smith JA" (as RevMan and its RIS write one); other names as they are. */
export function revmanName(name: string): string {
  const parts = name.trim().split(/\s+/);
  const family = parts.at(-1) ?? "";
  return parts.length > 1 && parts.slice(0, -1).every((p) => /^[A-Z][A-Z.-]*$/.test(p)) && /[a-z]/.test(family) ? `${family} ${parts.slice(0, -1).join("")}` : name;
}

/**
 * RevMan's numbers of each analysis: comparison and outcome numbers from the
 * ids when every analysis has them and no two share them (a review imported
 * keeps its numbering, gaps included), else numbered in order, a comparison
 * per distinct comparison name. Comparisons in order, each with its analyses.
 */
export function numbering(analyses: readonly ExportAnalysis[]): { no: number; name: string; analyses: { no: number; analysis: ExportAnalysis }[] }[] {
  const pairs = analyses.map((a) => a.numbers?.join("."));
  const kept = pairs.every((p) => p !== undefined) && new Set(pairs).size === pairs.length;
  const out: ReturnType<typeof numbering> = [];
  for (const a of analyses) {
    const cmpNo = kept ? a.numbers![0] : (out.find((c) => c.name === a.comparison)?.no ?? out.length + 1);
    let c = out.find((x) => x.no === cmpNo);
    if (!c) out.push((c = { no: cmpNo, name: a.comparison, analyses: [] }));
    c.analyses.push({ no: kept ? a.numbers![1] : c.analyses.length + 1, analysis: a });
  }
  return out;
}
