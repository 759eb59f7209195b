/**
 * Checks of one included study, read from its model (model/studies.ts): its
 * schema, references to protocol ids, outcome statuses and their ORBIT letters,
 * and its risk-of-bias judgements (risk-of-bias.ts). A pure function of the
 * study's tree and a small context (study-context.ts), so the result is cached
 * by the study's text and the context's fingerprint: an edit re-checks only the
 * study it touched. Offsets in and out are the study tree's own (relative to its chunk).
 */
import { DEFAULT_MISSING_STATUS, ORBIT, statusById } from "../../../../schemas/src/domain";
import { Study } from "../../../../schemas/src/protocol";
import { readStudy, type OutcomeReport, type Spanned, type StudyModel } from "../model/studies";
import { toolFor } from "../model/tools";
import type { SourceText } from "../syntax/edits";
import { didYouMean, listOf, nearest } from "../syntax/suggest";
import { isEmpty, nodeAtPath, toPlain, valueOf, type TreeNode } from "../syntax/tree";
import { diagnostic, type Diagnostic } from "./diagnostics";
import { fixesOf, replaceWith, replacements, withFixes } from "./fixes";
import { buildFix, type FixChunk } from "./fix-edits";
import { checkRiskOfBias } from "./risk-of-bias";
import { schemaDiagnostics } from "./schema";
import type { StudyContext } from "./study-context";

/** A study read and checked, in its chunk's coordinates (cached by its text and the context). */
export interface CheckedStudy {
  diagnostics: Diagnostic[];
  /** The study as typed values. */
  model: StudyModel;
  /** Outcome id -> its status, for the declared outcomes whose status is one of the format's: what the cross-study checks compare. */
  statuses: Record<string, Spanned>;
}

/** A checked study where it is: its chunk starts at `base` in the document (what the cross-study checks read). */
export interface StudyAt {
  base: number;
  checked: CheckedStudy;
}

/**
 * @param src the text the study was parsed from: citations in text take their
 *   ranges from the text as written, and a fix that would write through an alias is found.
 */
export function checkStudy(node: TreeNode, src: SourceText, ctx: StudyContext): CheckedStudy {
  const model = readStudy(node, ctx.tools, src);
  const label = model.id !== undefined ? `Study '${model.id.value}'` : "This study";
  const statuses: Record<string, Spanned> = {};
  const out = studySchema(node, label);
  if (node.kind !== "map") return { diagnostics: out, model, statuses };
  // Where study-level diagnostics go when a key is absent: the id's value, else the first key.
  const anchor = valueOf(node, "id") ?? node.pairs[0]?.key ?? node;
  checkArms(model.arms, ctx, out);
  const reports = checkOutcomeStatuses(model, anchor, label, ctx, statuses, out);
  const tool = toolFor(ctx.tools, model.design?.value);
  if (tool) checkRiskOfBias(model, { study: node, anchor, label, tool, ctx, statuses, reports }, out);
  return { diagnostics: withoutFixesThroughAliases(out, src, node, ctx), model, statuses };
}

/** Schema: everything but the inside of risk_of_bias, which depends on the tool (risk-of-bias.ts). */
function studySchema(node: TreeNode, label: string): Diagnostic[] {
  const firstKey = node.kind === "map" && node.pairs[0] ? node.pairs[0].key : node;
  return schemaDiagnostics({
    schema: Study,
    value: toPlain(node),
    label: label.replace(/^Study/, "study").replace(/^This study/, "this study"),
    locate: (path) => ({ ...nodeAtPath(node, path), base: 0 }),
    rootHolder: { start: firstKey.start, end: firstKey.end },
    ignore: (path) => path[0] === "risk_of_bias" && path.length > 1,
  });
}

/**
 * Content reached through a YAML alias (`*lowrisk`) is reported at the alias, but
 * it lives at the anchor, which other studies share: no fix can be written at the
 * alias, so diagnostics there (or whose edits would land there) carry none. Only
 * a study that has an alias has its fixes built here, to see where they land.
 */
function withoutFixesThroughAliases(out: Diagnostic[], src: SourceText, node: TreeNode, ctx: StudyContext): Diagnostic[] {
  const text = src.slice(node.start, node.end);
  if (!text.includes("*")) return out;
  const aliases: [number, number][] = [];
  for (const m of text.matchAll(/(^|[\s:,[{-])(\*[^\s,[\]{}]+)/g)) {
    const start = node.start + m.index! + m[1]!.length;
    aliases.push([start, start + m[2]!.length]);
  }
  if (!aliases.length) return out;
  // An insertion into aliased content lands at the start of the alias's line or of the next: the whole line counts.
  const inAlias = (offset: number) => aliases.some(([a, b]) => offset >= src.lineStart(a) && offset <= src.nextLineStart(b));
  const chunk: FixChunk = { root: node, src, base: 0 };
  const doc = { text: src.slice(0, src.text.length - src.delta), chunkAt: () => chunk, studyAt: () => chunk, outcomes: [...new Set(ctx.outcomes.map((o) => o.id))] };
  return out.map((d) => {
    const fixes = fixesOf(d.data);
    if (!fixes.length) return d;
    const touches = inAlias(d.start) || fixes.some((f) => buildFix(f, d.start, doc)?.edits.some((e) => inAlias(e.from) || inAlias(e.to)));
    if (!touches) return d;
    const { fixes: _dropped, ...data } = d.data!;
    return { ...d, data };
  });
}

function checkArms(arms: readonly Spanned[], ctx: StudyContext, out: Diagnostic[]): void {
  for (const arm of arms) {
    // A number is not an arm id (the schema says so).
    if (typeof arm.node.value !== "string" || ctx.arms.includes(arm.value)) continue;
    const suggestions = nearest(arm.value, ctx.arms);
    out.push(
      withFixes(
        diagnostic(
          "unknown-reference",
          arm.start,
          arm.end,
          `Arm '${arm.value}' is not declared in question.interventions or question.comparators${didYouMean(suggestions)}`,
          { kind: "arm", id: arm.value, suggestions },
        ),
        replacements(arm.node, suggestions),
      ),
    );
  }
}

/** Each reported outcome's id, status and letter must be the protocol's; every declared outcome needs a status. Returns the declared ones. */
function checkOutcomeStatuses(
  model: StudyModel,
  anchor: TreeNode,
  label: string,
  ctx: StudyContext,
  statuses: Record<string, Spanned>,
  out: Diagnostic[],
): OutcomeReport[] {
  const reports: OutcomeReport[] = [];
  // An id declared twice is a duplicate-id elsewhere; here it is one outcome.
  const declared = [...new Set(ctx.outcomes.map((o) => o.id))];
  for (const report of model.outcomes ?? []) {
    const { id, status, orbit } = report;
    if (!declared.includes(id)) {
      const suggestions = nearest(id, declared);
      const key = report.pair.key;
      const d = diagnostic("unknown-reference", key.start, key.end, `Outcome '${id}' is not declared in the protocol's outcomes${didYouMean(suggestions)}`, { kind: "outcome", id, suggestions });
      out.push(withFixes(d, replacements(key, suggestions)));
      continue;
    }
    if (status?.value && statusById(status.value)) statuses[id] = status;
    reports.push(report);
    if (orbit?.value && status?.value) checkOrbit(orbit, status, id, ctx, out);
  }
  const pair = model.outcomesPair;
  const map = pair?.value;
  if (pair && map?.kind !== "map" && !isEmpty(map)) return reports; // a wrong type, reported by the schema
  const present = new Set((model.outcomes ?? []).map((o) => o.id));
  const missing = declared.filter((id) => !present.has(id));
  if (!missing.length) return reports;
  const target = pair ? pair.key : anchor;
  const d = diagnostic(
    "missing-outcome-status",
    target.start,
    target.end,
    `${label} says nothing about ${namesOf(missing, declared.length)}: add a status for each (e.g. ${DEFAULT_MISSING_STATUS})`,
    { missing, status: DEFAULT_MISSING_STATUS },
  );
  // The list and its place are read again when the fix is asked for (fix-edits.ts).
  out.push(withFixes(d, [{ kind: "add-outcome-statuses" }]));
  return reports;
}

/**
 * The outcomes a message names: all of a few; of many, how many (the list is in
 * the data and the fix adds them all): an imported review's hundreds of studies
 * each lacking a hundred statuses publish this message on every edit.
 */
function namesOf(ids: readonly string[], declared: number): string {
  if (ids.length > 5) return `${ids.length} of the ${declared} outcomes`;
  return `${ids.length > 1 ? "outcomes" : "outcome"} ${listOf(ids.map((m) => `'${m}'`))}`;
}

/** ORBIT letters and statuses must agree (Kirkham 2010); harm outcomes use ORBIT II and are not checked. */
function checkOrbit(orbit: Spanned, status: Spanned, outcome: string, ctx: StudyContext, out: Diagnostic[]): void {
  const letter = orbit.value;
  const def = ORBIT.find((o) => o.letter === letter);
  if (!def || ctx.outcomes.some((o) => o.id === outcome && o.harm)) return;
  if (status.value === def.status) return;
  const d = diagnostic(
    "orbit-status-mismatch",
    orbit.start,
    orbit.end,
    `ORBIT ${letter} (${def.situation}) goes with status '${def.status}', but outcome '${outcome}' is '${status.value}'` +
      (statusById(status.value)?.usable ? ": a letter classifies a missing or incompletely reported outcome" : "") +
      `; set the status to '${def.status}' or change the letter`,
    { letter, status: status.value, expected: def.status, outcome },
  );
  out.push(withFixes(d, [replaceWith(status, def.status, `Set the status to '${def.status}' (ORBIT ${letter})`)]));
}
