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
import { insertPairs, relativeTo, replacements, SourceText, type Fix, type NewPair, type TextEdit } from "./edits";
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

/** Where a study is, for fixes that add to it. */
interface StudyPlace {
  node: MapNode;
  src: SourceText;
  /** Where study-level diagnostics go when a key is absent (the id value). */
  anchor: TreeNode;
}

/** A diagnostic with its quick fixes, their edits relative to its start. */
function withFixes(d: Diagnostic, fixes: Fix[]): Diagnostic {
  if (!fixes.length) return d;
  return { ...d, data: { ...d.data, fixes: fixes.map((f) => ({ title: f.title, edits: relativeTo(d.start, f.edits) })) } };
}

/** Edits (tree coordinates) that add `key:` with block `lines` at the end of the study, or into a key that has no value. */
function addBlock(study: StudyPlace, key: string, lines: string[], emptyPair?: PairNode): TextEdit[] {
  const { src, node } = study;
  const eol = src.eol;
  if (emptyPair) {
    const indent = " ".repeat(src.column(emptyPair.key.start) + 2);
    const at = src.nextLineStart(emptyPair.key.end);
    const text = lines.map((l) => indent + l).join(eol) + eol;
    return [{ from: at, to: at, text: src.atEnd(at) && !src.slice(at - 1, at).endsWith("\n") ? eol + text : text }];
  }
  const last = node.pairs[node.pairs.length - 1]!;
  const indent = " ".repeat(src.column(node.pairs[0]!.key.start));
  const end = last.value ? last.value.end : last.key.end;
  const at = src.nextLineStart(Math.max(end - 1, last.key.end));
  const text = [`${key}:`, ...lines.map((l) => `  ${l}`)].map((l) => indent + l).join(eol) + eol;
  return [{ from: at, to: at, text: src.atEnd(at) && !src.slice(at - 1, at).endsWith("\n") ? eol + text : text }];
}

/** The key after which `id` goes, keeping `order`: the nearest earlier one that is present. */
function after(order: readonly string[], present: ReadonlySet<string>, id: string): string | undefined {
  const i = order.indexOf(id);
  for (let j = i - 1; j >= 0; j--) if (present.has(order[j]!)) return order[j];
  return undefined;
}

function judgementEntry(tool: ToolView): { flow: string; block: string[] } {
  return { flow: `{ judgement: ${tool.noInformation}, support: "" }`, block: [`judgement: ${tool.noInformation}`, `support: ""`] };
}

export function studyContext(tool: ToolView | undefined, outcomes: readonly OutcomeDecl[], arms: readonly string[]): StudyContext {
  const fingerprint = JSON.stringify([tool?.id, tool?.id === "custom" ? tool.domains : null, outcomes, arms]);
  return { tool, outcomes, arms, fingerprint };
}

/**
 * @param src the text the study was parsed from: citations in text take their
 *   ranges from the text as written, and quick fixes match its style.
 */
export function checkStudy(node: TreeNode, src: SourceText, ctx: StudyContext): StudyResult {
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
    source: src,
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
    summary.citations.push(...textCitations(src.slice(s.start, s.end), s.start));
  });

  checkArms(valueOf(node, "arms"), ctx, out);
  const study: StudyPlace = { node, src, anchor };
  const outcomesPair = pairOf(node, "outcomes");
  const reports = checkOutcomeStatuses(outcomesPair, study, label, ctx, summary, out);
  const robPair = pairOf(node, "risk_of_bias");
  if (ctx.tool) checkRiskOfBias(robPair, study, label, ctx.tool, ctx, summary, reports, outcomesPair !== undefined, out);
  return { diagnostics: out, summary };
}

function checkArms(arms: TreeNode | null | undefined, ctx: StudyContext, out: Diagnostic[]): void {
  if (arms?.kind !== "seq") return;
  for (const item of arms.items) {
    const id = stringOf(item);
    if (id === undefined || ctx.arms.includes(id)) continue;
    const suggestions = nearest(id, ctx.arms);
    out.push(
      withFixes(
        diagnostic(
          "unknown-reference",
          item.start,
          item.end,
          `Arm '${id}' is not declared in question.interventions or question.comparators${didYouMean(suggestions)}`,
          { kind: "arm", id, suggestions },
        ),
        replacements(item, suggestions),
      ),
    );
  }
}

function checkOutcomeStatuses(
  pair: PairNode | undefined,
  study: StudyPlace,
  label: string,
  ctx: StudyContext,
  summary: StudySummary,
  out: Diagnostic[],
): OutcomeReport[] {
  const reports: OutcomeReport[] = [];
  // An id declared twice is a duplicate-id elsewhere; here it is one outcome.
  const declared = [...new Set(ctx.outcomes.map((o) => o.id))];
  const map = pair?.value;
  if (map?.kind === "map") {
    for (const p of map.pairs) {
      const id = String(p.key.value);
      if (!declared.includes(id)) {
        const suggestions = nearest(id, declared);
        const d = diagnostic("unknown-reference", p.key.start, p.key.end, `Outcome '${id}' is not declared in the protocol's outcomes${didYouMean(suggestions)}`, {
          kind: "outcome",
          id,
          suggestions,
        });
        out.push(withFixes(d, replacements(p.key, suggestions)));
        continue;
      }
      const status = stringOf(p.value) ?? stringOf(valueOf(p.value, "status"));
      if (status && STATUS_GIVES_RESULTS.has(status)) summary.statuses[id] = status;
      reports.push({ id, status, orbit: stringOf(valueOf(p.value, "orbit")) });
    }
  }
  const empty = map === null || (map?.kind === "scalar" && map.value === null);
  if (pair && map?.kind !== "map" && !empty) return reports; // a wrong type, reported by the schema
  const present = map?.kind === "map" ? new Set(map.pairs.map((p) => String(p.key.value))) : new Set<string>();
  const missing = declared.filter((id) => !present.has(id));
  if (!missing.length) return reports;
  const target = pair ? pair.key : study.anchor;
  const d = diagnostic(
    "missing-outcome-status",
    target.start,
    target.end,
    `${label} says nothing about ${missing.length > 1 ? "outcomes" : "outcome"} ${listOf(missing.map((m) => `'${m}'`))}: add a status for each (e.g. ${DEFAULT_MISSING_STATUS})`,
    { missing, status: DEFAULT_MISSING_STATUS },
  );
  const lines = missing.map((id) => `${id}: ${DEFAULT_MISSING_STATUS}`);
  const edits =
    map?.kind === "map" && map.pairs.length
      ? insertPairs(study.src, map, missing.map((id) => ({ key: id, flow: DEFAULT_MISSING_STATUS, after: after(declared, present, id) })))
      : map?.kind === "map"
        ? insertPairs(study.src, map, missing.map((id) => ({ key: id, flow: DEFAULT_MISSING_STATUS })))
        : addBlock(study, "outcomes", lines, pair);
  out.push(withFixes(d, [{ title: `Add ${listOf(missing)} as ${DEFAULT_MISSING_STATUS}`, edits }]));
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
      const d = diagnostic(
        "unknown-bias-domain",
        p.key.start,
        p.key.end,
        `'${key}' is not a domain of ${tool.id}${where}; its domains are ${listOf(tool.domains.map((x) => x.id))}${didYouMean(suggestions)}`,
        { domain: key, tool: tool.id, suggestions },
      );
      out.push(withFixes(d, replacements(p.key, suggestions)));
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
  const allowedKeys = ROB_ENTRY_KEYS.filter((x) => x !== "applicability" || domain.applicability);
  for (const q of v.pairs) {
    const k = String(q.key.value);
    if (allowedKeys.includes(k)) continue;
    const suggestions = nearest(k, allowedKeys);
    const d = diagnostic("schema-unknown-key", q.key.start, q.key.end, `Unknown key '${k}' in the judgement of ${subject}${didYouMean(suggestions)}`, {
      key: k,
      suggestions,
      allowed: allowedKeys,
    });
    out.push(withFixes(d, replacements(q.key, suggestions)));
  }
  const applicability = valueOf(v, "applicability");
  if (applicability?.kind === "scalar" && typeof applicability.value === "string" && domain.applicability) {
    checkJudgement(applicability, tool.judgements, tool, `the applicability of ${subject}`, out);
  }
  const jNode = valueOf(v, "judgement");
  if (!jNode) {
    const d = diagnostic("schema-required", p.key.start, p.key.end, `Missing required key 'judgement' in ${subject}: add \`judgement:\``, { key: "judgement" });
    out.push(d);
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
  const d = diagnostic(
    "invalid-judgement",
    node.start,
    node.end,
    `Unknown judgement '${value}' for ${tool.id} (${subject}); expected ${listOf([...allowed], "or")}${didYouMean(suggestions)}`,
    { value, expected: allowed, suggestions, tool: tool.id },
  );
  // The nearest values first; with none near, every allowed value (there are few).
  out.push(withFixes(d, replacements(node, suggestions.length ? suggestions : allowed)));
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
  const d = diagnostic(
    "inconsistent-overall-judgement",
    overall.start,
    overall.end,
    `Overall '${String(overall.value)}'${where} is milder than the '${worst.id}' judgement of ${listOf(worst.domains)}; ${tool.id}: the overall is at least as severe as the worst domain — set it to '${worst.id}'`,
    { value: overall.value, expected: worst.id, domains: worst.domains },
  );
  out.push(withFixes(d, replacements(overall, [worst.id], (c) => `Set overall to '${c}'`)));
}

function checkRiskOfBias(
  robPair: PairNode | undefined,
  study: StudyPlace,
  label: string,
  tool: ToolView,
  ctx: StudyContext,
  summary: StudySummary,
  reports: readonly OutcomeReport[],
  hasOutcomes: boolean,
  out: Diagnostic[],
): void {
  const rob = robPair?.value;
  const empty = rob === null || (rob?.kind === "scalar" && rob.value === null);
  if (robPair && rob && rob.kind !== "map" && !empty) return; // a wrong type, reported by the schema
  const robMap = rob?.kind === "map" ? rob : undefined;
  const target = robPair ? robPair.key : study.anchor;
  const withResults = Object.keys(summary.statuses).filter((id) => STATUS_GIVES_RESULTS.get(summary.statuses[id]!));
  const allDomains = tool.domains.map((d) => d.id);
  const entry = judgementEntry(tool);
  /** Edits that add domains to a block (or a new risk_of_bias block), in the tool's order. */
  const addDomains = (block: MapNode | undefined, missing: string[], present: Set<string>): TextEdit[] => {
    if (block && (block.pairs.length || block.flow)) {
      return insertPairs(study.src, block, missing.map((d): NewPair => ({ key: d, ...entry, after: after(allDomains, present, d) })));
    }
    return addBlock(study, "risk_of_bias", missing.map((d) => `${d}: ${entry.flow}`), robPair);
  };

  if (tool.per === "study") {
    const block = robMap ? checkBlock(robMap, tool, "", out) : ({ present: new Set<string>(), judgements: new Map<string, string>() } as BlockResult);
    const needs = withResults.length > 0 || !hasOutcomes;
    const missing = allDomains.filter((d) => !block.present.has(d));
    if (needs && missing.length) {
      const d = diagnostic("missing-bias-domain", target.start, target.end, `${label} has no judgement for: ${missing.join(", ")}`, {
        missing,
        tool: tool.id,
        judgement: tool.noInformation,
      });
      out.push(withFixes(d, [{ title: `Add ${missing.length === 1 ? missing[0] : `the ${missing.length} missing domains`} as ${tool.noInformation}`, edits: addDomains(robMap, missing, block.present) }]));
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
      const d = diagnostic("unknown-reference", p.key.start, p.key.end, `Outcome '${id}' is not declared in the protocol's outcomes${hint}`, { kind: "outcome", id, suggestions });
      out.push(withFixes(d, replacements(p.key, suggestions)));
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
      const d = diagnostic("missing-bias-domain", p.key.start, p.key.end, `${label} has no judgement for: ${missing.join(", ")} (outcome '${id}')`, {
        missing,
        outcome: id,
        tool: tool.id,
        judgement: tool.noInformation,
      });
      const edits = p.value.pairs.length || p.value.flow ? insertPairs(study.src, p.value, missing.map((m): NewPair => ({ key: m, ...entry, after: after(allDomains, block.present, m) }))) : [];
      out.push(withFixes(d, edits.length ? [{ title: `Add ${missing.length === 1 ? missing[0] : `the ${missing.length} missing domains`} as ${tool.noInformation}`, edits }] : []));
    }
  }
  for (const id of withResults) {
    if (judged.has(id)) continue;
    const d = diagnostic(
      "missing-bias-domain",
      target.start,
      target.end,
      `${label} reports outcome '${id}' but has no ${tool.id} judgements for it (${tool.id} judges each result): add ${id}: with ${allDomains.join(", ")}`,
      { missing: allDomains, outcome: id, tool: tool.id, judgement: tool.noInformation, addOutcome: true },
    );
    const domainLines = allDomains.map((m) => `${m}: ${entry.flow}`);
    const edits =
      robMap && robMap.pairs.length && !robMap.flow
        ? insertPairs(study.src, robMap, [{ key: id, flow: `{ ${allDomains.map((m) => `${m}: ${entry.flow}`).join(", ")} }`, block: domainLines, after: after(declared, judged, id) }])
        : !robMap
          ? addBlock(study, "risk_of_bias", [`${id}:`, ...domainLines.map((l) => `  ${l}`)], robPair)
          : [];
    out.push(withFixes(d, edits.length ? [{ title: `Add ${tool.id} judgements for '${id}' (${tool.noInformation})`, edits }] : []));
  }
}

function checkSelectiveReporting(judgement: ScalarNode, reports: readonly OutcomeReport[], ctx: StudyContext, label: string, out: Diagnostic[]): void {
  const harm = new Set(ctx.outcomes.filter((o) => o.harm).map((o) => o.id));
  const reasons: string[] = [];
  const offending: string[] = [];
  for (const { id, status, orbit } of reports) {
    if (status === "measured-not-reported") {
      offending.push(id);
      reasons.push(`'${id}' is measured-not-reported`);
    } else if (orbit && HIGH_RISK_ORBIT.has(orbit) && !harm.has(id)) {
      offending.push(id);
      reasons.push(`'${id}' has ORBIT letter ${orbit} (high risk)`);
    }
  }
  if (!offending.length) return;
  const d = diagnostic(
    "selective-reporting-inconsistent",
    judgement.start,
    judgement.end,
    `${label} judges selective reporting 'low', but ${listOf(reasons)}: judge it 'high' (or 'unclear')`,
    { outcomes: offending, suggestions: ["high", "unclear"] },
  );
  out.push(withFixes(d, replacements(judgement, ["high", "unclear"], (c) => `Judge selective reporting '${c}'`)));
}
