/**
 * The body of evidence as typed values at the document's offsets: the
 * `certainty` entries (GRADE ratings per analysis, contract section 11) and the
 * `flow` counts (PRISMA 2020, section 12). A value the schema rejects is left
 * out (the schema check reports it); each value keeps its range and, where a
 * fix rewrites it, its quoting style.
 */
import { CERTAINTY_DOMAINS, CERTAINTY_LEVELS, CERTAINTY_STARTS, CERTAINTY_UPGRADES, FLOW_FIELDS } from "../../../../schemas/src/domain";
import { spanOf, type Span } from "../syntax/span";
import { pairOf, scalarText, stringOf, valueOf, type TreeNode } from "../syntax/tree";

/** A scalar as written: its value, its range and its quoting style. */
interface Valued<T> extends Span {
  value: T;
  style: string;
}

/** One GRADE domain of an entry (`risk_of_bias: { rating, reason }`). */
interface CertaintyRating {
  domain: string;
  /** The domain's key. */
  keySpan: Span;
  /** The rating when it is one the domain allows. */
  rating?: Valued<string>;
  /** The rating is written but is not one the domain allows (the schema reports it). */
  invalid: boolean;
  reason?: string;
}

export interface CertaintyEntry {
  /** The list item. */
  span: Span;
  /** The `analysis` key, else the item: where "not rated" and absent-domain hints go. */
  keySpan: Span;
  analysis?: Valued<string>;
  start?: Valued<string>;
  /** Domain id → its rating, for the domains written. */
  ratings: Map<string, CertaintyRating>;
  /** Upgrade id → levels (0…max), for the upgrades written with a valid count. */
  upgrades: Map<string, Valued<number>>;
  assumedRisk?: Valued<number>;
  /** The certainty as stated in the review, when it is a level. */
  certainty?: Valued<string>;
  comment?: string;
}

function valued<T>(node: TreeNode | null | undefined, value: T, base: number): Valued<T> {
  return { value, style: node?.kind === "scalar" ? node.style : "PLAIN", ...spanOf(node!, base) };
}

function readRating(item: TreeNode, domain: (typeof CERTAINTY_DOMAINS)[number], base: number): CertaintyRating | undefined {
  const pair = pairOf(item, domain.id);
  if (!pair) return undefined;
  const node = valueOf(pair.value, "rating");
  const text = scalarText(node);
  const allowed = text !== undefined && (domain.ratings as readonly string[]).includes(text);
  const out: CertaintyRating = { domain: domain.id, keySpan: spanOf(pair.key, base), invalid: node !== undefined && !allowed };
  if (allowed) out.rating = valued(node, text, base);
  const reason = stringOf(valueOf(pair.value, "reason"));
  if (reason?.trim()) out.reason = reason.trim();
  return out;
}

function readEntry(item: TreeNode, base: number): CertaintyEntry {
  const analysisPair = pairOf(item, "analysis");
  const entry: CertaintyEntry = { span: spanOf(item, base), keySpan: spanOf(analysisPair?.key ?? item, base), ratings: new Map(), upgrades: new Map() };
  const analysis = scalarText(analysisPair?.value);
  if (analysis !== undefined) entry.analysis = valued(analysisPair!.value, analysis, base);
  const start = stringOf(valueOf(item, "start"));
  if (start !== undefined && CERTAINTY_STARTS.some((s) => s.id === start)) entry.start = valued(valueOf(item, "start"), start, base);
  for (const d of CERTAINTY_DOMAINS) {
    const r = readRating(item, d, base);
    if (r) entry.ratings.set(d.id, r);
  }
  const upgrade = valueOf(item, "upgrade");
  for (const u of CERTAINTY_UPGRADES) {
    const node = valueOf(upgrade, u.id);
    const n = node?.kind === "scalar" ? node.value : undefined;
    if (typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= u.max) entry.upgrades.set(u.id, valued(node, n, base));
  }
  const risk = valueOf(item, "assumed_risk");
  if (risk?.kind === "scalar" && typeof risk.value === "number" && risk.value >= 0 && risk.value <= 1) entry.assumedRisk = valued(risk, risk.value, base);
  const stated = stringOf(valueOf(item, "certainty"));
  if (stated !== undefined && CERTAINTY_LEVELS.some((l) => l.id === stated)) entry.certainty = valued(valueOf(item, "certainty"), stated, base);
  const comment = scalarText(valueOf(item, "comment"));
  if (comment?.trim()) entry.comment = comment.trim();
  return entry;
}

/** The `certainty` entries (the section's value, its offsets shifted by `base`). */
export function readCertainty(list: TreeNode | null | undefined, base: number): CertaintyEntry[] {
  if (list?.kind !== "seq") return [];
  return list.items.filter((i) => i.kind === "map").map((i) => readEntry(i, base));
}

/** A flow count as written: its sum, and its parts when it is a map (database → count, reason → count). */
export interface FlowCount {
  field: string;
  /** The count, or the sum of the map's counts. */
  value: number;
  keySpan: Span;
  /** The value (the map when it is one). */
  span: Span;
  parts?: { name: string; count: number }[];
}

export interface FlowModel {
  /** The `flow` key. */
  keySpan: Span;
  counts: Map<string, FlowCount>;
}

const isCount = (n: TreeNode | null | undefined): n is TreeNode & { value: number } =>
  n?.kind === "scalar" && typeof n.value === "number" && Number.isInteger(n.value) && n.value >= 0;

function readCount(value: TreeNode | null, map: boolean): Omit<FlowCount, "field" | "keySpan"> | undefined {
  if (isCount(value)) return { value: value.value, span: spanOf(value) };
  if (!map || value?.kind !== "map") return undefined;
  const parts: { name: string; count: number }[] = [];
  for (const p of value.pairs) {
    if (!isCount(p.value)) return undefined;
    parts.push({ name: String(p.key.value), count: p.value.value });
  }
  return { value: parts.reduce((s, p) => s + p.count, 0), span: spanOf(value), parts };
}

/** The `flow` counts (the section's key and value, offsets shifted by `base`); undefined without a `flow` mapping. */
export function readFlow(key: TreeNode | undefined, value: TreeNode | null | undefined, base: number): FlowModel | undefined {
  if (!key || value?.kind !== "map") return undefined;
  const counts = new Map<string, FlowCount>();
  for (const f of FLOW_FIELDS) {
    const pair = pairOf(value, f.id);
    if (!pair) continue;
    const c = readCount(pair.value, f.map);
    if (c) counts.set(f.id, { field: f.id, value: c.value, keySpan: spanOf(pair.key, base), span: spanOf(c.span, base), ...(c.parts ? { parts: c.parts } : {}) });
  }
  return { keySpan: spanOf(key, base), counts };
}
