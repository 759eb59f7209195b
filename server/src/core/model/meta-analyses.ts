/**
 * The `analyses` section (contract section 8) as a semantic model: each
 * meta-analysis with its measure, method, model, subgroups and data rows (typed
 * values with their ranges), the keys that shape its forest plot, and the spec
 * its numbers come from. Read in its item's own coordinates; `placeMetaAnalysis`
 * moves it to the document's. A row whose numbers cannot be pooled says why, for
 * the checks (checks/meta-analyses.ts).
 */
import { FIXED_EFFECT, measureById, NO_TOTALS, OVERALL_TOTAL, RANDOM_EFFECTS, SUBGROUP_TOTALS, type EffectModel, type MeasureDef } from "../../../../schemas/src/domain";
import type { MetaAnalysisResult, MetaAnalysisSpec, DataRow } from "../stats/pooling";
import { shift, spanOf, type Span } from "../syntax/span";
import { pairOf, scalarText, stringOf, valueOf, type MapNode, type SeqNode, type TreeNode } from "../syntax/tree";
import { normaliseId } from "./ids";
import { readPlotKeys } from "./plot-keys";

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
  /** Why the row is not pooled: the keys its measure needs that it lacks (and those of another form it has)… */
  unfit?: { missing: string[]; wrong: string[] };
  /** …or numbers that cannot be right, each where it is written. */
  problems?: { span: Span; message: string }[];
}

export interface MetaAnalysisModel {
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
  spec?: MetaAnalysisSpec;
  groups: { name: string | null; rows: DataRowModel[] }[];
  /** GIV: what the estimate is. */
  label?: string;
  /** The forest plot's labels under the axis, [left, right], as written. */
  labels?: [string, string];
  /** The forest plot's axis range (a numeric `scale`, RevMan's SCALE): 100 → 0.01 to 100 for ratios, −100 to 100 for differences. */
  axisScale?: number;
  result?: MetaAnalysisResult;
  /** `tau2`, `ci`, `prediction` as written (section 8.1), for the hover; the spec holds what they give. */
  randomEffectsKeys: Partial<Record<"tau2" | "ci" | "prediction", string>>;
}

const ROW_KEYS: Record<MeasureDef["data"], string[]> = {
  dichotomous: ["events", "total"],
  continuous: ["mean", "sd", "total"],
  generic: ["estimate", "se"],
};

const OTHER_FORMS = ["events", "mean", "sd", "estimate", "se"];

/** Keys a row of the measure needs. */
export function rowKeys(measure: MeasureDef): readonly string[] {
  return ROW_KEYS[measure.data];
}

/** An empty row of the measure's form, for messages and skeletons. */
export function rowTemplate(measure: MeasureDef): string {
  if (measure.data === "dichotomous") return "{ events: [e1, e2], total: [n1, n2] }";
  if (measure.data === "continuous") return "{ mean: [m1, m2], sd: [s1, s2], total: [n1, n2] }";
  return "{ estimate: y, se: s }";
}

const MODELS = new Set([FIXED_EFFECT, RANDOM_EFFECTS]);

/** One meta-analysis (an `analyses` item) in its own coordinates. */
export function readMetaAnalysis(item: MapNode, outcomeNames?: ReadonlyMap<string, string>): MetaAnalysisModel {
  const idNode = valueOf(item, "id");
  const model: MetaAnalysisModel = { id: scalarText(idNode) ?? "", idSpan: spanOf(idNode ?? item), span: spanOf(item), compare: [], groups: [], randomEffectsKeys: {} };
  for (const key of ["tau2", "ci", "prediction"] as const) {
    const written = scalarText(valueOf(item, key));
    if (written !== undefined) model.randomEffectsKeys[key] = written;
  }
  const outcomeNode = valueOf(item, "outcome");
  model.outcome = scalarText(outcomeNode);
  if (outcomeNode && model.outcome !== undefined) model.outcomeSpan = spanOf(outcomeNode);
  const compare = valueOf(item, "compare");
  if (compare?.kind === "seq") {
    for (const c of compare.items) {
      const cid = scalarText(c);
      if (cid !== undefined) model.compare.push({ id: cid, span: spanOf(c) });
    }
  }
  model.name = stringOf(valueOf(item, "name")) ?? (model.outcome !== undefined ? outcomeNames?.get(model.outcome) : undefined);
  model.label = stringOf(valueOf(item, "label"));
  const measureNode = valueOf(item, "measure");
  if (measureNode) model.measureSpan = spanOf(measureNode);
  const measureId = stringOf(measureNode);
  model.measure = measureId ? measureById(measureId) : undefined;
  const subgroups = valueOf(item, "subgroups");
  if (subgroups?.kind === "seq") {
    for (const g of subgroups.items) model.groups.push({ name: scalarText(valueOf(g, "name")) ?? "", rows: readRows(valueOf(g, "data"), model.measure) });
  } else model.groups.push({ name: null, rows: readRows(valueOf(item, "data"), model.measure) });
  Object.assign(model, readPlotKeys(item, model.measure));
  model.spec = specOf(item, model);
  return model;
}

function pairOfNumbers(node: TreeNode | null | undefined): number[] | undefined {
  if (node?.kind !== "seq") return undefined;
  return node.items.map((i) => (i.kind === "scalar" && typeof i.value === "number" ? i.value : NaN));
}

/** The rows of a `data` mapping: form against the measure, counts, totals, SDs and SEs. */
function readRows(data: TreeNode | null | undefined, measure: MeasureDef | undefined): DataRowModel[] {
  const rows: DataRowModel[] = [];
  if (data?.kind !== "map") return rows;
  for (const p of data.pairs) {
    const study = scalarText(p.key) ?? "";
    const items = p.value?.kind === "seq" ? p.value.items : p.value ? [p.value] : [];
    items.forEach((item, index) => {
      const model: DataRowModel = { study, studyKey: normaliseId(study), key: spanOf(p.key), span: spanOf(item), index, listItem: p.value?.kind === "seq" };
      rows.push(model);
      if (item.kind !== "map") return;
      model.note = stringOf(valueOf(item, "note"));
      const totalNode = valueOf(item, "total");
      const total = pairOfNumbers(totalNode);
      if (totalNode && total?.length === 2 && total.every(Number.isFinite)) model.total = { value: total as [number, number], span: spanOf(totalNode) };
      if (!measure) return;
      model.row = readRow(item, measure, model);
    });
  }
  return rows;
}

/** The row's numbers when they fit the measure and can be right; otherwise `row.unfit` or `row.problems` say why. */
function readRow(item: MapNode, measure: MeasureDef, row: DataRowModel): DataRow | undefined {
  const needs = ROW_KEYS[measure.data];
  const missing = needs.filter((k) => !pairOf(item, k));
  if (missing.length) {
    row.unfit = { missing, wrong: OTHER_FORMS.filter((k) => pairOf(item, k) && !needs.includes(k)) };
    return undefined;
  }
  let ok = true;
  const bad = (node: TreeNode, message: string) => {
    ok = false;
    (row.problems ??= []).push({ span: spanOf(node), message });
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

/** The numbers' spec, when measure (and scale for GIV) are valid. Rows that are not valid are left out. */
function specOf(item: TreeNode, model: MetaAnalysisModel): MetaAnalysisSpec | undefined {
  const measure = model.measure;
  if (!measure) return undefined;
  const scale = stringOf(valueOf(item, "scale"));
  if (measure.data === "generic" && scale !== "log" && scale !== "identity") return undefined;
  const method = stringOf(valueOf(item, "method"));
  const model_ = stringOf(valueOf(item, "model"));
  const tau2 = stringOf(valueOf(item, "tau2"));
  const totals = stringOf(valueOf(item, "totals"));
  const effectModel = model_ && MODELS.has(model_) ? (model_ as EffectModel) : FIXED_EFFECT;
  // Section 8.1's choices act on random effects only (with `model: fixed` they are a schema-type error).
  const random = effectModel === RANDOM_EFFECTS;
  const prediction = valueOf(item, "prediction");
  return {
    measure: measure.id,
    method: method && measure.methods.includes(method) ? method : measure.defaultMethod,
    model: effectModel,
    tau2: random && tau2 === "REML" ? "REML" : "DL",
    ci: random && stringOf(valueOf(item, "ci")) === "hksj" ? "hksj" : "wald",
    prediction: random && prediction?.kind === "scalar" && prediction.value === true,
    logScale: scale === "log",
    totals: totals === SUBGROUP_TOTALS || totals === NO_TOTALS ? totals : OVERALL_TOTAL,
    groups: model.groups.map((g) => ({ name: g.name, rows: g.rows.filter((r) => r.row).map((r) => ({ study: r.study, row: r.row! })) })),
  };
}

/** The meta-analysis at the document's offsets (its item starts at `by`). */
export function placeMetaAnalysis(m: MetaAnalysisModel, by: number): MetaAnalysisModel {
  if (by === 0) return m;
  const row = (r: DataRowModel): DataRowModel => ({
    ...r,
    key: shift(r.key, by),
    span: shift(r.span, by),
    total: r.total && { ...r.total, span: shift(r.total.span, by) },
    ...(r.problems ? { problems: r.problems.map((p) => ({ ...p, span: shift(p.span, by) })) } : {}),
  });
  return {
    ...m,
    idSpan: shift(m.idSpan, by),
    span: shift(m.span, by),
    outcomeSpan: shift(m.outcomeSpan, by),
    measureSpan: shift(m.measureSpan, by),
    compare: m.compare.map((c) => ({ ...c, span: shift(c.span, by) })),
    groups: m.groups.map((g) => ({ ...g, rows: g.rows.map(row) })),
  };
}
