/**
 * What is at an offset of a protocol: the node, its path of keys, and what it
 * means (a citation, a study id, an outcome reference, a domain, a judgement…).
 * Works on whatever parsed, so hover and navigation keep working on the parts
 * of a broken document that parse.
 */
import { OVERALL_KEY } from "../../../schemas/src/domain";
import type { ProtocolAnalysis, StudyInfo } from "../core/analyzer/analyzer";
import { textCitations } from "../core/syntax/citations";
import type { StudyItem } from "../core/syntax/parse";
import { toolFor, type ToolView } from "../core/model/tools";
import type { PathSegment, TreeNode } from "../core/syntax/tree";

/** The tool a study is judged with (its design's, else the protocol's). */
export function toolOfStudy(analysis: ProtocolAnalysis, index: number | undefined): ToolView | undefined {
  const design = index !== undefined ? analysis.studies[index]?.checked.model.design?.value : undefined;
  return toolFor(analysis.context.tools, design);
}

interface Hit {
  /** Path from the top level (studies: ["studies", index, …]). */
  path: PathSegment[];
  /** The scalar (or collection) under the offset; for a key, the key's scalar. */
  node: TreeNode;
  onKey: boolean;
  /** Offset of the chunk the node's offsets are relative to. */
  base: number;
  /** The study the offset is in, when it is in one. */
  study?: { item: StudyItem; info?: StudyInfo; index: number };
}

export type Target =
  | { kind: "citation"; key: string; start: number; end: number }
  | { kind: "source-key"; key: string; start: number; end: number }
  | { kind: "study"; index: number; start: number; end: number }
  | { kind: "analysis"; index: number; start: number; end: number }
  | { kind: "data-row"; analysis: number; study: string; start: number; end: number }
  | { kind: "outcome"; id: string; start: number; end: number; declaration: boolean }
  | { kind: "arm"; id: string; start: number; end: number; declaration: boolean }
  | { kind: "domain"; id: string; tool?: ToolView; start: number; end: number }
  | { kind: "judgement"; value: string; domain?: string; tool?: ToolView; applicability?: boolean; start: number; end: number }
  | { kind: "status"; value: string; start: number; end: number }
  | { kind: "orbit"; letter: string; start: number; end: number }
  | { kind: "tool"; id: string; start: number; end: number }
  | { kind: "framework"; value: string; start: number; end: number }
  /** Inside a `certainty` entry: `field` the keys below the entry (`["imprecision", "rating"]`), the value when not on a key. */
  | { kind: "certainty"; entry: number; field: string[]; value?: string; onKey: boolean; start: number; end: number }
  /** Inside `flow`: the count's field, and the part (a database, a reason) when in a map. */
  | { kind: "flow"; field: string; part?: string; start: number; end: number }
  | { kind: "key"; path: PathSegment[]; start: number; end: number };

function within(offset: number, start: number, end: number): boolean {
  return offset >= start && offset <= end;
}

/** The innermost node at `rel` below `start`, with its path. */
function descend(start: TreeNode, rel: number, startPath: PathSegment[]): { path: PathSegment[]; node: TreeNode; onKey: boolean } {
  const path = [...startPath];
  let node = start;
  for (;;) {
    let next: TreeNode | undefined;
    if (node.kind === "map") {
      for (const pair of node.pairs) {
        const key = String(pair.key.value);
        if (within(rel, pair.key.start, pair.key.end) && pair.key.end > pair.key.start) return { path: [...path, key], node: pair.key, onKey: true };
        if (pair.value && within(rel, pair.value.start, pair.value.end)) {
          path.push(key);
          next = pair.value;
          break;
        }
      }
    } else if (node.kind === "seq") {
      for (let i = 0; i < node.items.length; i++) {
        const item = node.items[i]!;
        if (within(rel, item.start, item.end)) {
          path.push(i);
          next = item;
          break;
        }
      }
    }
    if (!next) return { path, node, onKey: false };
    node = next;
  }
}

/** The study (or analysis) item containing an offset (items are in document order). */
export function itemAt(items: readonly StudyItem[], offset: number): number {
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = items[mid]!;
    if (offset < s.base + s.node.start) hi = mid - 1;
    else if (offset > s.base + s.node.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

function hitAt(analysis: ProtocolAnalysis, offset: number): Hit | undefined {
  const { parsed } = analysis;
  const index = itemAt(parsed.studies, offset);
  if (index >= 0) {
    const item = parsed.studies[index]!;
    const found = descend(item.node, offset - item.base, ["studies", index]);
    // analysis.studies holds one study per parsed item, in the same order.
    return { ...found, base: item.base, study: { item, info: analysis.studies[index], index } };
  }
  // Analyses parsed one by one (chunks) are not in their section's value: look in the items, as for studies.
  const analysisIndex = itemAt(parsed.analyses, offset);
  if (analysisIndex >= 0) {
    const item = parsed.analyses[analysisIndex]!;
    return { ...descend(item.node, offset - item.base, ["analyses", analysisIndex]), base: item.base };
  }
  // A key first: a section's value may end where the next key starts (yaml counts the line break
  // into a whole document's collection), and the cursor on that key means the key.
  for (const section of parsed.sections) {
    if (within(offset - section.base, section.keyNode.start, section.keyNode.end)) {
      return { path: [section.key], node: section.keyNode, onKey: true, base: section.base };
    }
  }
  for (const section of parsed.sections) {
    const start = section.base + section.keyNode.start;
    const end = section.base + (section.value?.end ?? section.keyNode.end);
    if (!within(offset, start, end)) continue;
    if (!section.value) return undefined;
    return { ...descend(section.value, offset - section.base, [section.key]), base: section.base };
  }
  return undefined;
}

function scalarString(node: TreeNode): string | undefined {
  return node.kind === "scalar" && node.value !== null ? String(node.value) : undefined;
}

const OUTCOME_VALUE_KEYS = new Set(["status", "orbit", "note"]);

/** What the thing at `offset` is. */
export function targetAt(analysis: ProtocolAnalysis, offset: number): Target | undefined {
  const hit = hitAt(analysis, offset);
  if (!hit) return undefined;
  const { path, node, onKey, base } = hit;
  const start = base + node.start;
  const end = base + node.end;
  const value = scalarString(node);
  const p = path.map(String);
  const last = p[p.length - 1];
  const tool = toolOfStudy(analysis, hit.study?.index);
  const perOutcome = tool?.per === "outcome";

  // [@key] inside any text value
  if (!onKey && node.kind === "scalar" && typeof node.value === "string" && node.value.includes("@")) {
    for (const c of textCitations(analysis.parsed.text.slice(start, end), start)) {
      if (within(offset, c.start, c.end)) return { kind: "citation", key: c.key, start: c.start, end: c.end };
    }
  }
  if (hit.study) {
    const rest = p.slice(2);
    if (rest.length === 1 && !onKey && value !== undefined) {
      if (rest[0] === "cite") return { kind: "citation", key: value, start, end };
      if (rest[0] === "id") return { kind: "study", index: hit.study.index, start, end };
    }
    if (rest[0] === "arms" && rest.length === 2 && value !== undefined) return { kind: "arm", id: value, start, end, declaration: false };
    if (rest[0] === "outcomes" && rest.length >= 2) {
      if (rest.length === 2 && onKey) return { kind: "outcome", id: rest[1]!, start, end, declaration: false };
      if (value !== undefined && !onKey && (rest.length === 2 || rest[2] === "status")) return { kind: "status", value, start, end };
      if (value !== undefined && !onKey && rest[2] === "orbit") return { kind: "orbit", letter: value, start, end };
      if (onKey && rest.length === 3 && OUTCOME_VALUE_KEYS.has(rest[2]!)) return { kind: "key", path: p, start, end };
    }
    if (rest[0] === "risk_of_bias" && rest.length >= 2) {
      const domainDepth = perOutcome ? 3 : 2;
      if (perOutcome && rest.length === 2 && onKey) return { kind: "outcome", id: rest[1]!, start, end, declaration: false };
      if (rest.length === domainDepth && onKey && rest[domainDepth - 1] !== OVERALL_KEY) return { kind: "domain", id: rest[domainDepth - 1]!, tool, start, end };
      const domain = rest[domainDepth - 1];
      // rob1 per group of outcomes: risk_of_bias.<domain>[i].judgement
      const inGroup = typeof path[2 + domainDepth] === "number";
      const field = inGroup ? rest[domainDepth + 1] : rest[domainDepth];
      if (!onKey && value !== undefined && ((rest.length === domainDepth && !inGroup) || field === "judgement" || field === "applicability")) {
        return { kind: "judgement", value, domain: domain === OVERALL_KEY ? undefined : domain, tool, applicability: field === "applicability", start, end };
      }
      if (inGroup && field === "outcomes" && !onKey && value !== undefined) return { kind: "outcome", id: value, start, end, declaration: false };
    }
    if (onKey) return { kind: "key", path: p, start, end };
    return undefined;
  }
  if (p[0] === "certainty" && typeof path[1] === "number" && p.length >= 3) {
    return { kind: "certainty", entry: path[1], field: p.slice(2), ...(onKey || value === undefined ? {} : { value }), onKey, start, end };
  }
  if (p[0] === "flow" && p.length >= 2 && (onKey || value !== undefined)) return { kind: "flow", field: p[1]!, ...(p.length === 3 ? { part: p[2] } : {}), start, end };
  if (!onKey && value !== undefined) {
    if (p[0] === "update_of" && p.length === 1) return { kind: "citation", key: value, start, end };
    if (p[0] === "excluded_studies" && last === "cite") return { kind: "citation", key: value, start, end };
    if (p[0] === "sources" && last === "key" && p.length === 3) return { kind: "source-key", key: value, start, end };
    if (p[0] === "outcomes" && last === "id" && p.length === 3) return { kind: "outcome", id: value, start, end, declaration: true };
    if (p[0] === "question" && (p[1] === "interventions" || p[1] === "comparators") && last === "id") return { kind: "arm", id: value, start, end, declaration: true };
    if (p[0] === "bias" && last === "tool") return { kind: "tool", id: value, start, end };
    if (p[0] === "confidence" && last === "framework") return { kind: "framework", value, start, end };
    if (p[0] === "analyses" && p.length === 3 && last === "id") return { kind: "analysis", index: Number(p[1]), start, end };
    if (p[0] === "analyses" && p.length === 3 && last === "outcome") return { kind: "outcome", id: value, start, end, declaration: false };
    if (p[0] === "analyses" && p.length === 4 && p[2] === "compare") return { kind: "arm", id: value, start, end, declaration: false };
    // A random-effects setting's value (section 8.1): its key's hover, which explains every choice.
    if (p[0] === "analyses" && p.length === 3 && (last === "tau2" || last === "ci" || last === "prediction")) return { kind: "key", path: p, start, end };
  }
  // The study key of a data row: analyses[i].data.<study> or analyses[i].subgroups[j].data.<study>
  if (onKey && value !== undefined && p[0] === "analyses" && (p.length === 4 ? p[2] === "data" : p.length === 6 && p[2] === "subgroups" && p[4] === "data")) {
    return { kind: "data-row", analysis: Number(p[1]), study: value, start, end };
  }
  if (onKey) return { kind: "key", path: p, start, end };
  return undefined;
}

