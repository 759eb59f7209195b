/**
 * Checks of one included study: its schema, references to protocol ids, outcome
 * statuses and risk-of-bias judgements. A pure function of the study's tree and
 * a small context (tool, outcomes, arms), so the result is cached by the study's
 * text and the context's fingerprint: an edit re-checks only the study it touched.
 * Offsets in and out are the study tree's own (relative to its chunk).
 */
import { DEFAULT_MISSING_STATUS, OUTCOME_STATUSES, OVERALL_KEY, SELECTIVE_REPORTING_DOMAIN } from "../../../schemas/src/domain";
import { Study } from "../../../schemas/src/protocol";
import { textCitations, type CitationRef } from "./citations";
import { diagnostic, type Diagnostic } from "./diagnostics";
import { schemaDiagnostics } from "./schema-check";
import { didYouMean, listOf, nearest } from "./suggest";
import { HIGH_RISK_ORBIT, type DomainView, type ToolView } from "./tool";
import { forEachScalar, nodeAtPath, pairOf, scalarText, stringOf, toPlain, valueOf, type MapNode, type PairNode, type ScalarNode, type TreeNode } from "./tree";

export interface OutcomeDecl {
  id: string;
  role?: string;
  harm: boolean;
}

export interface StudyContext {
  tool?: ToolView;
  outcomes: readonly OutcomeDecl[];
  arms: readonly string[];
  /** Changes whenever anything above changes: part of the cache key of study results. */
  fingerprint: string;
}

export interface StudySummary {
  id?: { value: string; start: number; end: number };
  cite?: CitationRef;
  /** `[@key]` citations in the study's text values. */
  citations: CitationRef[];
  /** Outcome id -> status, for the cross-study checks. */
  statuses: Record<string, string>;
  doi?: { value: string; start: number; end: number };
  registrations: { value: string; start: number; end: number }[];
}

export interface StudyResult {
  diagnostics: Diagnostic[];
  summary: StudySummary;
}

const STATUS_GIVES_RESULTS = new Map(OUTCOME_STATUSES.map((s) => [s.id, s.givesResults]));
const ROB_ENTRY_KEYS = ["judgement", "support", "applicability"];

export function studyContext(tool: ToolView | undefined, outcomes: readonly OutcomeDecl[], arms: readonly string[]): StudyContext {
  const fingerprint = JSON.stringify([tool?.id, tool?.id === "custom" ? tool.domains : null, outcomes, arms]);
  return { tool, outcomes, arms, fingerprint };
}

/**
 * @param raw the source text of a span of the study, for citations in text
 *   (ranges come from the text as written, also inside block scalars).
 */
export function checkStudy(node: TreeNode, raw: (start: number, end: number) => string, ctx: StudyContext): StudyResult {
  const out: Diagnostic[] = [];
  const summary: StudySummary = { citations: [], statuses: {}, registrations: [] };
  const idNode = valueOf(node, "id");
  const idText = scalarText(idNode);
  if (idNode && idText !== undefined) summary.id = { value: idText, start: idNode.start, end: idNode.end };
  const label = idText !== undefined ? `Study '${idText}'` : "This study";
  const firstKey = node.kind === "map" && node.pairs[0] ? node.pairs[0].key : node;

  // Schema: everything but the inside of risk_of_bias, which depends on the tool (checked below).
  const plain = toPlain(node);
  const schema = schemaDiagnostics({
    schema: Study,
    value: plain,
    label: label.replace(/^Study/, "study").replace(/^This study/, "this study"),
    locate: (path) => ({ ...nodeAtPath(node, path), base: 0 }),
    rootHolder: { start: firstKey.start, end: firstKey.end },
    ignore: (path) => path[0] === "risk_of_bias" && path.length > 1,
  });
  out.push(...schema);
  if (node.kind !== "map") return { diagnostics: out, summary };

  const anchor = idNode ?? firstKey;
  const citeNode = valueOf(node, "cite");
  const cite = stringOf(citeNode);
  if (citeNode && cite !== undefined) summary.cite = { key: cite, start: citeNode.start, end: citeNode.end };
  const doiNode = valueOf(node, "doi");
  const doi = scalarText(doiNode);
  if (doiNode && doi !== undefined) summary.doi = { value: doi, start: doiNode.start, end: doiNode.end };
  const registrations = valueOf(node, "registrations");
  if (registrations?.kind === "seq") {
    for (const item of registrations.items) {
      const id = scalarText(item);
      if (id !== undefined) summary.registrations.push({ value: id, start: item.start, end: item.end });
    }
  }
  forEachScalar(node, (s) => {
    if (s === citeNode || typeof s.value !== "string" || !s.value.includes("@")) return;
    summary.citations.push(...textCitations(raw(s.start, s.end), s.start));
  });

  checkArms(valueOf(node, "arms"), ctx, out);
  const outcomesPair = pairOf(node, "outcomes");
  const reports = checkOutcomeStatuses(outcomesPair, anchor, label, ctx, summary, out);
  const robPair = pairOf(node, "risk_of_bias");
  if (ctx.tool) checkRiskOfBias(robPair, anchor, label, ctx.tool, ctx, summary, reports, outcomesPair !== undefined, out);
  return { diagnostics: out, summary };
}

function checkArms(arms: TreeNode | null | undefined, ctx: StudyContext, out: Diagnostic[]): void {
  if (arms?.kind !== "seq") return;
  for (const item of arms.items) {
    const id = stringOf(item);
    if (id === undefined || ctx.arms.includes(id)) continue;
    const suggestions = nearest(id, ctx.arms);
    out.push(
      diagnostic(
        "unknown-reference",
        item.start,
        item.end,
        `Arm '${id}' is not declared in question.interventions or question.comparators${didYouMean(suggestions)}`,
        { kind: "arm", id, suggestions },
      ),
    );
  }
}

function checkOutcomeStatuses(
  pair: PairNode | undefined,
  anchor: TreeNode,
  label: string,
  ctx: StudyContext,
  summary: StudySummary,
  out: Diagnostic[],
): OutcomeReport[] {
  const reports: OutcomeReport[] = [];
  const declared = ctx.outcomes.map((o) => o.id);
  const map = pair?.value;
  if (map?.kind === "map") {
    for (const p of map.pairs) {
      const id = String(p.key.value);
      if (!declared.includes(id)) {
        const suggestions = nearest(id, declared);
        out.push(
          diagnostic("unknown-reference", p.key.start, p.key.end, `Outcome '${id}' is not declared in the protocol's outcomes${didYouMean(suggestions)}`, {
            kind: "outcome",
            id,
            suggestions,
          }),
        );
        continue;
      }
      const status = stringOf(p.value) ?? stringOf(valueOf(p.value, "status"));
      if (status && STATUS_GIVES_RESULTS.has(status)) summary.statuses[id] = status;
      reports.push({ id, status, orbit: stringOf(valueOf(p.value, "orbit")) });
    }
  }
  if (pair && map?.kind !== "map" && map !== null) return reports; // a wrong type, reported by the schema
  const present = map?.kind === "map" ? new Set(map.pairs.map((p) => String(p.key.value))) : new Set<string>();
  const missing = declared.filter((id) => !present.has(id));
  if (!missing.length) return reports;
  const target = pair ? pair.key : anchor;
  out.push(
    diagnostic(
      "missing-outcome-status",
      target.start,
      target.end,
      `${label} says nothing about ${missing.length > 1 ? "outcomes" : "outcome"} ${listOf(missing.map((m) => `'${m}'`))}: add a status for each (e.g. not-reported)`,
      { missing, status: DEFAULT_MISSING_STATUS },
    ),
  );
  return reports;
}

interface OutcomeReport {
  id: string;
  status?: string;
  orbit?: string;
}

interface BlockResult {
  /** Domain ids present. */
  present: Set<string>;
  /** domain id -> judgement (valid values only). */
  judgements: Map<string, string>;
  selectiveReporting?: ScalarNode;
}

/** Checks one block of domain judgements (a study's, or one outcome's under a per-outcome tool). */
function checkBlock(block: MapNode, tool: ToolView, where: string, out: Diagnostic[]): BlockResult {
  const result: BlockResult = { present: new Set(), judgements: new Map() };
  let overall: ScalarNode | undefined;
  for (const p of block.pairs) {
    const key = String(p.key.value);
    if (key === OVERALL_KEY) {
      const v = p.value;
      if (v?.kind === "scalar" && typeof v.value === "string") {
        if (checkJudgement(v, tool.judgements, tool, `the overall judgement${where}`, out)) overall = v;
      } else if (v) {
        out.push(diagnostic("schema-type", v.start, v.end, `'overall'${where} must be a plain judgement value (${listOf([...tool.judgements], "or")})`, { expected: tool.judgements }));
      }
      continue;
    }
    const domain = tool.domains.find((d) => d.id === key);
    if (!domain) {
      const candidates = tool.domains.map((d) => d.id).filter((id) => !block.pairs.some((q) => q.key.value === id));
      const suggestions = nearest(key, candidates);
      out.push(
        diagnostic(
          "unknown-bias-domain",
          p.key.start,
          p.key.end,
          `'${key}' is not a domain of ${tool.id}${where}; its domains are ${listOf(tool.domains.map((d) => d.id))}${didYouMean(suggestions)}`,
          { domain: key, tool: tool.id, suggestions },
        ),
      );
      continue;
    }
    result.present.add(key);
    const judgement = checkDomainEntry(p, domain, tool, where, out);
    if (judgement) {
      result.judgements.set(key, String(judgement.value));
      if (key === SELECTIVE_REPORTING_DOMAIN) result.selectiveReporting = judgement;
    }
  }
  if (overall) checkOverall(overall, result.judgements, tool, where, out);
  return result;
}

/** Returns the judgement node when its value is valid for the domain. */
function checkDomainEntry(p: PairNode, domain: DomainView, tool: ToolView, where: string, out: Diagnostic[]): ScalarNode | undefined {
  const v = p.value;
  const subject = `'${domain.id}'${where}`;
  if (v?.kind === "scalar" && typeof v.value === "string") {
    // Shorthand `domain: low`: a judgement without support.
    if (!checkJudgement(v, domain.allowed, tool, subject, out)) return undefined;
    out.push(missingSupport(v, domain.id, where));
    return v;
  }
  if (v?.kind !== "map") {
    const at = v ?? p.key;
    out.push(diagnostic("schema-type", at.start, at.end, `${subject} must be a mapping like { judgement: ${tool.noInformation}, support: "…" }`, { expected: "mapping" }));
    return undefined;
  }
  for (const q of v.pairs) {
    const k = String(q.key.value);
    if (ROB_ENTRY_KEYS.includes(k) && (k !== "applicability" || domain.applicability)) continue;
    const allowed = ROB_ENTRY_KEYS.filter((x) => x !== "applicability" || domain.applicability);
    const suggestions = nearest(k, allowed);
    out.push(diagnostic("schema-unknown-key", q.key.start, q.key.end, `Unknown key '${k}' in the judgement of ${subject}${didYouMean(suggestions)}`, { key: k, suggestions, allowed }));
  }
  const applicability = valueOf(v, "applicability");
  if (applicability?.kind === "scalar" && typeof applicability.value === "string" && domain.applicability) {
    checkJudgement(applicability, tool.judgements, tool, `the applicability of ${subject}`, out);
  }
  const jNode = valueOf(v, "judgement");
  if (!jNode) {
    out.push(diagnostic("schema-required", p.key.start, p.key.end, `Missing required key 'judgement' in ${subject}: add \`judgement:\``, { key: "judgement" }));
    return undefined;
  }
  if (jNode.kind !== "scalar" || typeof jNode.value !== "string") {
    out.push(diagnostic("schema-type", jNode.start, jNode.end, `The judgement of ${subject} must be one of ${listOf([...domain.allowed], "or")}`, { expected: domain.allowed }));
    return undefined;
  }
  if (!checkJudgement(jNode, domain.allowed, tool, subject, out)) return undefined;
  const support = valueOf(v, "support");
  if (!support || (support.kind === "scalar" && (support.value === null || String(support.value).trim() === ""))) {
    out.push(missingSupport(jNode, domain.id, where));
  }
  return jNode;
}

function missingSupport(at: ScalarNode, domain: string, where: string): Diagnostic {
  return diagnostic(
    "missing-bias-support",
    at.start,
    at.end,
    `The judgement of '${domain}'${where} has no support: add \`support:\` with the reason (a quote from the report, or its absence)`,
    { domain },
  );
}

function checkJudgement(node: ScalarNode, allowed: readonly string[], tool: ToolView, subject: string, out: Diagnostic[]): boolean {
  const value = String(node.value);
  if (allowed.includes(value)) return true;
  const suggestions = nearest(value, allowed);
  out.push(
    diagnostic(
      "invalid-judgement",
      node.start,
      node.end,
      `Unknown judgement '${value}' for ${tool.id} (${subject}); expected ${listOf([...allowed], "or")}${didYouMean(suggestions)}`,
      { value, expected: allowed, suggestions, tool: tool.id },
    ),
  );
  return false;
}

function checkOverall(overall: ScalarNode, judgements: Map<string, string>, tool: ToolView, where: string, out: Diagnostic[]): void {
  const given = tool.severity.get(String(overall.value));
  if (given === undefined) return;
  let worst: { id: string; rank: number; domains: string[] } | undefined;
  for (const [domain, j] of judgements) {
    const rank = tool.severity.get(j);
    if (rank === undefined) continue;
    if (!worst || rank > worst.rank) worst = { id: j, rank, domains: [domain] };
    else if (rank === worst.rank) worst.domains.push(domain);
  }
  if (!worst || given >= worst.rank) return;
  out.push(
    diagnostic(
      "inconsistent-overall-judgement",
      overall.start,
      overall.end,
      `Overall '${String(overall.value)}'${where} is milder than the '${worst.id}' judgement of ${listOf(worst.domains)}; ${tool.id}: the overall is at least as severe as the worst domain — set it to '${worst.id}'`,
      { value: overall.value, expected: worst.id, domains: worst.domains },
    ),
  );
}

function checkRiskOfBias(
  robPair: PairNode | undefined,
  anchor: TreeNode,
  label: string,
  tool: ToolView,
  ctx: StudyContext,
  summary: StudySummary,
  reports: readonly OutcomeReport[],
  hasOutcomes: boolean,
  out: Diagnostic[],
): void {
  const rob = robPair?.value;
  if (robPair && rob && rob.kind !== "map") return; // a wrong type, reported by the schema
  const robMap = rob?.kind === "map" ? rob : undefined;
  const target = robPair ? robPair.key : anchor;
  const withResults = Object.keys(summary.statuses).filter((id) => STATUS_GIVES_RESULTS.get(summary.statuses[id]!));
  const allDomains = tool.domains.map((d) => d.id);

  if (tool.per === "study") {
    const block = robMap ? checkBlock(robMap, tool, "", out) : { present: new Set<string>(), judgements: new Map<string, string>() } as BlockResult;
    const needs = withResults.length > 0 || !hasOutcomes;
    const missing = allDomains.filter((d) => !block.present.has(d));
    if (needs && missing.length) {
      out.push(
        diagnostic("missing-bias-domain", target.start, target.end, `${label} has no judgement for: ${missing.join(", ")}`, {
          missing,
          tool: tool.id,
          judgement: tool.noInformation,
        }),
      );
    }
    if (tool.id === "rob1" && block.selectiveReporting && block.judgements.get(SELECTIVE_REPORTING_DOMAIN) === "low") {
      checkSelectiveReporting(block.selectiveReporting, reports, ctx, label, out);
    }
    return;
  }

  // Per-outcome tools: outcome id -> block of domains.
  const declared = ctx.outcomes.map((o) => o.id);
  const judged = new Set<string>();
  for (const p of robMap?.pairs ?? []) {
    const id = String(p.key.value);
    if (!declared.includes(id)) {
      const suggestions = nearest(id, declared);
      const hint = allDomains.includes(id) ? `; ${tool.id} judges each outcome: put the domains under an outcome id` : didYouMean(suggestions);
      out.push(diagnostic("unknown-reference", p.key.start, p.key.end, `Outcome '${id}' is not declared in the protocol's outcomes${hint}`, { kind: "outcome", id, suggestions }));
      continue;
    }
    judged.add(id);
    if (p.value?.kind !== "map") {
      const at = p.value ?? p.key;
      out.push(diagnostic("schema-type", at.start, at.end, `The judgements for outcome '${id}' must be a mapping of domain ids to { judgement, support }`, { expected: "mapping" }));
      continue;
    }
    const where = ` for outcome '${id}'`;
    const block = checkBlock(p.value, tool, where, out);
    const missing = allDomains.filter((d) => !block.present.has(d));
    if (missing.length && withResults.includes(id)) {
      out.push(
        diagnostic("missing-bias-domain", p.key.start, p.key.end, `${label} has no judgement for: ${missing.join(", ")} (outcome '${id}')`, {
          missing,
          outcome: id,
          tool: tool.id,
          judgement: tool.noInformation,
        }),
      );
    }
  }
  for (const id of withResults) {
    if (judged.has(id)) continue;
    out.push(
      diagnostic(
        "missing-bias-domain",
        target.start,
        target.end,
        `${label} reports outcome '${id}' but has no ${tool.id} judgements for it (${tool.id} judges each result): add ${id}: with ${allDomains.join(", ")}`,
        { missing: allDomains, outcome: id, tool: tool.id, judgement: tool.noInformation, addOutcome: true },
      ),
    );
  }
}

function checkSelectiveReporting(judgement: ScalarNode, reports: readonly OutcomeReport[], ctx: StudyContext, label: string, out: Diagnostic[]): void {
  const harm = new Set(ctx.outcomes.filter((o) => o.harm).map((o) => o.id));
  const reasons: string[] = [];
  const offending: string[] = [];
  for (const entry of reports) {
    const { id, status, orbit } = entry;
    if (status === "measured-not-reported") {
      offending.push(id);
      reasons.push(`'${id}' is measured-not-reported`);
    } else if (orbit && HIGH_RISK_ORBIT.has(orbit) && !harm.has(id)) {
      offending.push(id);
      reasons.push(`'${id}' has ORBIT letter ${orbit} (high risk)`);
    }
  }
  if (!offending.length) return;
  out.push(
    diagnostic(
      "selective-reporting-inconsistent",
      judgement.start,
      judgement.end,
      `${label} judges selective reporting 'low', but ${listOf(reasons)}: judge it 'high' (or 'unclear')`,
      { outcomes: offending, suggestions: ["high", "unclear"] },
    ),
  );
}
