/**
 * The `analyses` section (contract section 8) as a semantic model: each analysis
 * with its measure, method, model, subgroups and data rows (typed values with
 * their ranges), the checks of its rows against the studies, and its results
 * (cached by the analysis's text, so an edit in one row recomputes only that
 * analysis). Offsets are absolute.
 */
import { measureById, statusById, USABLE_STATUS, type MeasureDef } from "../../../../schemas/src/domain";
import { Analysis as AnalysisSchema } from "../../../../schemas/src/protocol";
import { diagnostic, shift, type Diagnostic } from "../checks/diagnostics";
import { SourceText } from "../syntax/edits";
import { schemaDiagnostics } from "../checks/schema";
import { computeAnalysis, type AnalysisResult, type AnalysisSpec, type DataRow } from "../stats/pooling";
import type { ParsedChunk, Section } from "../syntax/parse";
import type { StudySummary } from "../checks/studies";
import { didYouMean, nearest } from "../syntax/suggest";
import { nodeAtPath, pairOf, scalarText, stringOf, toPlain, valueOf, type MapNode, type ScalarNode, type SeqNode, type TreeNode } from "../syntax/tree";
import { normaliseId } from "./ids";
import { readPlotKeys } from "./plot-keys";
import { sharedArmDiagnostics } from "../checks/shared-arms";

interface Span {
  start: number;
  end: number;
}

export interface DataRowModel {
  study: string;
  /** The study id as compared (`normaliseId`), computed once per parse: thousands of rows look studies up on every edit. */
  studyKey: string;
  /** The study key of the row (the mapping key under `data`). */
  key: Span;
  /** The row mapping. */
  span: Span;
  /** The row as numbers, when its form fits the measure and every number is valid. */
  row?: DataRow;
  /** Second, third… row of a multi-arm study (0 for the first). */
  index: number;
  /** The row is an item of the study's list of rows (`Feltner 2003: [ {…}, {…} ]`). */
  listItem: boolean;
  note?: string;
  /** Participants the row counts ([n1, n2]) and where `total` is written. */
  total?: { value: [number, number]; span: Span };
}

export interface AnalysisModel {
  id: string;
  idSpan: Span;
  /** The list item (for the hover range, code lens and outline). */
  span: Span;
  outcome?: string;
  outcomeSpan?: Span;
  compare: { id: string; span: Span }[];
  /** `name`, else the outcome's name. */
  name?: string;
  measure?: MeasureDef;
  measureSpan?: Span;
  /** The spec the numbers come from; undefined when the analysis cannot be computed (an unknown measure, a missing scale). */
  spec?: AnalysisSpec;
  groups: { name: string | null; rows: DataRowModel[] }[];
  /** GIV: what the estimate is. */
  label?: string;
  /** The forest plot's labels under the axis, [left, right], as written. */
  labels?: [string, string];
  /** The forest plot's axis range (a numeric `scale`, RevMan's SCALE): 100 → 0.01 to 100 for ratios, −100 to 100 for differences. */
  axisScale?: number;
  result?: AnalysisResult;
}

export interface AnalysesContext {
  studies: readonly { base: number; summary: StudySummary }[];
  outcomes: readonly string[];
  /** Outcome id -> name: the default title of an analysis. */
  outcomeNames?: ReadonlyMap<string, string>;
  arms: readonly string[];
}

/** Studies by normalised id (built once per context: thousands of rows look studies up). */
const STUDY_MAPS = new WeakMap<AnalysesContext, Map<string, AnalysesContext["studies"][number]>>();
function studyById(ctx: AnalysesContext): Map<string, AnalysesContext["studies"][number]> {
  let map = STUDY_MAPS.get(ctx);
  if (!map) {
    map = new Map();
    for (const s of ctx.studies) if (s.summary.id && !map.has(normaliseId(s.summary.id.value))) map.set(normaliseId(s.summary.id.value), s);
    STUDY_MAPS.set(ctx, map);
  }
  return map;
}

const abs = (section: Pick<Section, "base">, n: { start: number; end: number }): Span => ({ start: section.base + n.start, end: section.base + n.end });

function pairOfNumbers(node: TreeNode | null | undefined): number[] | undefined {
  if (node?.kind !== "seq") return undefined;
  const values = node.items.map((i) => (i.kind === "scalar" && typeof i.value === "number" ? i.value : NaN));
  return values;
}

const ROW_KEYS: Record<MeasureDef["data"], string[]> = {
  dichotomous: ["events", "total"],
  continuous: ["mean", "sd", "total"],
  generic: ["estimate", "se"],
};

/** The rows of a `data` mapping, checked: form against the measure, counts, totals, SDs and SEs. */
function readRows(section: Origin, data: TreeNode | null | undefined, measure: MeasureDef | undefined, out: Diagnostic[]): DataRowModel[] {
  const rows: DataRowModel[] = [];
  if (data?.kind !== "map") return rows;
  for (const p of data.pairs) {
    const study = scalarText(p.key) ?? "";
    const items = p.value?.kind === "seq" ? p.value.items : p.value ? [p.value] : [];
    items.forEach((item, index) => {
      const model: DataRowModel = { study, studyKey: normaliseId(study), key: abs(section, p.key), span: abs(section, item), index, listItem: p.value?.kind === "seq" };
      rows.push(model);
      if (item.kind !== "map") return;
      model.note = stringOf(valueOf(item, "note"));
      const totalNode = valueOf(item, "total");
      const total = pairOfNumbers(totalNode);
      if (totalNode && total?.length === 2 && total.every(Number.isFinite)) model.total = { value: total as [number, number], span: abs(section, totalNode) };
      if (!measure) return;
      model.row = checkRow(section, p.key, item, measure, out);
    });
  }
  return rows;
}

function checkRow(section: Origin, key: ScalarNode, item: MapNode, measure: MeasureDef, out: Diagnostic[]): DataRow | undefined {
  const needs = ROW_KEYS[measure.data];
  const study = scalarText(key) ?? "";
  const missing = needs.filter((k) => !pairOf(item, k));
  if (missing.length) {
    const span = abs(section, key);
    const wrong = ["events", "mean", "sd", "estimate", "se"].filter((k) => pairOf(item, k) && !needs.includes(k));
    out.push(
      diagnostic(
        "data-invalid",
        span.start,
        span.end,
        `The row of '${study}' does not fit ${measure.id} (${measure.name}): it needs ${needs.map((k) => `\`${k}\``).join(", ")}` +
          (wrong.length ? `, not ${wrong.map((k) => `\`${k}\``).join(", ")}` : "") +
          ` — e.g. ${rowTemplate(measure)}`,
        { study, measure: measure.id, missing },
      ),
    );
    return undefined;
  }
  let ok = true;
  const bad = (node: TreeNode, message: string) => {
    ok = false;
    const span = abs(section, node);
    out.push(diagnostic("data-invalid", span.start, span.end, `${message} (row of '${study}')`, { study }));
  };
  const numbers = (k: string): [number, number] | undefined => {
    const node = valueOf(item, k);
    if (node?.kind !== "seq" || node.items.length !== 2) return undefined; // the schema says so
    const v = node.items.map((i) => (i.kind === "scalar" && typeof i.value === "number" ? i.value : NaN)) as [number, number];
    return v.every(Number.isFinite) ? v : undefined;
  };
  const itemOf = (k: string, i: number) => (valueOf(item, k) as SeqNode).items[i]!;
  const counts = (k: string) => {
    const v = numbers(k);
    if (!v) return (ok = false), undefined;
    v.forEach((x, i) => {
      if (x < 0) bad(itemOf(k, i), `A ${k === "events" ? "number of events" : "total"} cannot be negative: ${x}`);
      else if (!Number.isInteger(x)) bad(itemOf(k, i), `A ${k === "events" ? "number of events" : "total"} is a whole number, not ${x}`);
      else if (k === "total" && x < 1) bad(itemOf(k, i), `A total below 1 (${x}): an arm needs at least one participant`);
    });
    return v;
  };
  if (measure.data === "dichotomous") {
    const events = counts("events");
    const total = counts("total");
    if (events && total) {
      events.forEach((e, i) => {
        if (e > total[i]! && Number.isInteger(e) && e >= 0) bad(itemOf("events", i), `${e} events are more than the ${total[i]} participants of the ${i ? "control" : "experimental"} arm`);
      });
    }
    return ok && events && total ? { kind: "dichotomous", events, total } : undefined;
  }
  if (measure.data === "continuous") {
    const mean = numbers("mean");
    const sd = numbers("sd");
    const total = counts("total");
    sd?.forEach((s, i) => s < 0 && bad(itemOf("sd", i), `A standard deviation cannot be negative: ${s}`));
    return ok && mean && sd && total ? { kind: "continuous", mean, sd, total } : undefined;
  }
  const estimate = valueOf(item, "estimate");
  const se = valueOf(item, "se");
  const y = estimate?.kind === "scalar" && typeof estimate.value === "number" ? estimate.value : undefined;
  const s = se?.kind === "scalar" && typeof se.value === "number" ? se.value : undefined;
  if (se && s !== undefined && !(s > 0)) bad(se, `A standard error must be above 0, not ${s}`);
  const totalNode = valueOf(item, "total");
  const total = totalNode ? counts("total") : undefined;
  return ok && y !== undefined && s !== undefined ? { kind: "generic", estimate: y, se: s, ...(total ? { total } : {}) } : undefined;
}

/** An empty row of the measure's form, for messages and skeletons. */
export function rowTemplate(measure: MeasureDef): string {
  if (measure.data === "dichotomous") return "{ events: [e1, e2], total: [n1, n2] }";
  if (measure.data === "continuous") return "{ mean: [m1, m2], sd: [s1, s2], total: [n1, n2] }";
  return "{ estimate: y, se: s }";
}

const MODELS = new Set(["fixed", "random"]);

/** Where an analysis's offsets start: items are checked in their own chunk's coordinates (base 0), then moved. */
type Origin = Pick<Section, "base">;
const ORIGIN: Origin = { base: 0 };

/** The analyses' checks and results, cached by parsed chunk: an edit in one row re-reads only its analysis. */
interface CachedAnalysis {
  fingerprint: string;
  model: AnalysisModel;
  diagnostics: Diagnostic[];
  /** The model and diagnostics at the item's last offset: items before an edit keep theirs. */
  placed?: { base: number; model: AnalysisModel; diagnostics: Diagnostic[] };
}

export class AnalysesCache {
  readonly items = new WeakMap<ParsedChunk, CachedAnalysis>();
  /** Results by the analysis's text (for items that were not parsed alone). */
  readonly results = new Map<string, AnalysisResult>();
}

function shiftSpan<T extends Span | undefined>(s: T, by: number): T {
  return (s ? { start: s.start + by, end: s.end + by } : s) as T;
}

function shiftModel(m: AnalysisModel, by: number): AnalysisModel {
  if (by === 0) return m;
  return {
    ...m,
    idSpan: shiftSpan(m.idSpan, by),
    span: shiftSpan(m.span, by),
    outcomeSpan: shiftSpan(m.outcomeSpan, by),
    measureSpan: shiftSpan(m.measureSpan, by),
    compare: m.compare.map((c) => ({ ...c, span: shiftSpan(c.span, by) })),
    groups: m.groups.map((g) => ({
      ...g,
      rows: g.rows.map((r) => ({ ...r, key: shiftSpan(r.key, by), span: shiftSpan(r.span, by), total: r.total && { ...r.total, span: shiftSpan(r.total.span, by) } })),
    })),
  };
}

/** Reads and checks every item of `analyses` (absolute offsets); results are cached by chunk or by text. */
export function readAnalyses(
  items: readonly { node: TreeNode; base: number; chunk?: ParsedChunk }[],
  text: string,
  ctx: AnalysesContext,
  cache: AnalysesCache,
): { analyses: AnalysisModel[]; diagnostics: Diagnostic[] } {
  const out: Diagnostic[] = [];
  const analyses: AnalysisModel[] = [];
  const fingerprint = JSON.stringify([ctx.outcomes, [...(ctx.outcomeNames ?? [])], ctx.arms, [...studyById(ctx).keys()]]);
  const seen = new Set<string>();
  for (const item of items) {
    if (item.node.kind !== "map") continue;
    let hit = item.chunk ? cache.items.get(item.chunk) : undefined;
    if (!hit || hit.fingerprint !== fingerprint) {
      const diagnostics: Diagnostic[] = [];
      // The text the item was parsed from: quick fixes match its style.
      const src = item.chunk ? new SourceText(item.chunk.text) : new SourceText(text, item.base);
      const model = readAnalysis(item.node, src, ctx, diagnostics);
      if (model.spec) {
        // Chunk coordinates are the item's own; without a chunk the text decides the cache entry.
        const key = item.chunk ? undefined : text.slice(item.base + model.span.start, item.base + model.span.end);
        let result = key !== undefined ? cache.results.get(key) : undefined;
        if (!result) {
          result = computeAnalysis(model.spec);
          if (key !== undefined) {
            if (cache.results.size > 2000) cache.results.clear();
            cache.results.set(key, result);
          }
        }
        model.result = result;
      }
      hit = { fingerprint, model, diagnostics };
      if (item.chunk) cache.items.set(item.chunk, hit);
    }
    if (hit.placed?.base !== item.base) hit.placed = { base: item.base, model: shiftModel(hit.model, item.base), diagnostics: shift(hit.diagnostics, item.base) };
    const model = hit.placed.model;
    analyses.push(model);
    out.push(...hit.placed.diagnostics);
    if (model.id) {
      if (seen.has(model.id)) out.push(diagnostic("duplicate-id", model.idSpan.start, model.idSpan.end, `Analysis id '${model.id}' is used twice; give each analysis a unique id`, { id: model.id }));
      seen.add(model.id);
    }
  }
  return { analyses, diagnostics: out };
}

/** One analysis in its own coordinates: schema, references, rows. */
function readAnalysis(item: MapNode, src: SourceText, ctx: AnalysesContext, out: Diagnostic[]): AnalysisModel {
  const section = ORIGIN;
  const idNode = valueOf(item, "id");
  const id = scalarText(idNode) ?? "";
  const model: AnalysisModel = { id, idSpan: abs(section, idNode ?? item), span: abs(section, item), compare: [], groups: [] };
  out.push(
    ...schemaDiagnostics({
      schema: AnalysisSchema,
      value: toPlain(item),
      label: `analysis '${id}'`,
      locate: (path) => ({ ...nodeAtPath(item, path), base: 0 }),
      rootHolder: { start: item.pairs[0]?.key.start ?? item.start, end: item.pairs[0]?.key.end ?? item.end },
      source: src,
    }),
  );
  const outcomeNode = valueOf(item, "outcome");
  model.outcome = scalarText(outcomeNode);
  if (outcomeNode && model.outcome !== undefined) {
    model.outcomeSpan = abs(section, outcomeNode);
    if (!ctx.outcomes.includes(model.outcome)) unknown(out, model.outcomeSpan, "Outcome", model.outcome, ctx.outcomes, "the protocol's outcomes");
  }
  const compare = valueOf(item, "compare");
  if (compare?.kind === "seq") {
    for (const c of compare.items) {
      const cid = scalarText(c);
      if (cid === undefined) continue;
      const span = abs(section, c);
      model.compare.push({ id: cid, span });
      if (!ctx.arms.includes(cid)) unknown(out, span, "Arm", cid, ctx.arms, "question.interventions or question.comparators");
    }
  }
  model.name = stringOf(valueOf(item, "name")) ?? (model.outcome !== undefined ? ctx.outcomeNames?.get(model.outcome) : undefined);
  model.label = stringOf(valueOf(item, "label"));
  const measureNode = valueOf(item, "measure");
  if (measureNode) model.measureSpan = abs(section, measureNode);
  const measureId = stringOf(measureNode);
  model.measure = measureId ? measureById(measureId) : undefined;
  const subgroups = valueOf(item, "subgroups");
  if (subgroups?.kind === "seq") {
    for (const g of subgroups.items) model.groups.push({ name: scalarText(valueOf(g, "name")) ?? "", rows: readRows(section, valueOf(g, "data"), model.measure, out) });
  } else model.groups.push({ name: null, rows: readRows(section, valueOf(item, "data"), model.measure, out) });

  for (const row of model.groups.flatMap((g) => g.rows)) {
    if (row.index === 0 && !studyById(ctx).has(normaliseId(row.study))) {
      const ids = ctx.studies.map((s) => s.summary.id?.value).filter((x): x is string => x !== undefined);
      unknown(out, row.key, "Study", row.study, ids, "studies");
    }
  }
  if (model.measure?.data === "generic" && !pairOf(item, "scale")) {
    // No default: whether the estimates are logs changes every number, so no fix guesses it.
    const first = item.pairs[0]!.key;
    const span = abs(section, first);
    out.push(
      diagnostic("schema-required", span.start, span.end, `Missing required key 'scale' in analysis '${id}': a GIV analysis says whether its estimates are natural logs (\`scale: log\`, ratio measures) or not (\`scale: identity\`)`, {
        key: "scale",
      }),
    );
  }
  Object.assign(model, readPlotKeys(item, model.measure, out));
  model.spec = specOf(item, model);
  if (model.spec && model.measure?.data !== "generic") out.push(...sharedArmDiagnostics(model.groups, model.spec.totals, model.compare.map((c) => c.id)));
  return model;
}

function unknown(out: Diagnostic[], span: Span, what: string, id: string, known: readonly string[], where: string): void {
  const suggestions = nearest(id, known);
  out.push(
    diagnostic("unknown-reference", span.start, span.end, `${what} '${id}' is not declared in ${where}${didYouMean(suggestions)}`, {
      kind: what.toLowerCase(),
      id,
      suggestions,
      fixes: suggestions.map((c) => ({ title: `Change to '${c}'`, edits: [{ from: 0, to: span.end - span.start, text: c }] })),
    }),
  );
}

/** The numbers' spec, when measure (and scale for GIV) are valid. Rows that are not valid are left out. */
function specOf(item: TreeNode, model: AnalysisModel): AnalysisSpec | undefined {
  const measure = model.measure;
  if (!measure) return undefined;
  const scale = stringOf(valueOf(item, "scale"));
  if (measure.data === "generic" && scale !== "log" && scale !== "identity") return undefined;
  const method = stringOf(valueOf(item, "method"));
  const model_ = stringOf(valueOf(item, "model"));
  const tau2 = stringOf(valueOf(item, "tau2"));
  const totals = stringOf(valueOf(item, "totals"));
  return {
    measure: measure.id,
    method: method && measure.methods.includes(method) ? method : measure.defaultMethod,
    model: model_ && MODELS.has(model_) ? (model_ as "fixed" | "random") : "fixed",
    tau2: tau2 === "REML" ? "REML" : "DL",
    logScale: scale === "log",
    totals: totals === "subgroups" || totals === "none" ? totals : "overall",
    groups: model.groups.map((g) => ({ name: g.name, rows: g.rows.filter((r) => r.row).map((r) => ({ study: r.study, row: r.row! })) })),
  };
}

/**
 * Checks between analyses and study records: rows for more participants than a
 * study has, data for an outcome a study does not call reported, and a reported
 * outcome without a row in any of its analyses. Also: the outcomes with data.
 */
export function crossCheckAnalyses(analyses: readonly AnalysisModel[], ctx: AnalysesContext): { diagnostics: Diagnostic[]; withData: Map<string, Set<string>> } {
  const out: Diagnostic[] = [];
  /** outcome id -> study ids with a row in one of its analyses */
  const withData = new Map<string, Set<string>>();
  const byId = studyById(ctx);
  for (const a of analyses) {
    let outcomeData: Set<string> | undefined;
    if (a.outcome !== undefined) {
      outcomeData = withData.get(a.outcome);
      if (!outcomeData) withData.set(a.outcome, (outcomeData = new Set<string>()));
    }
    for (const group of a.groups)
    for (const row of group.rows) {
      const study = byId.get(row.studyKey);
      if (!study) continue;
      outcomeData?.add(study.summary.id!.value);
      const participants = study.summary.participants;
      if (row.total && participants !== undefined && row.total.value[0] + row.total.value[1] > participants) {
        out.push(
          diagnostic(
            "data-exceeds-participants",
            row.total.span.start,
            row.total.span.end,
            `The row of '${row.study}' counts ${row.total.value[0] + row.total.value[1]} participants (${row.total.value[0]} + ${row.total.value[1]}), more than the study's ${participants}: check the totals or the study's participants`,
            { study: row.study, total: row.total.value, participants },
          ),
        );
      }
      if (a.outcome === undefined || row.index > 0) continue;
      const status = study.summary.statuses[a.outcome];
      if (status !== undefined && !statusById(status)?.usable) {
        const at = study.summary.statusSpans[a.outcome]!;
        const from = study.base + at.start - row.key.start;
        out.push(
          diagnostic(
            "data-status-conflict",
            row.key.start,
            row.key.end,
            `'${row.study}' has data for outcome '${a.outcome}' in analysis '${a.id}', but its status for it is '${status}': set it to '${USABLE_STATUS}' (or remove the row)`,
            { study: row.study, outcome: a.outcome, status, fixes: [{ title: `Set the status of '${a.outcome}' in '${row.study}' to '${USABLE_STATUS}'`, edits: [{ from, to: from + at.end - at.start, text: USABLE_STATUS }] }] },
          ),
        );
      }
    }
  }
  const analysed = new Set(analyses.map((a) => a.outcome).filter((x): x is string => x !== undefined));
  // Run on every edit: without analyses there is nothing to look at (and no entry arrays to allocate per study).
  for (const s of analysed.size ? ctx.studies : []) {
    const id = s.summary.id?.value;
    if (id === undefined) continue;
    for (const outcome in s.summary.statuses) {
      const status = s.summary.statuses[outcome]!;
      if (!statusById(status)?.usable || !analysed.has(outcome) || withData.get(outcome)?.has(id)) continue;
      const at = s.summary.statusSpans[outcome]!;
      const names = analyses.filter((a) => a.outcome === outcome).map((a) => `'${a.id}'`);
      out.push(
        diagnostic(
          "data-missing",
          s.base + at.start,
          s.base + at.end,
          `'${id}' reports outcome '${outcome}', but no analysis of it (${names.join(", ")}) has a row for the study: add its data, or say why it cannot be used`,
          { study: id, outcome, analyses: names },
        ),
      );
    }
  }
  return { diagnostics: out, withData };
}
