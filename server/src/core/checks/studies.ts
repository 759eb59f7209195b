/**
 * Checks of one included study: its schema, references to protocol ids, outcome
 * statuses and risk-of-bias judgements. A pure function of the study's tree and
 * a small context (tool, outcomes, arms), so the result is cached by the study's
 * text and the context's fingerprint: an edit re-checks only the study it touched.
 * Offsets in and out are the study tree's own (relative to its chunk).
 */
import { CUSTOM_TOOL_ID, DEFAULT_MISSING_STATUS, HIGH_RISK_ORBIT, ORBIT, OUTCOME_STATUSES, OVERALL_KEY, SELECTIVE_REPORTING_DOMAIN, statusById } from "../../../../schemas/src/domain";
import { Study } from "../../../../schemas/src/protocol";
import { textCitations, type CitationRef } from "../syntax/citations";
import { diagnostic, type Diagnostic } from "./diagnostics";
import { readStudy, readStudyHead, type StudyModel } from "../model/studies";
import { insertPairs, relativeTo, replacements, SourceText, type Fix, type NewPair, type TextEdit } from "../syntax/edits";
import { schemaDiagnostics } from "./schema";
import { didYouMean, listOf, nearest } from "../syntax/suggest";
import { missingDomains, requiredDomains, toolFor, type DomainView, type ToolSet, type ToolView } from "../model/tools";
import { forEachScalar, isEmpty, nodeAtPath, pairOf, scalarText, stringOf, toPlain, valueOf, type MapNode, type PairNode, type ScalarNode, type SeqNode, type TreeNode } from "../syntax/tree";
import { appendAll } from "../syntax/arrays";

export interface OutcomeDecl {
  id: string;
  role?: string;
  harm: boolean;
}



export interface StudyContext {
  /** `bias.tool`; a study's own tool is `toolFor(tools, design)`. */
  tool?: ToolView;
  tools: ToolSet;
  /** rob1: the domains the overall rests on (`bias.key_domains`), when given. */
  keyDomains?: readonly string[];
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
  /** Outcome id -> the span of its status value (the `status` value of a mapping). */
  statusSpans: Record<string, { start: number; end: number }>;
  design?: { value: string; start: number; end: number };
  /** The id of the tool the study is judged with. */
  tool?: string;
  participants?: number;
  doi?: { value: string; start: number; end: number };
  registrations: { value: string; start: number; end: number }[];
}

export interface StudyResult {
  diagnostics: Diagnostic[];
  summary: StudySummary;
  /** The study as typed values (chunk coordinates): what features read. */
  readonly model: StudyModel;
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
  return { ...d, data: { ...d.data, fixes: fixes.map((f) => ({ title: f.title, edits: relativeTo(d.start, f.edits), ...(f.safe === false ? { safe: false } : {}) })) } };
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

/** For each id of `order`, the nearest earlier one that is present, found in one pass (a protocol may declare thousands of outcomes). */
const PRECEDING = new WeakMap<ReadonlySet<string>, { order: readonly string[]; before: Map<string, string | undefined> }>();

/** The key after which `id` goes, keeping `order`: the nearest earlier one that is present. */
function after(order: readonly string[], present: ReadonlySet<string>, id: string): string | undefined {
  let cached = PRECEDING.get(present);
  if (cached?.order !== order) {
    const before = new Map<string, string | undefined>();
    let last: string | undefined;
    for (const o of order) {
      if (!before.has(o)) before.set(o, last);
      if (present.has(o)) last = o;
    }
    PRECEDING.set(present, (cached = { order, before }));
  }
  return cached.before.get(id);
}

/**
 * What a fix writes for a domain nobody has judged yet: an empty judgement (not
 * yet assessed), never a value such as `unclear` that would make the study look assessed.
 */
const NOT_ASSESSED = { flow: `{ judgement: , support: "" }`, block: [`judgement:`, `support: ""`] };

const NO_TOOLS: ToolSet = { byDesign: new Map() };

export function studyContext(tools: ToolSet = NO_TOOLS, outcomes: readonly OutcomeDecl[] = [], arms: readonly string[] = [], keyDomains?: readonly string[]): StudyContext {
  const view = (t: ToolView | undefined) => (t ? [t.id, t.id === CUSTOM_TOOL_ID ? t.domains : null] : null);
  const fingerprint = JSON.stringify([
    view(tools.main),
    [...tools.byDesign].map(([d, t]) => [d, view(t)]),
    tools.reviewType,
    keyDomains,
    outcomes,
    arms,
  ]);
  return { tool: tools.main, tools, keyDomains, outcomes, arms, fingerprint };
}

/**
 * @param src the text the study was parsed from: citations in text take their
 *   ranges from the text as written, and quick fixes match its style.
 */
export function checkStudy(node: TreeNode, src: SourceText, ctx: StudyContext): StudyResult {
  const out: Diagnostic[] = [];
  const head = readStudyHead(node);
  const tool = toolFor(ctx.tools, head.design?.value);
  const summary: StudySummary = { citations: [], statuses: {}, statusSpans: {}, registrations: head.registrations };
  const result = (diagnostics: Diagnostic[]) => studyResult(diagnostics, summary, () => readStudy(node, tool, head));
  if (head.id) summary.id = head.id;
  const idNode = valueOf(node, "id");
  const idText = head.id?.value;
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
  appendAll(out, schema);
  if (node.kind !== "map") return result(out);

  const anchor = idNode ?? firstKey;
  const citeNode = valueOf(node, "cite");
  if (head.cite) summary.cite = { key: head.cite.value, start: head.cite.start, end: head.cite.end };
  if (head.doi) summary.doi = head.doi;
  forEachScalar(node, (s) => {
    if (s === citeNode || typeof s.value !== "string" || !s.value.includes("@")) return;
    appendAll(summary.citations, textCitations(src.slice(s.start, s.end), s.start));
  });
  if (head.design) summary.design = head.design;
  if (head.participants !== undefined) summary.participants = head.participants;
  summary.tool = tool?.id;

  checkArms(valueOf(node, "arms"), ctx, out);
  const study: StudyPlace = { node, src, anchor };
  const outcomesPair = pairOf(node, "outcomes");
  const reports = checkOutcomeStatuses(outcomesPair, study, label, ctx, summary, out);
  const robPair = pairOf(node, "risk_of_bias");
  if (tool) checkRiskOfBias(robPair, study, label, tool, ctx, summary, reports, outcomesPair !== undefined, out);
  return result(withoutFixesThroughAliases(out, src, node));
}

/** A study's result; the whole model (outcomes, risk of bias) is read when a feature first asks for it. */
function studyResult(diagnostics: Diagnostic[], summary: StudySummary, read: () => StudyModel): StudyResult {
  let model: StudyModel | undefined;
  return {
    diagnostics,
    summary,
    get model() {
      return (model ??= read());
    },
  };
}

/**
 * Content reached through a YAML alias (`*lowrisk`) is reported at the alias, but
 * it lives at the anchor, which other studies share: no fix can be written at the
 * alias, so diagnostics there (or whose edits land there) carry none.
 */
function withoutFixesThroughAliases(out: Diagnostic[], src: SourceText, node: TreeNode): Diagnostic[] {
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
  return out.map((d) => {
    const fixes = d.data?.fixes as { edits: TextEdit[] }[] | undefined;
    if (!fixes) return d;
    const touches = inAlias(d.start) || fixes.some((f) => f.edits.some((e) => inAlias(d.start + e.from) || inAlias(d.start + e.to)));
    if (!touches) return d;
    const { fixes: _dropped, ...data } = d.data!;
    return { ...d, data };
  });
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
      const statusNode = p.value?.kind === "map" ? valueOf(p.value, "status") : p.value;
      const status = stringOf(statusNode);
      if (status && STATUS_GIVES_RESULTS.has(status)) {
        summary.statuses[id] = status;
        summary.statusSpans[id] = { start: statusNode!.start, end: statusNode!.end };
      }
      const orbitNode = valueOf(p.value, "orbit");
      const orbit = stringOf(orbitNode);
      reports.push({ id, status, orbit });
      if (orbitNode?.kind === "scalar" && orbit && statusNode && status) checkOrbit(orbitNode, orbit, statusNode, status, id, ctx, out);
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
    `${label} says nothing about ${missing.length > 1 ? `${missing.length > 5 ? `${missing.length} ` : ""}outcomes` : "outcome"} ${namesOf(missing)}: add a status for each (e.g. ${DEFAULT_MISSING_STATUS})`,
    { missing, status: DEFAULT_MISSING_STATUS },
  );
  const lines = missing.map((id) => `${id}: ${DEFAULT_MISSING_STATUS}`);
  const edits =
    map?.kind === "map" && map.pairs.length
      ? insertPairs(study.src, map, missing.map((id) => ({ key: id, flow: DEFAULT_MISSING_STATUS, after: after(declared, present, id) })))
      : map?.kind === "map"
        ? insertPairs(study.src, map, missing.map((id) => ({ key: id, flow: DEFAULT_MISSING_STATUS })))
        : addBlock(study, "outcomes", lines, pair);
  out.push(withFixes(d, [{ title: `Add ${missing.length > 5 ? `the ${missing.length} missing outcomes` : listOf(missing)} as ${DEFAULT_MISSING_STATUS}`, edits }]));
  return reports;
}

/** Ids for a message: all of a few, the first five of many ("… and 105 more"; the full list is in the data). */
function namesOf(ids: readonly string[]): string {
  const quoted = ids.map((m) => `'${m}'`);
  return ids.length > 5 ? `${quoted.slice(0, 5).join(", ")} and ${ids.length - 5} more` : listOf(quoted);
}

interface OutcomeReport {
  id: string;
  status?: string;
  orbit?: string;
}

/** ORBIT letters and statuses must agree (Kirkham 2010); harm outcomes use ORBIT II and are not checked. */
function checkOrbit(orbitNode: ScalarNode, letter: string, statusNode: TreeNode, status: string, outcome: string, ctx: StudyContext, out: Diagnostic[]): void {
  const def = ORBIT.find((o) => o.letter === letter);
  if (!def || ctx.outcomes.some((o) => o.id === outcome && o.harm)) return;
  if (status === def.status) return;
  const d = diagnostic(
    "orbit-status-mismatch",
    orbitNode.start,
    orbitNode.end,
    `ORBIT ${letter} (${def.situation}) goes with status '${def.status}', but outcome '${outcome}' is '${status}'` +
      (statusById(status)?.usable ? ": a letter classifies a missing or incompletely reported outcome" : "") +
      `; set the status to '${def.status}' or change the letter`,
    { letter, status, expected: def.status, outcome },
  );
  out.push(withFixes(d, [{ title: `Set the status to '${def.status}' (ORBIT ${letter})`, edits: [{ from: statusNode.start, to: statusNode.end, text: def.status }] }]));
}

/** A judgement slot: the node holding its value (null when empty) and the key it sits under. */
interface Judged {
  domain: string;
  value?: string;
  node?: ScalarNode;
  /** rob1 per group: the outcomes the entry covers (undefined: all). */
  outcomes?: readonly string[];
}

interface BlockResult {
  /** Domain ids present (judged, empty or invalid). */
  present: Set<string>;
  /** Valid judgements: one per domain, or one per group entry. */
  judged: Judged[];
  /** QUADAS-2 domains without `applicability`. */
  lacksApplicability: string[];
  /** Edits that add an empty `applicability` to those that are mappings. */
  applicabilityEdits: TextEdit[];
}

function notAssessed(key: ScalarNode, subject: string): Diagnostic {
  return diagnostic("bias-not-assessed", key.start, key.end, `${subject} is not yet assessed: give a judgement when the study has been assessed`, { subject });
}

/** Checks one block of domain judgements (a study's, or one outcome's under a per-outcome tool). */
function checkBlock(block: MapNode, tool: ToolView, where: string, ctx: StudyContext, src: SourceText, out: Diagnostic[]): BlockResult {
  const result: BlockResult = { present: new Set(), judged: [], lacksApplicability: [], applicabilityEdits: [] };
  let overall: ScalarNode | undefined;
  for (const p of block.pairs) {
    const key = String(p.key.value);
    if (key === OVERALL_KEY) {
      const v = p.value;
      if (isEmpty(v)) out.push(notAssessed(p.key, `The overall judgement${where}`));
      else if (v?.kind === "scalar" && typeof v.value === "string") {
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
        `'${key}' is not a domain of ${tool.id}${where}; its domains are ${listOf(requiredDomains(tool))}${didYouMean(suggestions)}`,
        { domain: key, tool: tool.id, suggestions },
      );
      out.push(withFixes(d, replacements(p.key, suggestions)));
      continue;
    }
    result.present.add(key);
    if (p.value?.kind === "seq" && tool.groupsOfOutcomes) appendAll(result.judged, checkGroups(p.value, domain, tool, where, ctx, out));
    else {
      const judgement = checkDomainEntry(p, domain, tool, where, src, result, out);
      if (judgement) result.judged.push({ domain: key, value: String(judgement.value), node: judgement });
    }
  }
  if (overall) checkOverall(overall, result, tool, where, ctx, out);
  return result;
}

/** rob1: a domain judged per group of outcomes (a list of {group, outcomes?, judgement, support}). */
function checkGroups(list: SeqNode, domain: DomainView, tool: ToolView, where: string, ctx: StudyContext, out: Diagnostic[]): Judged[] {
  const judged: Judged[] = [];
  const declared = ctx.outcomes.map((o) => o.id);
  for (const item of list.items) {
    if (item.kind !== "map") {
      out.push(diagnostic("schema-type", item.start, item.end, `A group entry of '${domain.id}'${where} must be a mapping like { group: …, outcomes: [...], judgement: …, support: … }`, { expected: "mapping" }));
      continue;
    }
    const group = scalarText(valueOf(item, "group")) ?? "?";
    const subject = `'${domain.id}' for group '${group}'${where}`;
    if (!pairOf(item, "group")) out.push(diagnostic("schema-required", item.pairs[0]?.key.start ?? item.start, item.pairs[0]?.key.end ?? item.end, `Missing required key 'group' in a group entry of '${domain.id}'${where}: add \`group:\``, { key: "group" }));
    for (const q of item.pairs) {
      const k = String(q.key.value);
      if (["group", "outcomes", "judgement", "support"].includes(k)) continue;
      const suggestions = nearest(k, ["group", "outcomes", "judgement", "support"]);
      out.push(withFixes(diagnostic("schema-unknown-key", q.key.start, q.key.end, `Unknown key '${k}' in ${subject}${didYouMean(suggestions)}`, { key: k, suggestions }), replacements(q.key, suggestions)));
    }
    const outcomesNode = valueOf(item, "outcomes");
    let covers: string[] | undefined;
    if (outcomesNode?.kind === "seq") {
      covers = [];
      for (const o of outcomesNode.items) {
        const id = stringOf(o);
        if (id === undefined) continue;
        covers.push(id);
        if (declared.includes(id)) continue;
        const suggestions = nearest(id, declared);
        out.push(withFixes(diagnostic("unknown-reference", o.start, o.end, `Outcome '${id}' is not declared in the protocol's outcomes${didYouMean(suggestions)}`, { kind: "outcome", id, suggestions }), replacements(o, suggestions)));
      }
    }
    const jPair = pairOf(item, "judgement");
    if (!jPair) {
      const k = item.pairs[0]?.key ?? { start: item.start, end: item.end };
      out.push(diagnostic("schema-required", k.start, k.end, `Missing required key 'judgement' in ${subject}: add \`judgement:\``, { key: "judgement" }));
      continue;
    }
    if (isEmpty(jPair.value)) {
      out.push(notAssessed(jPair.key, `The judgement of ${subject}`));
      continue;
    }
    const v = jPair.value!;
    if (v.kind !== "scalar" || typeof v.value !== "string") {
      out.push(diagnostic("schema-type", v.start, v.end, `The judgement of ${subject} must be one of ${listOf([...domain.allowed], "or")}`, { expected: domain.allowed }));
      continue;
    }
    if (!checkJudgement(v, domain.allowed, tool, subject, out)) continue;
    if (!hasSupport(valueOf(item, "support"))) out.push(missingSupport(v, domain.id, ` for group '${group}'${where}`));
    judged.push({ domain: domain.id, value: v.value, node: v, outcomes: covers });
  }
  return judged;
}

function hasSupport(support: TreeNode | null | undefined): boolean {
  return Boolean(support) && !(support!.kind === "scalar" && (support!.value === null || String(support!.value).trim() === ""));
}

/** Returns the judgement node when its value is valid for the domain. */
function checkDomainEntry(p: PairNode, domain: DomainView, tool: ToolView, where: string, src: SourceText, result: BlockResult, out: Diagnostic[]): ScalarNode | undefined {
  const v = p.value;
  const subject = `'${domain.id}'${where}`;
  if (isEmpty(v)) {
    out.push(notAssessed(p.key, `The judgement of ${subject}`));
    if (domain.applicability) result.lacksApplicability.push(domain.id);
    return undefined;
  }
  if (v?.kind === "scalar" && typeof v.value === "string") {
    // Shorthand `domain: low`: a judgement without support.
    if (domain.applicability) result.lacksApplicability.push(domain.id);
    if (!checkJudgement(v, domain.allowed, tool, subject, out)) return undefined;
    out.push(missingSupport(v, domain.id, where));
    return v;
  }
  if (v?.kind !== "map") {
    const at = v ?? p.key;
    const hint = v?.kind === "seq" ? ` (${tool.id} does not judge domains per group of outcomes)` : "";
    out.push(diagnostic("schema-type", at.start, at.end, `${subject} must be a mapping like { judgement: low, support: "…" }${hint}`, { expected: "mapping" }));
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
  const applicability = pairOf(v, "applicability");
  if (domain.applicability) {
    if (!applicability) {
      result.lacksApplicability.push(domain.id);
      const last = v.pairs[v.pairs.length - 1];
      if (last) appendAll(result.applicabilityEdits, insertPairs(src, v, [{ key: "applicability", flow: "", after: String(last.key.value) }]));
    } else if (isEmpty(applicability.value)) {
      out.push(notAssessed(applicability.key, `The applicability of ${subject}`));
    } else if (applicability.value?.kind === "scalar" && typeof applicability.value.value === "string") {
      checkJudgement(applicability.value, tool.judgements, tool, `the applicability concerns of ${subject}`, out);
    }
  }
  const jPair = pairOf(v, "judgement");
  if (!jPair) {
    const d = diagnostic("schema-required", p.key.start, p.key.end, `Missing required key 'judgement' in ${subject}: add \`judgement:\``, { key: "judgement" });
    out.push(d);
    return undefined;
  }
  const jNode = jPair.value;
  if (isEmpty(jNode)) {
    out.push(notAssessed(jPair.key, `The judgement of ${subject}`));
    return undefined;
  }
  if (jNode!.kind !== "scalar" || typeof jNode!.value !== "string") {
    out.push(diagnostic("schema-type", jNode!.start, jNode!.end, `The judgement of ${subject} must be one of ${listOf([...domain.allowed], "or")}`, { expected: domain.allowed }));
    return undefined;
  }
  if (!checkJudgement(jNode as ScalarNode, domain.allowed, tool, subject, out)) return undefined;
  if (!hasSupport(valueOf(v, "support"))) out.push(missingSupport(jNode as ScalarNode, domain.id, where));
  return jNode as ScalarNode;
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
  const why = tool.notJudgements[value];
  if (why) {
    // Not a judgement of this tool (e.g. RoB 2's "no information"): the only sound fix is to leave it empty.
    const d = diagnostic("invalid-judgement", node.start, node.end, `'${value}' is not a ${tool.id} judgement (${subject}): ${why}`, {
      value,
      expected: allowed,
      suggestions: [],
      tool: tool.id,
    });
    out.push(withFixes(d, [{ title: "Leave the judgement empty (not yet assessed)", edits: [{ from: node.start, to: node.end, text: "" }] }]));
    return false;
  }
  const suggestions = nearest(value, allowed);
  const d = diagnostic(
    "invalid-judgement",
    node.start,
    node.end,
    `Unknown judgement '${value}' for ${tool.id} (${subject}); expected ${listOf([...allowed], "or")}${didYouMean(suggestions)}`,
    { value, expected: allowed, suggestions, tool: tool.id },
  );
  // The nearest values first; with none near, every allowed value (there are few).
  // With no value near what was written, every allowed value is offered, none preferred or applied by fix-all:
  // choosing one would invent a judgement nobody made.
  out.push(withFixes(d, suggestions.length ? replacements(node, suggestions) : replacements(node, allowed, undefined, false)));
  return false;
}

/**
 * The overall rule: no milder than the most severe domain judgement that takes
 * part (rob1: of `bias.key_domains` when given), and for rob2* and robins-* a
 * `low` only when every judged domain is `low`. Missing, empty and invalid
 * domains have their own diagnostics and are left out.
 */
function checkOverall(overall: ScalarNode, result: BlockResult, tool: ToolView, where: string, ctx: StudyContext, out: Diagnostic[]): void {
  if (tool.noOverallRule) return;
  const given = tool.severity.get(String(overall.value));
  if (given === undefined) return;
  const keys = tool.def?.keyDomains && ctx.keyDomains?.length ? new Set(ctx.keyDomains) : undefined;
  const counts = (j: Judged) => !keys || keys.has(j.domain) || (tool.domains.find((d) => d.id === j.domain)?.standsFor ?? []).some((x) => keys.has(x));
  let worst: { id: string; rank: number; domains: string[] } | undefined;
  const notLow: string[] = [];
  for (const j of result.judged) {
    if (!counts(j) || j.value === undefined) continue;
    if (tool.severity.get(j.value) !== 0) notLow.push(j.domain);
    const rank = tool.severity.get(j.value);
    if (rank === undefined) continue;
    if (!worst || rank > worst.rank) worst = { id: j.value, rank, domains: [j.domain] };
    else if (rank === worst.rank && !worst.domains.includes(j.domain)) worst.domains.push(j.domain);
  }
  const keyNote = keys ? " (of the key domains in bias.key_domains)" : "";
  if (worst && given < worst.rank) {
    const d = diagnostic(
      "inconsistent-overall-judgement",
      overall.start,
      overall.end,
      `Overall '${String(overall.value)}'${where} is milder than the '${worst.id}' judgement of ${listOf(worst.domains)}${keyNote}; ${tool.id}: the overall is at least as severe as the worst domain — set it to '${worst.id}'`,
      { value: overall.value, expected: worst.id, domains: worst.domains },
    );
    out.push(withFixes(d, replacements(overall, [worst.id], (c) => `Set overall to '${c}'`)));
    return;
  }
  if (tool.lowNeedsAllLow && given === 0 && notLow.length) {
    const values = [...new Set(result.judged.filter((j) => notLow.includes(j.domain)).map((j) => j.value!))];
    // The tool's judgement outside its severity order is its "no information" (ROBINS-I/E).
    const noInformation = tool.judgements.find((j) => !tool.severity.has(j));
    const instead = noInformation && values.every((v) => v === noInformation) ? noInformation : undefined;
    const d = diagnostic(
      "inconsistent-overall-judgement",
      overall.start,
      overall.end,
      `Overall 'low'${where} needs every domain low (${tool.id}), but ${listOf(notLow.map((x) => `'${x}'`))} ${notLow.length > 1 ? "are" : "is"} ${listOf(values.map((v) => `'${v}'`), "or")}` +
        (instead ? `: the published rule gives '${instead}' or worse` : ""),
      { value: overall.value, expected: instead, domains: notLow },
    );
    out.push(withFixes(d, instead ? replacements(overall, [instead], (c) => `Set overall to '${c}'`) : []));
  }
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
  const empty = isEmpty(rob);
  if (robPair && rob && rob.kind !== "map" && !empty) return; // a wrong type, reported by the schema
  const robMap = rob?.kind === "map" ? rob : undefined;
  const target = robPair ? robPair.key : study.anchor;
  const withResults = Object.keys(summary.statuses).filter((id) => STATUS_GIVES_RESULTS.get(summary.statuses[id]!));
  const allDomains = tool.domains.map((d) => d.id);
  /** Edits that add domains to a block (or a new risk_of_bias block), in the tool's order. */
  const addDomains = (block: MapNode | undefined, missing: string[], present: Set<string>): TextEdit[] => {
    if (block && (block.pairs.length || block.flow)) {
      return insertPairs(study.src, block, missing.map((d): NewPair => ({ key: d, ...NOT_ASSESSED, after: after(allDomains, present, d) })));
    }
    return addBlock(study, "risk_of_bias", missing.map((d) => `${d}: ${NOT_ASSESSED.flow}`), robPair);
  };
  const addTitle = (missing: readonly string[]) => `Add ${missing.length === 1 ? missing[0] : `the ${missing.length} missing domains`} (not yet assessed)`;
  const lacking = (missing: readonly string[], block: BlockResult) =>
    [missing.length ? `no judgement for: ${missing.join(", ")}` : "", block.lacksApplicability.length ? `no applicability for: ${block.lacksApplicability.join(", ")}` : ""]
      .filter(Boolean)
      .join("; ");

  if (tool.per === "study") {
    const block = robMap ? checkBlock(robMap, tool, "", ctx, study.src, out) : ({ present: new Set<string>(), judged: [], lacksApplicability: [], applicabilityEdits: [] } as BlockResult);
    const needs = withResults.length > 0 || !hasOutcomes;
    const missing = missingDomains(tool, block.present);
    if (!robMap && tool.domains.some((d) => d.applicability)) appendAll(block.lacksApplicability, tool.domains.filter((d) => d.applicability).map((d) => d.id));
    if (needs && (missing.length || block.lacksApplicability.length)) {
      const d = diagnostic("missing-bias-domain", target.start, target.end, `${label} has ${lacking(missing, block)} (${tool.id})`, {
        missing,
        applicability: block.lacksApplicability,
        tool: tool.id,
      });
      const fixes: Fix[] = [];
      if (missing.length) fixes.push({ title: addTitle(missing), edits: addDomains(robMap, missing, block.present) });
      else if (block.applicabilityEdits.length) fixes.push({ title: "Add the missing applicability (not yet assessed)", edits: block.applicabilityEdits });
      out.push(withFixes(d, fixes));
    }
    if (tool.def?.selectiveReportingFromOrbit) checkSelectiveReporting(block, reports, tool, ctx, label, out);
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
    const where = ` for outcome '${id}'`;
    if (isEmpty(p.value)) {
      if (withResults.includes(id)) {
        out.push(diagnostic("missing-bias-domain", p.key.start, p.key.end, `${label} has no judgement for: ${allDomains.join(", ")} (outcome '${id}')`, { missing: allDomains, outcome: id, tool: tool.id }));
      }
      continue;
    }
    if (p.value?.kind !== "map") {
      const at = p.value ?? p.key;
      out.push(diagnostic("schema-type", at.start, at.end, `The judgements for outcome '${id}' must be a mapping of domain ids to { judgement, support }`, { expected: "mapping" }));
      continue;
    }
    const block = checkBlock(p.value, tool, where, ctx, study.src, out);
    const missing = missingDomains(tool, block.present);
    if (missing.length && withResults.includes(id)) {
      const d = diagnostic("missing-bias-domain", p.key.start, p.key.end, `${label} has no judgement for: ${missing.join(", ")} (outcome '${id}')`, {
        missing,
        outcome: id,
        tool: tool.id,
      });
      const edits = p.value.pairs.length || p.value.flow ? insertPairs(study.src, p.value, missing.map((m): NewPair => ({ key: m, ...NOT_ASSESSED, after: after(allDomains, block.present, m) }))) : [];
      out.push(withFixes(d, edits.length ? [{ title: addTitle(missing), edits }] : []));
    }
  }
  const unjudged = withResults.filter((id) => !judged.has(id));
  if (!unjudged.length) return;
  // One diagnostic naming every reported outcome without judgements; its fix adds them all.
  const domainLines = allDomains.map((m) => `${m}: ${NOT_ASSESSED.flow}`);
  const edits =
    robMap && robMap.pairs.length && !robMap.flow
      ? insertPairs(
          study.src,
          robMap,
          unjudged.map((id) => ({ key: id, flow: `{ ${domainLines.join(", ")} }`, block: domainLines, after: after(declared, judged, id) })),
        )
      : !robMap
        ? addBlock(study, "risk_of_bias", unjudged.flatMap((id) => [`${id}:`, ...domainLines.map((l) => `  ${l}`)]), robPair)
        : [];
  const d = diagnostic(
    "missing-bias-domain",
    target.start,
    target.end,
    `${label} reports ${unjudged.length > 1 ? "outcomes" : "outcome"} ${listOf(unjudged.map((x) => `'${x}'`))} but has no ${tool.id} judgements for ${unjudged.length > 1 ? "them" : "it"} (${tool.id} judges each result): add ${unjudged.length > 1 ? "each" : `${unjudged[0]}:`} with ${allDomains.join(", ")}`,
    { missing: allDomains, outcomes: unjudged, outcome: unjudged[0], tool: tool.id, addOutcome: true },
  );
  out.push(withFixes(d, edits.length ? [{ title: `Add ${tool.id} domains for ${listOf(unjudged.map((x) => `'${x}'`))} (not yet assessed)`, edits }] : []));
}

/**
 * rob1: a `low` selective-reporting judgement conflicts with a benefit outcome
 * that has a high-risk ORBIT letter (A, D, E, G), or is measured-not-reported
 * with no letter. A judgement per group is compared with the outcomes it covers.
 */
function checkSelectiveReporting(block: BlockResult, reports: readonly OutcomeReport[], tool: ToolView, ctx: StudyContext, label: string, out: Diagnostic[]): void {
  const harm = new Set(ctx.outcomes.filter((o) => o.harm).map((o) => o.id));
  // The tool's judgements by severity: the mildest (low), and the others, most severe first (high, unclear).
  const bySeverity = [...tool.severity].sort((a, b) => a[1] - b[1]).map(([id]) => id);
  const mildest = bySeverity[0];
  const instead = bySeverity.slice(1).reverse();
  for (const j of block.judged) {
    if (j.domain !== SELECTIVE_REPORTING_DOMAIN || j.value !== mildest || !j.node) continue;
    const reasons: string[] = [];
    const offending: string[] = [];
    for (const { id, status, orbit } of reports) {
      if (harm.has(id) || (j.outcomes && !j.outcomes.includes(id))) continue;
      if (orbit && ORBIT.some((o) => o.letter === orbit)) {
        if (HIGH_RISK_ORBIT.has(orbit)) {
          offending.push(id);
          reasons.push(`'${id}' has ORBIT letter ${orbit} (high risk)`);
        }
      } else if (statusById(status)?.withheld) {
        offending.push(id);
        reasons.push(`'${id}' is ${status} with no ORBIT letter`);
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
