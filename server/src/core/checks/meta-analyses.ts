/**
 * Checks of the `analyses` section, read from each meta-analysis's model
 * (model/meta-analyses.ts): its schema; its outcome, arms and studies are the
 * protocol's; each row fits the measure and its numbers can be right; a GIV
 * analysis says its scale; one group of people counts once in a pooled total
 * (shared-arms.ts); ids are unique. Then the checks between the analyses and the
 * study records, and measures the format does not have, explained.
 */
import { FIXED_EFFECT, MEASURES, RANDOM_EFFECTS, statusById, USABLE_STATUS, type MeasureDef } from "../../../../schemas/src/domain";
import { MetaAnalysis } from "../../../../schemas/src/protocol";
import { rowKeys, rowTemplate, type MetaAnalysisModel, type DataRowModel } from "../model/meta-analyses";
import { shift, type Span } from "../syntax/span";
import { didYouMean, nearest } from "../syntax/suggest";
import { nodeAtPath, pairOf, toPlain, valueOf, type MapNode } from "../syntax/tree";
import { appendAll } from "../syntax/arrays";
import { diagnostic, type Diagnostic } from "./diagnostics";
import { replaceWith, withFixes } from "./fixes";
import { schemaDiagnostics } from "./schema";
import { sharedArmDiagnostics } from "./shared-arms";
import type { StudyAt } from "./studies";

/** What the analyses are checked against. */
export interface MetaAnalysesContext {
  outcomes: readonly string[];
  arms: readonly string[];
  studies: readonly StudyAt[];
  /** Studies by normalised id, the first of each (built once per pass: thousands of rows look studies up). */
  byId: ReadonlyMap<string, StudyAt>;
}

export function metaAnalysesContext(studies: readonly StudyAt[], outcomes: readonly string[], arms: readonly string[], normalise: (id: string) => string): MetaAnalysesContext {
  const byId = new Map<string, StudyAt>();
  for (const s of studies) {
    const id = s.checked.model.id;
    if (id && !byId.has(normalise(id.value))) byId.set(normalise(id.value), s);
  }
  return { outcomes, arms, studies, byId };
}

/** One meta-analysis in its own coordinates: schema, references, rows, scale, shared arms. */
export function checkMetaAnalysis(item: MapNode, model: MetaAnalysisModel, ctx: MetaAnalysesContext): Diagnostic[] {
  const out = schemaDiagnosticsOf(item, model);
  if (model.outcomeSpan && !ctx.outcomes.includes(model.outcome!)) unknown(out, model.outcomeSpan, "Outcome", model.outcome!, ctx.outcomes, "the protocol's outcomes");
  for (const c of model.compare) if (!ctx.arms.includes(c.id)) unknown(out, c.span, "Arm", c.id, ctx.arms, "question.interventions or question.comparators");
  const rows = model.groups.flatMap((g) => g.rows);
  for (const row of rows) rowDiagnostics(row, model.measure, out);
  for (const row of rows) {
    if (row.index === 0 && !ctx.byId.has(row.studyKey)) {
      const ids = ctx.studies.map((s) => s.checked.model.id?.value).filter((x): x is string => x !== undefined);
      unknown(out, row.key, "Study", row.study, ids, "studies");
    }
  }
  if (model.measure?.data === "generic" && !pairOf(item, "scale")) {
    // No default: whether the estimates are logs changes every number, so no fix guesses it.
    const first = item.pairs[0]!.key;
    out.push(
      diagnostic("schema-required", first.start, first.end, `Missing required key 'scale' in analysis '${model.id}': a GIV analysis says whether its estimates are natural logs (\`scale: log\`, ratio measures) or not (\`scale: identity\`)`, {
        key: "scale",
      }),
    );
  }
  scaleDiagnostics(item, model.measure, out);
  randomOnlyDiagnostics(item, out);
  if (model.spec && model.measure?.data !== "generic") appendAll(out, sharedArmDiagnostics(model.groups, model.spec.totals, model.compare.map((c) => c.id)));
  return out;
}

function schemaDiagnosticsOf(item: MapNode, model: MetaAnalysisModel): Diagnostic[] {
  return schemaDiagnostics({
    schema: MetaAnalysis,
    value: toPlain(item),
    label: `analysis '${model.id}'`,
    locate: (path) => ({ ...nodeAtPath(item, path), base: 0 }),
    rootHolder: { start: item.pairs[0]?.key.start ?? item.start, end: item.pairs[0]?.key.end ?? item.end },
  });
}

/** Why a row is not pooled: a form that does not fit the measure, or numbers that cannot be right. */
function rowDiagnostics(row: DataRowModel, measure: MeasureDef | undefined, out: Diagnostic[]): void {
  if (row.unfit && measure) {
    const { missing, wrong } = row.unfit;
    out.push(
      diagnostic(
        "data-invalid",
        row.key.start,
        row.key.end,
        `The row of '${row.study}' does not fit ${measure.id} (${measure.name}): it needs ${rowKeys(measure).map((k) => `\`${k}\``).join(", ")}` +
          (wrong.length ? `, not ${wrong.map((k) => `\`${k}\``).join(", ")}` : "") +
          ` — e.g. ${rowTemplate(measure)}`,
        { study: row.study, measure: measure.id, missing },
      ),
    );
  }
  for (const p of row.problems ?? []) out.push(diagnostic("data-invalid", p.span.start, p.span.end, `${p.message} (row of '${row.study}')`, { study: row.study }));
}

/** A GIV analysis's `scale` is its data scale (log or identity); another measure's is a positive axis range. */
function scaleDiagnostics(item: MapNode, measure: MeasureDef | undefined, out: Diagnostic[]): void {
  const node = valueOf(item, "scale");
  if (node?.kind !== "scalar" || !measure) return;
  const wrong = (message: string) => out.push(diagnostic("schema-type", node.start, node.end, message, { key: "scale" }));
  if (measure.data === "generic") {
    if (typeof node.value === "number") {
      wrong(`A GIV analysis's \`scale\` says whether its estimates are natural logs (\`scale: log\`, ratio measures) or not (\`scale: identity\`), not an axis range: its forest plot's axis follows the default rule`);
    }
  } else if (typeof node.value === "number" && node.value > 0) return;
  else if (node.value === "log" || node.value === "identity") {
    wrong(`\`scale: ${node.value}\` is a GIV analysis's data scale; ${measure.id} data are never logs: remove it, or give the forest plot's axis range as a number (e.g. \`scale: 100\`)`);
  }
}

/** What section 8.1's settings do, for the message saying they need random effects. */
const RANDOM_ONLY: Record<string, { value: string | boolean; what: string }> = {
  tau2: { value: "REML", what: "REML estimates the between-study variance τ² of a random-effects model" },
  ci: { value: "hksj", what: "the HKSJ interval is a random-effects pool's" },
  prediction: { value: true, what: "a prediction interval comes from the between-study variance τ² of a random-effects model" },
};

/**
 * `tau2: REML`, `ci: hksj` or `prediction: true` with `model: fixed` (or no model):
 * schema-type on the value, saying they need `model: random` (section 8.1). The
 * defaults (`tau2: DL`, `ci: wald`, `prediction: false`) are harmless there.
 */
function randomOnlyDiagnostics(item: MapNode, out: Diagnostic[]): void {
  const model = valueOf(item, "model");
  const written = model?.kind === "scalar" ? model.value : undefined;
  if (model && written !== FIXED_EFFECT) return; // random, or a wrong model (its own schema-enum)
  for (const [key, { value, what }] of Object.entries(RANDOM_ONLY)) {
    const node = valueOf(item, key);
    if (node?.kind !== "scalar" || node.value !== value) continue;
    const stated = model ? "`model: fixed`" : "no `model` (fixed effect by default)";
    out.push(
      diagnostic("schema-type", node.start, node.end, `\`${key}: ${String(value)}\` needs \`model: random\`: ${what}, and this analysis has ${stated}. Add \`model: ${RANDOM_EFFECTS}\`, or remove \`${key}\``, {
        key,
        value,
        model: FIXED_EFFECT,
      }),
    );
  }
}

function unknown(out: Diagnostic[], span: Span, what: string, id: string, known: readonly string[], where: string): void {
  const suggestions = nearest(id, known);
  const d = diagnostic("unknown-reference", span.start, span.end, `${what} '${id}' is not declared in ${where}${didYouMean(suggestions)}`, { kind: what.toLowerCase(), id, suggestions });
  out.push(withFixes(d, suggestions.map((c) => replaceWith({ ...span, value: id }, c, `Change to '${c}'`))));
}

/** Analysis ids are unique (absolute offsets). */
export function duplicateMetaAnalysisIds(analyses: readonly MetaAnalysisModel[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const model of analyses) {
    if (!model.id) continue;
    if (seen.has(model.id)) out.push(diagnostic("duplicate-id", model.idSpan.start, model.idSpan.end, `Analysis id '${model.id}' is used twice; give each analysis a unique id`, { id: model.id }));
    seen.add(model.id);
  }
  return out;
}

/**
 * Checks between analyses and study records: rows for more participants than a
 * study has, data for an outcome a study does not call reported, and a reported
 * outcome without a row in any of its analyses. Also: the outcomes with data.
 */
export function crossCheckMetaAnalyses(analyses: readonly MetaAnalysisModel[], ctx: MetaAnalysesContext): { diagnostics: Diagnostic[]; withData: Map<string, Set<string>> } {
  const out: Diagnostic[] = [];
  /** outcome id -> study ids with a row in one of its analyses */
  const withData = new Map<string, Set<string>>();
  for (const a of analyses) {
    let outcomeData: Set<string> | undefined;
    if (a.outcome !== undefined) {
      outcomeData = withData.get(a.outcome);
      if (!outcomeData) withData.set(a.outcome, (outcomeData = new Set<string>()));
    }
    for (const group of a.groups) for (const row of group.rows) rowAgainstStudy(a, row, ctx, outcomeData, out);
  }
  appendAll(out, missingData(analyses, ctx, withData));
  return { diagnostics: out, withData };
}

/** A row against its study's record: participants, and the status of the analysis's outcome. */
function rowAgainstStudy(a: MetaAnalysisModel, row: DataRowModel, ctx: MetaAnalysesContext, outcomeData: Set<string> | undefined, out: Diagnostic[]): void {
  const study = ctx.byId.get(row.studyKey);
  if (!study) return;
  const { model, statuses } = study.checked;
  outcomeData?.add(model.id!.value);
  const participants = model.participants;
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
  if (a.outcome === undefined || row.index > 0) return;
  const at = Object.hasOwn(statuses, a.outcome) ? statuses[a.outcome] : undefined;
  if (at === undefined || statusById(at.value)?.usable) return;
  const d = diagnostic(
    "data-status-conflict",
    row.key.start,
    row.key.end,
    `'${row.study}' has data for outcome '${a.outcome}' in analysis '${a.id}', but its status for it is '${at.value}': set it to '${USABLE_STATUS}' (or remove the row)`,
    { study: row.study, outcome: a.outcome, status: at.value },
  );
  // The status is in the study, elsewhere in the document: its offsets are made relative to the row's.
  out.push(withFixes(d, [replaceWith(shift(at, study.base), USABLE_STATUS, `Set the status of '${a.outcome}' in '${row.study}' to '${USABLE_STATUS}'`)]));
}

/** A study that reports an outcome with analyses, without a row in any of them. */
function missingData(analyses: readonly MetaAnalysisModel[], ctx: MetaAnalysesContext, withData: ReadonlyMap<string, ReadonlySet<string>>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const analysed = new Set(analyses.map((a) => a.outcome).filter((x): x is string => x !== undefined));
  // Run on every edit: without analyses there is nothing to look at (and no entry arrays to allocate per study).
  for (const s of analysed.size ? ctx.studies : []) {
    const id = s.checked.model.id?.value;
    if (id === undefined) continue;
    const statuses = s.checked.statuses;
    for (const outcome in statuses) {
      const at = statuses[outcome]!;
      if (!statusById(at.value)?.usable || !analysed.has(outcome) || withData.get(outcome)?.has(id)) continue;
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
  return out;
}

/**
 * A measure that is not one of the contract's: changing it to the nearest name
 * (HR → OR) would change every number, so the message says how to enter it
 * and no fix is offered.
 */
export function explainMeasures(out: Diagnostic[], analyses: readonly MetaAnalysisModel[]): void {
  for (const a of analyses) {
    if (a.measure || !a.measureSpan) continue;
    const i = out.findIndex((d) => d.code === "schema-enum" && d.start === a.measureSpan!.start);
    if (i < 0) continue;
    const d = out[i]!;
    const value = String(d.data?.value ?? "");
    const ratio = /^(HR|IRR|RATE|RATIO|.*RATIO)$/i.test(value);
    out[i] = {
      ...d,
      message:
        `'${value}' is not a measure of the format (${MEASURES.map((m) => m.id).join(", ")})` +
        (ratio ? `: enter a ${value} as generic inverse variance — measure: GIV, label: ${value}, scale: log, rows { estimate: ln ${value}, se }` : ""),
      data: { value, expected: d.data?.expected, suggestions: [] },
    };
  }
}

