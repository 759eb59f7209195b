/**
 * Checks of one block of risk-of-bias judgements (a study's, or one outcome's
 * under a per-outcome tool), read from the study's model: each domain is one of
 * the tool's, each judgement one of its values, with its support (and QUADAS-2's
 * applicability), RoB 1's judgements per group of outcomes, and the tool's rule
 * for the overall judgement. Offsets are the study chunk's.
 */
import type { BiasBlock, DomainJudgements, Judgement } from "../model/studies";
import { requiredDomains, type DomainView, type ToolView } from "../model/tools";
import type { NewPair } from "../syntax/edits";
import type { Span } from "../syntax/span";
import { didYouMean, listOf, nearest } from "../syntax/suggest";
import { isEmpty, pairOf, type ScalarNode, type TreeNode } from "../syntax/tree";
import { diagnostic, type Diagnostic } from "./diagnostics";
import { replacements, replaceWith, withFixes } from "./fixes";
import type { StudyContext } from "./study-context";

/** A valid judgement: its domain, value and node. */
interface Judged {
  domain: string;
  value?: string;
  node?: ScalarNode;
  /** rob1 per group: the outcomes the entry covers (undefined: all). */
  outcomes?: readonly string[];
}

export interface BlockResult {
  /** Domain ids present (judged, empty or invalid). */
  present: Set<string>;
  /** Valid judgements: one per domain, or one per group entry. */
  judged: Judged[];
  /** QUADAS-2 domains without `applicability`. */
  lacksApplicability: string[];
  /** Where an empty `applicability` goes in those that are mappings (the missing-bias-domain fix). */
  applicabilityInto: { map: number; pairs: NewPair[] }[];
}

export const emptyBlockResult = (): BlockResult => ({ present: new Set(), judged: [], lacksApplicability: [], applicabilityInto: [] });

const ROB_ENTRY_KEYS = ["judgement", "support", "applicability"];
const GROUP_ENTRY_KEYS = ["group", "outcomes", "judgement", "support"];

function notAssessed(key: ScalarNode, subject: string): Diagnostic {
  return diagnostic("bias-not-assessed", key.start, key.end, `${subject} is not yet assessed: give a judgement when the study has been assessed`, { subject });
}

/** The judgement's node when it is written as text (its `value`), else undefined. */
function textNode(j: Judgement | undefined): ScalarNode | undefined {
  return j?.value !== undefined ? (j.node as ScalarNode) : undefined;
}

/** Checks one block of domain judgements. */
export function checkBlock(block: BiasBlock, tool: ToolView, where: string, ctx: StudyContext, out: Diagnostic[]): BlockResult {
  const result = emptyBlockResult();
  const overall = block.overall ? checkOverallValue(block.overall, tool, where, out) : undefined;
  for (const d of block.domains) {
    const domain = tool.domains.find((x) => x.id === d.domain);
    if (!domain) {
      unknownDomain(d, block, tool, where, out);
      continue;
    }
    result.present.add(d.domain);
    if (d.perGroup && tool.groupsOfOutcomes) {
      for (const j of checkGroups(d, domain, tool, where, ctx, out)) result.judged.push(j);
    } else {
      const judgement = checkDomainEntry(d, domain, tool, where, result, out);
      if (judgement) result.judged.push({ domain: d.domain, value: String(judgement.value), node: judgement });
    }
  }
  if (overall) checkOverall(overall, result, tool, where, ctx, out);
  return result;
}

function unknownDomain(d: DomainJudgements, block: BiasBlock, tool: ToolView, where: string, out: Diagnostic[]): void {
  const key = d.pair.key;
  const candidates = tool.domains.map((x) => x.id).filter((id) => !block.node.pairs.some((q) => q.key.value === id));
  const suggestions = nearest(d.domain, candidates);
  const diag = diagnostic(
    "unknown-bias-domain",
    key.start,
    key.end,
    `'${d.domain}' is not a domain of ${tool.id}${where}; its domains are ${listOf(requiredDomains(tool))}${didYouMean(suggestions)}`,
    { domain: d.domain, tool: tool.id, suggestions },
  );
  out.push(withFixes(diag, replacements(key, suggestions)));
}

/** `overall:` is a plain judgement value: its node when valid. */
function checkOverallValue(j: Judgement, tool: ToolView, where: string, out: Diagnostic[]): ScalarNode | undefined {
  const { key, value: v } = j.pair!;
  if (isEmpty(v)) {
    out.push(notAssessed(key, `The overall judgement${where}`));
    return undefined;
  }
  const node = j.entry ? undefined : textNode(j);
  if (node) return checkJudgement(node, tool.judgements, tool, `the overall judgement${where}`, out) ? node : undefined;
  if (v) out.push(diagnostic("schema-type", v.start, v.end, `'overall'${where} must be a plain judgement value (${listOf([...tool.judgements], "or")})`, { expected: tool.judgements }));
  return undefined;
}

/** rob1: a domain judged per group of outcomes (a list of {group, outcomes?, judgement, support}). */
function checkGroups(d: DomainJudgements, domain: DomainView, tool: ToolView, where: string, ctx: StudyContext, out: Diagnostic[]): Judged[] {
  const judged: Judged[] = [];
  const declared = ctx.outcomes.map((o) => o.id);
  const items = (d.pair.value as { items: readonly TreeNode[] }).items;
  d.entries.forEach((j, i) => {
    const item = j.entry;
    if (!item) {
      const at = items[i]!;
      out.push(diagnostic("schema-type", at.start, at.end, `A group entry of '${domain.id}'${where} must be a mapping like { group: …, outcomes: [...], judgement: …, support: … }`, { expected: "mapping" }));
      return;
    }
    const subject = `'${domain.id}' for group '${j.group}'${where}`;
    const first = item.pairs[0]?.key ?? { start: item.start, end: item.end };
    if (!pairOf(item, "group")) out.push(diagnostic("schema-required", first.start, first.end, `Missing required key 'group' in a group entry of '${domain.id}'${where}: add \`group:\``, { key: "group" }));
    for (const q of item.pairs) {
      const k = String(q.key.value);
      if (GROUP_ENTRY_KEYS.includes(k)) continue;
      const suggestions = nearest(k, GROUP_ENTRY_KEYS);
      out.push(withFixes(diagnostic("schema-unknown-key", q.key.start, q.key.end, `Unknown key '${k}' in ${subject}${didYouMean(suggestions)}`, { key: k, suggestions }), replacements(q.key, suggestions)));
    }
    // Outcome ids are text (a number is the schema's to report).
    const covers = j.outcomes?.filter((o) => typeof o.node.value === "string");
    for (const o of covers ?? []) {
      if (declared.includes(o.value)) continue;
      const suggestions = nearest(o.value, declared);
      out.push(withFixes(diagnostic("unknown-reference", o.start, o.end, `Outcome '${o.value}' is not declared in the protocol's outcomes${didYouMean(suggestions)}`, { kind: "outcome", id: o.value, suggestions }), replacements(o.node, suggestions)));
    }
    const node = judgementNode(j, first, subject, domain, out);
    if (!node || !checkJudgement(node, domain.allowed, tool, subject, out)) return;
    if (!j.supported) out.push(missingSupport(node, domain.id, ` for group '${j.group}'${where}`));
    judged.push({ domain: domain.id, value: String(node.value), node, outcomes: covers?.map((o) => o.value) });
  });
  return judged;
}

/** The `judgement:` of a mapping, when it holds text; otherwise says what is wrong (`holder`: where a missing one is reported). */
function judgementNode(j: Judgement, holder: Span, subject: string, domain: DomainView, out: Diagnostic[]): ScalarNode | undefined {
  const jPair = j.judgementPair;
  if (!jPair) {
    out.push(diagnostic("schema-required", holder.start, holder.end, `Missing required key 'judgement' in ${subject}: add \`judgement:\``, { key: "judgement" }));
    return undefined;
  }
  const v = jPair.value;
  if (isEmpty(v)) {
    out.push(notAssessed(jPair.key, `The judgement of ${subject}`));
    return undefined;
  }
  if (v!.kind !== "scalar" || typeof v!.value !== "string") {
    out.push(diagnostic("schema-type", v!.start, v!.end, `The judgement of ${subject} must be one of ${listOf([...domain.allowed], "or")}`, { expected: domain.allowed }));
    return undefined;
  }
  return v as ScalarNode;
}

/** One domain's judgement (not per group): returns its node when its value is valid for the domain. */
function checkDomainEntry(d: DomainJudgements, domain: DomainView, tool: ToolView, where: string, result: BlockResult, out: Diagnostic[]): ScalarNode | undefined {
  const p = d.pair;
  const v = p.value;
  // A list here is groups of outcomes, which this tool does not judge by: the wrong type.
  const j = d.perGroup ? undefined : d.entries[0];
  const subject = `'${domain.id}'${where}`;
  if (isEmpty(v)) {
    out.push(notAssessed(p.key, `The judgement of ${subject}`));
    if (domain.applicability) result.lacksApplicability.push(domain.id);
    return undefined;
  }
  const shorthand = j?.entry ? undefined : textNode(j);
  if (shorthand) {
    // Shorthand `domain: low`: a judgement without support.
    if (domain.applicability) result.lacksApplicability.push(domain.id);
    if (!checkJudgement(shorthand, domain.allowed, tool, subject, out)) return undefined;
    out.push(missingSupport(shorthand, domain.id, where));
    return shorthand;
  }
  const entry = j?.entry;
  if (!j || !entry) {
    const at = v ?? p.key;
    const hint = v?.kind === "seq" ? ` (${tool.id} does not judge domains per group of outcomes)` : "";
    out.push(diagnostic("schema-type", at.start, at.end, `${subject} must be a mapping like { judgement: low, support: "…" }${hint}`, { expected: "mapping" }));
    return undefined;
  }
  const allowedKeys = ROB_ENTRY_KEYS.filter((x) => x !== "applicability" || domain.applicability);
  for (const q of entry.pairs) {
    const k = String(q.key.value);
    if (allowedKeys.includes(k)) continue;
    const suggestions = nearest(k, allowedKeys);
    const diag = diagnostic("schema-unknown-key", q.key.start, q.key.end, `Unknown key '${k}' in the judgement of ${subject}${didYouMean(suggestions)}`, { key: k, suggestions, allowed: allowedKeys });
    out.push(withFixes(diag, replacements(q.key, suggestions)));
  }
  if (domain.applicability) checkApplicability(j, domain, tool, subject, result, out);
  const node = judgementNode(j, p.key, subject, domain, out);
  if (!node || !checkJudgement(node, domain.allowed, tool, subject, out)) return undefined;
  if (!j.supported) out.push(missingSupport(node, domain.id, where));
  return node;
}

/** QUADAS-2: a domain's concern about applicability is there, and one of the tool's values. */
function checkApplicability(j: Judgement, domain: DomainView, tool: ToolView, subject: string, result: BlockResult, out: Diagnostic[]): void {
  const entry = j.entry!;
  const applicability = j.applicability?.pair;
  if (!applicability) {
    result.lacksApplicability.push(domain.id);
    const last = entry.pairs[entry.pairs.length - 1];
    if (last) result.applicabilityInto.push({ map: entry.start, pairs: [{ key: "applicability", flow: "", after: String(last.key.value) }] });
  } else if (isEmpty(applicability.value)) {
    out.push(notAssessed(applicability.key, `The applicability of ${subject}`));
  } else {
    const node = textNode(j.applicability);
    if (node && !j.applicability!.entry) checkJudgement(node, tool.judgements, tool, `the applicability concerns of ${subject}`, out);
  }
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
    out.push(withFixes(d, [replaceWith(node, "", "Leave the judgement empty (not yet assessed)")]));
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
