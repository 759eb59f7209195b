/**
 * A study record as typed values with their ranges: what features and checks
 * read instead of the YAML tree. The shapes a value may take are resolved here,
 * once: a judgement written as a value, as `{judgement, support, applicability}`,
 * or as a list of per-group entries (RoB 1 by groups of outcomes); an outcome
 * status as a value or as `{status, orbit, note}`; per-study or per-outcome risk
 * of bias, by the study's own tool. Each value keeps the node it was read from,
 * in the study chunk's coordinates: where a check reports it, and what a quick
 * fix needs to write in the author's style. Read in the chunk's coordinates and
 * cached with the study's checks; `placeStudy` moves it to the document's offsets
 * (its nodes stay where they were read).
 */
import { OVERALL_KEY } from "../../../../schemas/src/domain";
import { textCitations, type CitationRef } from "../syntax/citations";
import type { SourceText } from "../syntax/edits";
import { shift, spanOf, type Span } from "../syntax/span";
import { forEachScalar, isEmpty, pairOf, scalarText, stringOf, valueOf, type MapNode, type PairNode, type ScalarNode, type TreeNode } from "../syntax/tree";
import { toolFor, type ToolSet } from "./tools";

/** A scalar as written: its value, its range, and its node. */
export interface Spanned<T = string> extends Span {
  value: T;
  node: ScalarNode;
}

export interface Judgement {
  /** The judgement as written; undefined when it is empty (not yet assessed) or absent. */
  value?: string;
  /** The judgement's value, or (when it has none) the key it belongs to. */
  span: Span;
  /** `judgement:` is there but empty: not yet assessed. */
  empty: boolean;
  /** QUADAS-2: the concern about applicability. */
  applicability?: Judgement;
  /** RoB 1 per group of outcomes: the group, and the outcomes it covers (undefined: all). */
  group?: string;
  outcomes?: Spanned[];
  /** The judgement's value node (`value` is read from it); undefined when no key holds one. */
  node?: TreeNode | null;
  /** `key: value` as written: a domain's, `overall`'s or `applicability`'s (a group entry has none: it is an item). */
  pair?: PairNode;
  /** The mapping it is written in (`{ judgement, support, … }`, or a group entry), when it is one. */
  entry?: MapNode;
  /** The `judgement:` of that mapping. */
  judgementPair?: PairNode;
  /** A support (the reason for the judgement) is written. */
  supported: boolean;
}

export interface DomainJudgements {
  domain: string;
  keySpan: Span;
  /** One judgement, or one per group of outcomes (RoB 1). */
  entries: Judgement[];
  perGroup: boolean;
  /** `domain: value` as written. */
  pair: PairNode;
}

export interface BiasBlock {
  keySpan: Span;
  domains: DomainJudgements[];
  overall?: Judgement;
  /** The mapping of the domains (a study's `risk_of_bias`, or one outcome's). */
  node: MapNode;
}

/** The statuses of one protocol outcome in a study (`outcomes:` entry). */
export interface OutcomeReport {
  id: string;
  keySpan: Span;
  /** The value (`reported`, or `{ status: …, orbit: … }`), else the key. */
  span: Span;
  status?: Spanned;
  orbit?: Spanned;
  note?: string;
  /** `id: value` as written. */
  pair: PairNode;
}

/** Per-outcome tools: an `outcome-id:` under `risk_of_bias` whose value is a mapping of domains. */
export type OutcomeBias = BiasBlock & { outcome: string };

export interface StudyModel {
  /** The list item. */
  span: Span;
  id?: Spanned;
  cite?: Spanned;
  doi?: Spanned;
  design?: Spanned;
  country?: string;
  participants?: number;
  arms: Spanned[];
  registrations: Spanned[];
  /** `[@key]` citations in the study's text values (not its `cite`). */
  citations: CitationRef[];
  /** `outcomes:` as written (undefined when the study has no such key). */
  outcomes?: OutcomeReport[];
  /** `risk_of_bias:` read by the study's own tool: one block (per-study tools), or one per outcome. */
  bias?: { perOutcome: false; block: BiasBlock } | { perOutcome: true; keySpan: Span; byOutcome: OutcomeBias[] };
  /** The list item as written, and the pairs a fix adds to (`outcomes:`, `risk_of_bias:`). */
  node: TreeNode;
  outcomesPair?: PairNode;
  biasPair?: PairNode;
}

function spanned(node: TreeNode | null | undefined, text = scalarText(node)): Spanned | undefined {
  return node?.kind === "scalar" && text !== undefined ? { value: text, start: node.start, end: node.end, node } : undefined;
}

function hasSupport(support: TreeNode | null | undefined): boolean {
  return Boolean(support) && !(support!.kind === "scalar" && (support!.value === null || String(support!.value).trim() === ""));
}

/** A judgement in any of its forms: `low`, `{ judgement: low, support: … }`; `holder` is where it is reported when it has no value. */
function judgementOf(value: TreeNode | null | undefined, holder: Span, pair?: PairNode): Judgement {
  const entry = value?.kind === "map" ? value : undefined;
  const judgementPair = pairOf(entry, "judgement");
  const node = entry ? judgementPair?.value : value;
  const out: Judgement = { value: stringOf(node ?? undefined), span: node ? spanOf(node) : spanOf(holder), empty: isEmpty(node), node, supported: hasSupport(valueOf(entry, "support")) };
  if (pair) out.pair = pair;
  if (entry) out.entry = entry;
  if (judgementPair) out.judgementPair = judgementPair;
  const applicability = pairOf(entry, "applicability");
  if (applicability) out.applicability = judgementOf(applicability.value, applicability.key, applicability);
  return out;
}

/** A RoB 1 group entry (`{ group, outcomes, judgement, support }`). */
function groupEntryOf(item: TreeNode): Judgement {
  const judgementPair = pairOf(item, "judgement");
  const j = judgementOf(judgementPair?.value, item);
  if (item.kind === "map") {
    j.entry = item;
    j.supported = hasSupport(valueOf(item, "support"));
  }
  if (judgementPair) j.judgementPair = judgementPair;
  j.group = scalarText(valueOf(item, "group")) ?? "?";
  const outcomes = valueOf(item, "outcomes");
  if (outcomes?.kind === "seq") j.outcomes = outcomes.items.map((o) => spanned(o)).filter((x): x is Spanned => x !== undefined);
  return j;
}

function domainOf(domain: string, pair: PairNode): DomainJudgements {
  const keySpan = spanOf(pair.key);
  const value = pair.value;
  if (value?.kind !== "seq") return { domain, keySpan, entries: [judgementOf(value, keySpan, pair)], perGroup: false, pair };
  return { domain, keySpan, entries: value.items.map(groupEntryOf), perGroup: true, pair };
}

function blockOf(map: MapNode, keySpan: Span): BiasBlock {
  const block: BiasBlock = { keySpan, domains: [], node: map };
  for (const p of map.pairs) {
    const key = String(p.key.value);
    if (key === OVERALL_KEY) block.overall = judgementOf(p.value, p.key, p);
    else block.domains.push(domainOf(key, p));
  }
  return block;
}

function outcomeReportOf(p: PairNode): OutcomeReport {
  const statusNode = p.value?.kind === "map" ? valueOf(p.value, "status") : p.value;
  const orbitNode = valueOf(p.value, "orbit");
  const report: OutcomeReport = { id: String(p.key.value), keySpan: spanOf(p.key), span: spanOf(p.value ?? p.key), pair: p };
  const status = spanned(statusNode, stringOf(statusNode ?? undefined));
  if (status) report.status = status;
  const orbit = spanned(orbitNode, stringOf(orbitNode));
  if (orbit) report.orbit = orbit;
  const note = scalarText(valueOf(p.value, "note"));
  if (note !== undefined) report.note = note;
  return report;
}

/** The identifying values of a study (id, cite, DOI, design, participants, arms, registrations). */
function readHead(node: TreeNode, model: StudyModel): void {
  const text = (key: string) => spanned(valueOf(node, key));
  model.id = text("id");
  const citeNode = valueOf(node, "cite");
  model.cite = spanned(citeNode, stringOf(citeNode));
  model.doi = text("doi");
  const designNode = valueOf(node, "design");
  model.design = spanned(designNode, stringOf(designNode));
  model.country = scalarText(valueOf(node, "country"));
  const participants = valueOf(node, "participants");
  if (participants?.kind === "scalar" && typeof participants.value === "number") model.participants = participants.value;
  for (const [key, list] of [["arms", model.arms], ["registrations", model.registrations]] as const) {
    const seq = valueOf(node, key);
    if (seq?.kind !== "seq") continue;
    for (const item of seq.items) {
      const s = spanned(item);
      if (s !== undefined) list.push(s);
    }
  }
}

/** `[@key]` citations in the study's text values, with their ranges in the text as written. */
function citationsOf(node: MapNode, src: SourceText): CitationRef[] {
  const out: CitationRef[] = [];
  const citeNode = valueOf(node, "cite");
  forEachScalar(node, (s) => {
    if (s === citeNode || typeof s.value !== "string" || !s.value.includes("@")) return;
    for (const c of textCitations(src.slice(s.start, s.end), s.start)) out.push(c);
  });
  return out;
}

/**
 * Reads one study (offsets as in `node`), its risk of bias by its own tool (its design's, else the protocol's).
 * @param src the text the study was parsed from: citations take their ranges from the text as written.
 */
export function readStudy(node: TreeNode, tools: ToolSet, src: SourceText): StudyModel {
  const model: StudyModel = { span: spanOf(node), arms: [], registrations: [], citations: [], node };
  if (node.kind !== "map") return model;
  readHead(node, model);
  const tool = toolFor(tools, model.design?.value);
  model.citations = citationsOf(node, src);
  const outcomesPair = pairOf(node, "outcomes");
  if (outcomesPair) {
    model.outcomesPair = outcomesPair;
    const outcomes = outcomesPair.value;
    model.outcomes = outcomes?.kind === "map" ? outcomes.pairs.map(outcomeReportOf) : [];
  }
  const robPair = pairOf(node, "risk_of_bias");
  if (robPair) model.biasPair = robPair;
  const rob = robPair?.value;
  if (robPair && rob?.kind === "map") {
    const keySpan = spanOf(robPair.key);
    model.bias =
      tool?.per === "outcome"
        ? { perOutcome: true, keySpan, byOutcome: rob.pairs.filter((p) => p.value?.kind === "map").map((p) => ({ outcome: String(p.key.value), ...blockOf(p.value as MapNode, spanOf(p.key)) })) }
        : { perOutcome: false, block: blockOf(rob, keySpan) };
  }
  return model;
}

/** Every judgement of a domain (its groups' too), for counting. */
export function judgementsOf(block: BiasBlock): Judgement[] {
  return block.domains.flatMap((d) => d.entries);
}

/** The model at the document's offsets (the chunk starts at `base`); its nodes stay in the chunk's coordinates. */
export function placeStudy(model: StudyModel, base: number): StudyModel {
  if (base === 0) return model;
  const s = <T extends Span>(x: T): T => shift(x, base);
  const so = <T extends Span>(x: T | undefined): T | undefined => shift(x, base);
  const judgement = (j: Judgement): Judgement => ({
    ...j,
    span: s(j.span),
    ...(j.applicability ? { applicability: judgement(j.applicability) } : {}),
    ...(j.outcomes ? { outcomes: j.outcomes.map(s) } : {}),
  });
  const block = <B extends BiasBlock>(b: B): B => ({
    ...b,
    keySpan: s(b.keySpan),
    domains: b.domains.map((d) => ({ ...d, keySpan: s(d.keySpan), entries: d.entries.map(judgement) })),
    ...(b.overall ? { overall: judgement(b.overall) } : {}),
  });
  return {
    ...model,
    span: s(model.span),
    id: so(model.id),
    cite: so(model.cite),
    doi: so(model.doi),
    design: so(model.design),
    arms: model.arms.map(s),
    registrations: model.registrations.map(s),
    citations: model.citations.map(s),
    outcomes: model.outcomes?.map((o) => ({ ...o, keySpan: s(o.keySpan), span: s(o.span), status: so(o.status), orbit: so(o.orbit) })),
    bias: !model.bias ? undefined : model.bias.perOutcome ? { perOutcome: true, keySpan: s(model.bias.keySpan), byOutcome: model.bias.byOutcome.map(block) } : { perOutcome: false, block: block(model.bias.block) },
  };
}
