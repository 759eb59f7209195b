/**
 * A study's risk of bias under its own tool, read from its model: the domains a
 * complete assessment needs (per study, or per reported outcome for per-outcome
 * tools), with fixes that add the missing ones as not yet assessed, and RoB 1's
 * selective-reporting judgement against the study's ORBIT letters. Each block's
 * judgements are checked in judgements.ts. Offsets are the study chunk's.
 */
import { HIGH_RISK_ORBIT, ORBIT, SELECTIVE_REPORTING_DOMAIN, statusById } from "../../../../schemas/src/domain";
import type { OutcomeBias, OutcomeReport, Spanned, StudyModel } from "../model/studies";
import { missingDomains, type ToolView } from "../model/tools";
import type { NewPair } from "../syntax/edits";
import { didYouMean, listOf, nearest } from "../syntax/suggest";
import { isEmpty, type MapNode, type TreeNode } from "../syntax/tree";
import { diagnostic, type Diagnostic } from "./diagnostics";
import { precedingKeys, replacements, withFixes, type FixDescription } from "./fixes";
import { checkBlock, emptyBlockResult, type BlockResult } from "./judgements";
import type { StudyContext } from "./study-context";

/** What the risk-of-bias checks of a study are given. */
export interface BiasCheck {
  /** The study's mapping (where a new `risk_of_bias` goes). */
  study: MapNode;
  /** Where study-level diagnostics go when `risk_of_bias` is absent. */
  anchor: TreeNode;
  /** "Study 'Smith 2020'" */
  label: string;
  tool: ToolView;
  ctx: StudyContext;
  /** The study's statuses of declared outcomes (checks/studies.ts). */
  statuses: Readonly<Record<string, Spanned>>;
  /** Its reports of declared outcomes. */
  reports: readonly OutcomeReport[];
}

/**
 * What a fix writes for a domain nobody has judged yet: an empty judgement (not
 * yet assessed), never a value such as `unclear` that would make the study look assessed.
 */
const NOT_ASSESSED = { flow: `{ judgement: , support: "" }`, block: [`judgement:`, `support: ""`] };

export function checkRiskOfBias(model: StudyModel, c: BiasCheck, out: Diagnostic[]): void {
  const rob = model.biasPair?.value;
  if (model.biasPair && rob && rob.kind !== "map" && !isEmpty(rob)) return; // a wrong type, reported by the schema
  if (c.tool.per === "study") perStudy(model, c, out);
  else perOutcome(model, c, out);
}

/** The outcomes the study reports results for: they need judgements. */
function withResults(c: BiasCheck): string[] {
  return Object.keys(c.statuses).filter((id) => statusById(c.statuses[id]!.value)?.givesResults);
}

const addTitle = (missing: readonly string[]) => `Add ${missing.length === 1 ? missing[0] : `the ${missing.length} missing domains`} (not yet assessed)`;

/** The fix that adds domains to a block in the tool's order (or a new risk_of_bias block). */
function addDomains(model: StudyModel, c: BiasCheck, block: MapNode | undefined, missing: string[], present: Set<string>): FixDescription {
  const title = addTitle(missing);
  if (block && (block.pairs.length || block.flow)) {
    const before = precedingKeys(c.tool.domains.map((d) => d.id), present);
    return { kind: "add-pairs", title, into: [{ map: block.start, pairs: missing.map((d): NewPair => ({ key: d, ...NOT_ASSESSED, after: before.get(d) })) }] };
  }
  return addBlockFix(c, title, missing.map((d) => `${d}: ${NOT_ASSESSED.flow}`), model);
}

/** The fix that adds `risk_of_bias:` with `lines` to the study (or under its empty `risk_of_bias:`). */
function addBlockFix(c: BiasCheck, title: string, lines: string[], model: StudyModel): FixDescription {
  const into = model.biasPair ? { into: model.biasPair.key.start } : {};
  return { kind: "add-block", title, study: c.study.start, key: "risk_of_bias", lines, ...into };
}

function perStudy(model: StudyModel, c: BiasCheck, out: Diagnostic[]): void {
  const { tool } = c;
  const bias = model.bias?.perOutcome === false ? model.bias.block : undefined;
  const block = bias ? checkBlock(bias, tool, "", c.ctx, out) : emptyBlockResult();
  const needs = withResults(c).length > 0 || !model.outcomesPair;
  const missing = missingDomains(tool, block.present);
  if (!bias && tool.domains.some((d) => d.applicability)) for (const d of tool.domains) if (d.applicability) block.lacksApplicability.push(d.id);
  if (needs && (missing.length || block.lacksApplicability.length)) {
    const target = model.biasPair ? model.biasPair.key : c.anchor;
    const lacking = [missing.length ? `no judgement for: ${missing.join(", ")}` : "", block.lacksApplicability.length ? `no applicability for: ${block.lacksApplicability.join(", ")}` : ""].filter(Boolean).join("; ");
    const d = diagnostic("missing-bias-domain", target.start, target.end, `${c.label} has ${lacking} (${tool.id})`, { missing, applicability: block.lacksApplicability, tool: tool.id });
    const fixes: FixDescription[] = [];
    if (missing.length) fixes.push(addDomains(model, c, bias?.node, missing, block.present));
    else if (block.applicabilityInto.length) fixes.push({ kind: "add-pairs", title: "Add the missing applicability (not yet assessed)", into: block.applicabilityInto });
    out.push(withFixes(d, fixes));
  }
  if (tool.def?.selectiveReportingFromOrbit) checkSelectiveReporting(block, c, out);
}

/** Per-outcome tools: outcome id -> block of domains, for every outcome the study reports results for. */
function perOutcome(model: StudyModel, c: BiasCheck, out: Diagnostic[]): void {
  const { tool } = c;
  const declared = c.ctx.outcomes.map((o) => o.id);
  const allDomains = tool.domains.map((d) => d.id);
  const reported = withResults(c);
  const rob = model.biasPair?.value;
  const robMap = rob?.kind === "map" ? rob : undefined;
  const blocks = model.bias?.perOutcome ? model.bias.byOutcome : [];
  const judged = new Set<string>();
  let next = 0;
  for (const p of robMap?.pairs ?? []) {
    const id = String(p.key.value);
    // The model keeps the outcomes whose value is a mapping, in order.
    const bias = p.value?.kind === "map" ? blocks[next++] : undefined;
    if (!declared.includes(id)) {
      const suggestions = nearest(id, declared);
      const hint = allDomains.includes(id) ? `; ${tool.id} judges each outcome: put the domains under an outcome id` : didYouMean(suggestions);
      const d = diagnostic("unknown-reference", p.key.start, p.key.end, `Outcome '${id}' is not declared in the protocol's outcomes${hint}`, { kind: "outcome", id, suggestions });
      out.push(withFixes(d, replacements(p.key, suggestions)));
      continue;
    }
    judged.add(id);
    if (isEmpty(p.value)) {
      if (reported.includes(id)) out.push(diagnostic("missing-bias-domain", p.key.start, p.key.end, `${c.label} has no judgement for: ${allDomains.join(", ")} (outcome '${id}')`, { missing: allDomains, outcome: id, tool: tool.id }));
      continue;
    }
    if (!bias) {
      const at = p.value ?? p.key;
      out.push(diagnostic("schema-type", at.start, at.end, `The judgements for outcome '${id}' must be a mapping of domain ids to { judgement, support }`, { expected: "mapping" }));
      continue;
    }
    outcomeBlock(bias, c, reported.includes(id), out);
  }
  const unjudged = reported.filter((id) => !judged.has(id));
  if (unjudged.length) out.push(unjudgedOutcomes(model, c, robMap, unjudged, judged));
}

/** One outcome's block: its judgements, and the domains it lacks when the study reports the outcome. */
function outcomeBlock(bias: OutcomeBias, c: BiasCheck, reported: boolean, out: Diagnostic[]): void {
  const { tool } = c;
  const id = bias.outcome;
  const block = checkBlock(bias, tool, ` for outcome '${id}'`, c.ctx, out);
  const missing = missingDomains(tool, block.present);
  if (!missing.length || !reported) return;
  const key = bias.keySpan;
  const d = diagnostic("missing-bias-domain", key.start, key.end, `${c.label} has no judgement for: ${missing.join(", ")} (outcome '${id}')`, { missing, outcome: id, tool: tool.id });
  const map = bias.node;
  const before = precedingKeys(tool.domains.map((x) => x.id), block.present);
  const into = { map: map.start, pairs: missing.map((m): NewPair => ({ key: m, ...NOT_ASSESSED, after: before.get(m) })) };
  out.push(withFixes(d, map.pairs.length || map.flow ? [{ kind: "add-pairs", title: addTitle(missing), into: [into] }] : []));
}

/** One diagnostic naming every reported outcome without judgements; its fix adds them all. */
function unjudgedOutcomes(model: StudyModel, c: BiasCheck, robMap: MapNode | undefined, unjudged: string[], judged: Set<string>): Diagnostic {
  const { tool } = c;
  const allDomains = tool.domains.map((d) => d.id);
  const domainLines = allDomains.map((m) => `${m}: ${NOT_ASSESSED.flow}`);
  const before = precedingKeys(c.ctx.outcomes.map((o) => o.id), judged);
  const title = `Add ${tool.id} domains for ${listOf(unjudged.map((x) => `'${x}'`))} (not yet assessed)`;
  const fix: FixDescription | undefined =
    robMap && robMap.pairs.length && !robMap.flow
      ? { kind: "add-pairs", title, into: [{ map: robMap.start, pairs: unjudged.map((id) => ({ key: id, flow: `{ ${domainLines.join(", ")} }`, block: domainLines, after: before.get(id) })) }] }
      : !robMap
        ? addBlockFix(c, title, unjudged.flatMap((id) => [`${id}:`, ...domainLines.map((l) => `  ${l}`)]), model)
        : undefined;
  const target = model.biasPair ? model.biasPair.key : c.anchor;
  const d = diagnostic(
    "missing-bias-domain",
    target.start,
    target.end,
    `${c.label} reports ${unjudged.length > 1 ? "outcomes" : "outcome"} ${listOf(unjudged.map((x) => `'${x}'`))} but has no ${tool.id} judgements for ${unjudged.length > 1 ? "them" : "it"} (${tool.id} judges each result): add ${unjudged.length > 1 ? "each" : `${unjudged[0]}:`} with ${allDomains.join(", ")}`,
    { missing: allDomains, outcomes: unjudged, outcome: unjudged[0], tool: tool.id, addOutcome: true },
  );
  return withFixes(d, fix ? [fix] : []);
}

/**
 * rob1: a `low` selective-reporting judgement conflicts with a benefit outcome
 * that has a high-risk ORBIT letter (A, D, E, G), or is measured-not-reported
 * with no letter. A judgement per group is compared with the outcomes it covers.
 */
function checkSelectiveReporting(block: BlockResult, c: BiasCheck, out: Diagnostic[]): void {
  const { tool, ctx, label } = c;
  const harm = new Set(ctx.outcomes.filter((o) => o.harm).map((o) => o.id));
  // The tool's judgements by severity: the mildest (low), and the others, most severe first (high, unclear).
  const bySeverity = [...tool.severity].sort((a, b) => a[1] - b[1]).map(([id]) => id);
  const mildest = bySeverity[0];
  const instead = bySeverity.slice(1).reverse();
  for (const j of block.judged) {
    if (j.domain !== SELECTIVE_REPORTING_DOMAIN || j.value !== mildest || !j.node) continue;
    const reasons: string[] = [];
    const offending: string[] = [];
    for (const { id, status, orbit } of c.reports) {
      if (harm.has(id) || (j.outcomes && !j.outcomes.includes(id))) continue;
      if (orbit?.value && ORBIT.some((o) => o.letter === orbit.value)) {
        if (HIGH_RISK_ORBIT.has(orbit.value)) {
          offending.push(id);
          reasons.push(`'${id}' has ORBIT letter ${orbit.value} (high risk)`);
        }
      } else if (statusById(status?.value)?.withheld) {
        offending.push(id);
        reasons.push(`'${id}' is ${status?.value} with no ORBIT letter`);
      }
    }
    if (!offending.length) continue;
    const d = diagnostic(
      "selective-reporting-inconsistent",
      j.node.start,
      j.node.end,
      `${label} judges selective reporting '${mildest}', but ${listOf(reasons)}: judge it '${instead[0]}'${instead.length > 1 ? ` (or ${instead.slice(1).map((x) => `'${x}'`).join(", ")})` : ""}`,
      { outcomes: offending, suggestions: instead },
    );
    // High or unclear is the reviewer's call: offered, never preferred, never applied by fix-all.
    out.push(withFixes(d, replacements(j.node, instead, (c) => `Judge selective reporting '${c}'`, false)));
  }
}
