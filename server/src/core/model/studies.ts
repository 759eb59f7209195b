/**
 * A study record as typed values with their ranges: what features read instead
 * of the YAML tree. The shapes a value may take are resolved here, once: a
 * judgement written as a value, as `{judgement, support, applicability}`, or as
 * a list of per-group entries (RoB 1 by groups of outcomes); an outcome status
 * as a value or as `{status, orbit, note}`; per-study or per-outcome risk of
 * bias, by the study's own tool. Read in the chunk's coordinates and cached with
 * the study's checks; `placeStudy` moves it to the document's offsets. Also the
 * protocol's outcomes, arms and `sources` entries, at the document's offsets.
 */
import type { ToolView } from "./tools";
import { isEmpty, scalarText, stringOf, valueOf, type TreeNode } from "../syntax/tree";

interface Span {
  start: number;
  end: number;
}

interface Spanned<T = string> extends Span {
  value: T;
}

export interface Judgement {
  /** The judgement as written; undefined when it is empty (not yet assessed) or absent. */
  value?: string;
  /** The judgement's value, or (when it has none) the key it belongs to. */
  span: Span;
  /** `judgement:` is there but empty: not yet assessed. */
  empty: boolean;
  support?: string;
  /** QUADAS-2: the concern about applicability. */
  applicability?: Judgement;
  /** RoB 1 per group of outcomes: the group, and the outcomes it covers (undefined: all). */
  group?: string;
  outcomes?: string[];
}

export interface DomainJudgements {
  domain: string;
  keySpan: Span;
  /** One judgement, or one per group of outcomes (RoB 1). */
  entries: Judgement[];
  perGroup: boolean;
}

export interface BiasBlock {
  keySpan: Span;
  domains: DomainJudgements[];
  overall?: Judgement;
}

interface OutcomeReport {
  id: string;
  keySpan: Span;
  /** The value (`reported`, or `{ status: …, orbit: … }`), else the key. */
  span: Span;
  status?: Spanned;
  orbit?: Spanned;
  note?: string;
}

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
  /** `outcomes:` as written (undefined when the study has no such key). */
  outcomes?: OutcomeReport[];
  /** `risk_of_bias:` read by the study's own tool: one block (per-study tools), or one per outcome. */
  bias?: { perOutcome: false; block: BiasBlock } | { perOutcome: true; keySpan: Span; byOutcome: (BiasBlock & { outcome: string })[] };
}

function spanned(node: TreeNode | null | undefined, text = scalarText(node)): Spanned | undefined {
  return node && text !== undefined ? { value: text, start: node.start, end: node.end } : undefined;
}

/** A judgement in any of its forms: `low`, `{ judgement: low, support: … }`. */
function judgementOf(value: TreeNode | null | undefined, holder: Span): Judgement {
  const map = value?.kind === "map" ? value : undefined;
  const node = map ? valueOf(map, "judgement") : value;
  const out: Judgement = { value: stringOf(node ?? undefined), span: node ? { start: node.start, end: node.end } : { start: holder.start, end: holder.end }, empty: isEmpty(node) };
  const support = scalarText(valueOf(map, "support"));
  if (support !== undefined) out.support = support;
  const applicability = map?.kind === "map" ? map.pairs.find((p) => p.key.value === "applicability") : undefined;
  if (applicability) out.applicability = judgementOf(applicability.value, applicability.key);
  return out;
}

function domainOf(domain: string, key: TreeNode, value: TreeNode | null): DomainJudgements {
  const keySpan = { start: key.start, end: key.end };
  if (value?.kind !== "seq") return { domain, keySpan, entries: [judgementOf(value, keySpan)], perGroup: false };
  const entries = value.items.map((g) => {
    const j = judgementOf(valueOf(g, "judgement"), g);
    j.group = scalarText(valueOf(g, "group")) ?? "?";
    const outcomes = valueOf(g, "outcomes");
    if (outcomes?.kind === "seq") j.outcomes = outcomes.items.map(scalarText).filter((x): x is string => x !== undefined);
    return j;
  });
  return { domain, keySpan, entries, perGroup: true };
}

function blockOf(map: TreeNode, keySpan: Span): BiasBlock {
  const block: BiasBlock = { keySpan, domains: [] };
  if (map.kind !== "map") return block;
  for (const p of map.pairs) {
    const key = String(p.key.value);
    if (key === "overall") block.overall = judgementOf(p.value, p.key);
    else block.domains.push(domainOf(key, p.key, p.value));
  }
  return block;
}

/** What identifies a study and what cross-study checks need: cheap, read for every study on every pass. */
export type StudyHead = Pick<StudyModel, "span" | "id" | "cite" | "doi" | "design" | "country" | "participants" | "arms" | "registrations">;

export function readStudyHead(node: TreeNode): StudyHead {
  const head: StudyHead = { span: { start: node.start, end: node.end }, arms: [], registrations: [] };
  if (node.kind !== "map") return head;
  const text = (key: string) => spanned(valueOf(node, key));
  head.id = text("id");
  const citeNode = valueOf(node, "cite");
  head.cite = spanned(citeNode, stringOf(citeNode));
  head.doi = text("doi");
  const designNode = valueOf(node, "design");
  head.design = spanned(designNode, stringOf(designNode));
  head.country = scalarText(valueOf(node, "country"));
  const participants = valueOf(node, "participants");
  if (participants?.kind === "scalar" && typeof participants.value === "number") head.participants = participants.value;
  for (const [key, list] of [["arms", head.arms], ["registrations", head.registrations]] as const) {
    const seq = valueOf(node, key);
    if (seq?.kind === "seq") {
      for (const item of seq.items) {
        const s = spanned(item);
        if (s !== undefined) list.push(s);
      }
    }
  }
  return head;
}

/** Reads one study (offsets as in `node`), its risk of bias by `tool` (the study's own). */
export function readStudy(node: TreeNode, tool: ToolView | undefined, head: StudyHead = readStudyHead(node)): StudyModel {
  const model: StudyModel = { ...head };
  if (node.kind !== "map") return model;
  const outcomes = valueOf(node, "outcomes");
  if (outcomes !== undefined) {
    model.outcomes = [];
    if (outcomes?.kind === "map") {
      for (const p of outcomes.pairs) {
        const statusNode = p.value?.kind === "map" ? valueOf(p.value, "status") : p.value;
        const orbitNode = valueOf(p.value, "orbit");
        const valueNode = p.value ?? p.key;
        const report: OutcomeReport = { id: String(p.key.value), keySpan: { start: p.key.start, end: p.key.end }, span: { start: valueNode.start, end: valueNode.end } };
        const status = spanned(statusNode, stringOf(statusNode ?? undefined));
        if (status) report.status = status;
        const orbit = spanned(orbitNode, stringOf(orbitNode));
        if (orbit) report.orbit = orbit;
        const note = scalarText(valueOf(p.value, "note"));
        if (note !== undefined) report.note = note;
        model.outcomes.push(report);
      }
    }
  }
  const robPair = node.pairs.find((p) => p.key.value === "risk_of_bias");
  const rob = robPair?.value;
  if (robPair && rob?.kind === "map") {
    const keySpan = { start: robPair.key.start, end: robPair.key.end };
    model.bias =
      tool?.per === "outcome"
        ? { perOutcome: true, keySpan, byOutcome: rob.pairs.filter((p) => p.value?.kind === "map").map((p) => ({ outcome: String(p.key.value), ...blockOf(p.value!, { start: p.key.start, end: p.key.end }) })) }
        : { perOutcome: false, block: blockOf(rob, keySpan) };
  }
  return model;
}

/** Every judgement of a domain (its groups' too), for counting. */
export function judgementsOf(block: BiasBlock): Judgement[] {
  return block.domains.flatMap((d) => d.entries);
}

/** The model at the document's offsets (the chunk starts at `base`). */
export function placeStudy(model: StudyModel, base: number): StudyModel {
  if (base === 0) return model;
  const s = <T extends Span>(x: T): T => ({ ...x, start: x.start + base, end: x.end + base });
  const so = <T extends Span>(x: T | undefined): T | undefined => (x ? s(x) : undefined);
  const judgement = (j: Judgement): Judgement => ({ ...j, span: s(j.span), ...(j.applicability ? { applicability: judgement(j.applicability) } : {}) });
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
    outcomes: model.outcomes?.map((o) => ({ ...o, keySpan: s(o.keySpan), span: s(o.span), status: so(o.status), orbit: so(o.orbit) })),
    bias: !model.bias ? undefined : model.bias.perOutcome ? { perOutcome: true, keySpan: s(model.bias.keySpan), byOutcome: model.bias.byOutcome.map(block) } : { perOutcome: false, block: block(model.bias.block) },
  };
}

/** A protocol outcome (`outcomes:` list item), at the document's offsets. */
export interface OutcomeModel {
  id: string;
  idSpan: Span;
  /** The list item. */
  span: Span;
  name?: string;
  role?: string;
  participant?: string;
  type?: string;
  description?: string;
  harm: boolean;
  /** Which way is good (`lower-is-better` | `higher-is-better`): sets the forest plot's labels. */
  direction?: string;
}

/** An arm of the question (`question.interventions` / `comparators` item), at the document's offsets. */
export interface ArmModel {
  id: string;
  idSpan: Span;
  span: Span;
  list: "interventions" | "comparators";
  description?: string;
}

/** The arms the question declares (its value, offsets shifted by `base`). */
export function readArms(question: TreeNode | null | undefined, base: number): ArmModel[] {
  const out: ArmModel[] = [];
  for (const list of ["interventions", "comparators"] as const) {
    const items = valueOf(question, list);
    if (items?.kind !== "seq") continue;
    for (const item of items.items) {
      const idNode = valueOf(item, "id");
      const id = scalarText(idNode);
      if (!idNode || id === undefined) continue;
      out.push({ id, idSpan: { start: base + idNode.start, end: base + idNode.end }, span: { start: base + item.start, end: base + item.end }, list, description: scalarText(valueOf(item, "description")) });
    }
  }
  return out;
}

/** The protocol's outcomes (the `outcomes` section's value, its offsets shifted by `base`). */
export function readOutcomes(list: TreeNode | null | undefined, base: number): OutcomeModel[] {
  if (list?.kind !== "seq") return [];
  const out: OutcomeModel[] = [];
  for (const item of list.items) {
    const idNode = valueOf(item, "id");
    const id = stringOf(idNode);
    if (!idNode || id === undefined) continue;
    const harm = valueOf(item, "harm");
    out.push({
      id,
      idSpan: { start: base + idNode.start, end: base + idNode.end },
      span: { start: base + item.start, end: base + item.end },
      name: stringOf(valueOf(item, "name")),
      role: stringOf(valueOf(item, "role")),
      participant: scalarText(valueOf(item, "participant")),
      type: scalarText(valueOf(item, "type")),
      description: scalarText(valueOf(item, "description")),
      harm: harm?.kind === "scalar" && harm.value === true,
      direction: scalarText(valueOf(item, "direction")),
    });
  }
  return out;
}

/** A `sources` entry: a document with its key, or a bibliography. */
export interface SourceEntryModel {
  key?: string;
  file?: string;
  bibliography?: string;
  /** The list item. */
  span: Span;
  /** Its `key`, else its `bibliography` value, else the item. */
  nameSpan: Span;
}

export function readSourceEntries(list: TreeNode | null | undefined, base: number): SourceEntryModel[] {
  if (list?.kind !== "seq") return [];
  return list.items.map((item) => {
    const named = valueOf(item, "key") ?? valueOf(item, "bibliography") ?? item;
    const entry: SourceEntryModel = { span: { start: base + item.start, end: base + item.end }, nameSpan: { start: base + named.start, end: base + named.end } };
    const key = scalarText(valueOf(item, "key"));
    const file = scalarText(valueOf(item, "file"));
    const bibliography = scalarText(valueOf(item, "bibliography"));
    if (key !== undefined) entry.key = key;
    if (file !== undefined) entry.file = file;
    if (bibliography !== undefined) entry.bibliography = bibliography;
    return entry;
  });
}

/** What the file is (contract section 2): a protocol (the default) or a completed review. */
export interface StageModel {
  review: boolean;
  /** The `stage` value as written, at the document's offsets. */
  value?: { text: string; start: number; end: number };
}

/** The `stage` section's value (its offsets shifted by `base`). */
export function readStage(node: TreeNode | null | undefined, base: number): StageModel {
  const text = node?.kind === "scalar" ? scalarText(node) : undefined;
  if (!node || text === undefined) return { review: false };
  return { review: text === "review", value: { text, start: base + node.start, end: base + node.end } };
}
