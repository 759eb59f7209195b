/**
 * A quick fix's edits, built when an editor asks for them: a pure function of
 * the fix's description (fixes.ts), where its diagnostic starts now, and the
 * document as it is now. A fix whose target is gone — the text it replaces
 * changed, the mapping it adds to moved or already has the keys — is skipped,
 * never applied somewhere else. Edits are minimal and in the neighbours' style
 * (syntax/edits.ts).
 */
import { DEFAULT_MISSING_STATUS } from "../../../../schemas/src/domain";
import { insertPairs, type SourceText, type TextEdit } from "../syntax/edits";
import { listOf } from "../syntax/suggest";
import { isEmpty, pairOf, type MapNode, type PairNode, type TreeNode } from "../syntax/tree";
import { precedingKeys, type AddBlockFix, type AddLineFix, type AddPairsFix, type FixDescription, type ReplaceFix } from "./fixes";

/** A chunk of the document's tree: its root, the text it was parsed from, and where it starts. */
export interface FixChunk {
  root: TreeNode;
  src: SourceText;
  base: number;
}

/** The document a fix is built against. */
export interface FixDocument {
  /** The document's whole text (offsets as the diagnostics'). */
  text: string;
  /** The chunk of the tree holding an offset (a study, an analysis, a top-level section). */
  chunkAt(offset: number): FixChunk | undefined;
  /** The study chunk holding an offset. */
  studyAt(offset: number): FixChunk | undefined;
  /** The protocol's outcome ids, in order, each once. */
  outcomes: readonly string[];
}

/** A fix ready to apply: absolute edits. */
export interface BuiltFix {
  title: string;
  edits: TextEdit[];
  /** false: never preferred, never applied by "fix all" or on save. */
  safe: boolean;
}

/** The fix's edits against `doc`, its diagnostic starting at `start`; undefined when its target is gone or it has nothing to do. */
export function buildFix(fix: FixDescription, start: number, doc: FixDocument): BuiltFix | undefined {
  const built = buildEdits(fix, start, doc);
  if (!built?.edits.length) return undefined;
  return { title: built.title, edits: built.edits, safe: !(fix.kind === "replace" && fix.safe === false) };
}

function buildEdits(fix: FixDescription, start: number, doc: FixDocument): { title: string; edits: TextEdit[] } | undefined {
  switch (fix.kind) {
    case "replace":
      return replace(fix, start, doc);
    case "add-pairs":
      return addPairs(fix, start, doc);
    case "add-block":
      return addBlockFix(fix, start, doc);
    case "add-line":
      return addLine(fix, start, doc);
    case "add-outcome-statuses":
      return addOutcomeStatuses(start, doc);
  }
}

/** The text it replaces is still there: as written, or as a scalar's value (quoted). */
function replace(fix: ReplaceFix, start: number, doc: FixDocument): { title: string; edits: TextEdit[] } | undefined {
  const from = start + fix.at;
  const to = from + fix.length;
  if (from < 0 || to > doc.text.length) return undefined;
  if (fix.value !== undefined && doc.text.slice(from, to) !== fix.value) {
    const chunk = doc.chunkAt(from);
    const node = chunk && nodeAt(chunk.root, from - chunk.base, (n) => n.end === to - chunk.base);
    if (node?.kind !== "scalar" || String(node.value) !== fix.value) return undefined;
  }
  return { title: fix.title, edits: [{ from, to, text: fix.text }] };
}

/** Each mapping is still where it was, without the keys to add. */
function addPairs(fix: AddPairsFix, start: number, doc: FixDocument): { title: string; edits: TextEdit[] } | undefined {
  const edits: TextEdit[] = [];
  for (const { map, pairs } of fix.into) {
    const at = mapAt(doc.chunkAt(start + map), start + map);
    if (!at || pairs.some((p) => pairOf(at.node, p.key))) return undefined;
    for (const e of insertPairs(at.chunk.src, at.node, pairs)) edits.push({ from: e.from + at.chunk.base, to: e.to + at.chunk.base, text: e.text });
  }
  return { title: fix.title, edits };
}

function addBlockFix(fix: AddBlockFix, start: number, doc: FixDocument): { title: string; edits: TextEdit[] } | undefined {
  const at = mapAt(doc.studyAt(start + fix.study), start + fix.study);
  if (!at || at.chunk.root !== at.node) return undefined;
  let into: PairNode | undefined;
  if (fix.into !== undefined) {
    into = at.node.pairs.find((p) => p.key.start === start + fix.into! - at.chunk.base);
    if (!into || String(into.key.value) !== fix.key) return undefined;
  } else if (pairOf(at.node, fix.key)) return undefined;
  const edits = addBlock(at.chunk.src, at.node, fix.key, fix.lines, into);
  return { title: fix.title, edits: edits.map((e) => ({ from: e.from + at.chunk.base, to: e.to + at.chunk.base, text: e.text })) };
}

function addLine(fix: AddLineFix, start: number, doc: FixDocument): { title: string; edits: TextEdit[] } | undefined {
  const chunk = doc.chunkAt(start + fix.holder);
  if (!chunk) return undefined;
  const { src, base } = chunk;
  const holder = start + fix.holder - base;
  const indent = fix.nested ? " ".repeat(src.column(holder) + 2) : "";
  const at = src.nextLineStart(holder);
  const text = `${indent}${fix.key}: ${fix.value}${src.eol}`;
  return { title: fix.title, edits: [{ from: at + base, to: at + base, text: src.atEnd(at) && !src.slice(at - 1, at).endsWith("\n") ? src.eol + text : text }] };
}

/** The statuses the study holding `start` lacks now, in the protocol's order. */
function addOutcomeStatuses(start: number, doc: FixDocument): { title: string; edits: TextEdit[] } | undefined {
  const chunk = doc.studyAt(start);
  const study = chunk?.root;
  if (study?.kind !== "map") return undefined;
  const pair = pairOf(study, "outcomes");
  const map = pair?.value;
  if (pair && map?.kind !== "map" && !isEmpty(map)) return undefined;
  const present = new Set(map?.kind === "map" ? map.pairs.map((p) => String(p.key.value)) : []);
  const missing = doc.outcomes.filter((id) => !present.has(id));
  if (!missing.length) return undefined;
  const status = DEFAULT_MISSING_STATUS;
  const before = map?.kind === "map" && map.pairs.length ? precedingKeys(doc.outcomes, present) : undefined;
  const edits =
    map?.kind === "map"
      ? insertPairs(chunk!.src, map, missing.map((id) => ({ key: id, flow: status, ...(before ? { after: before.get(id) } : {}) })))
      : addBlock(chunk!.src, study, "outcomes", missing.map((id) => `${id}: ${status}`), pair);
  const title = `Add ${missing.length > 5 ? `the ${missing.length} missing outcomes` : listOf(missing)} as ${status}`;
  return { title, edits: edits.map((e) => ({ from: e.from + chunk!.base, to: e.to + chunk!.base, text: e.text })) };
}

/** Edits (tree coordinates) that add `key:` with block `lines` at the end of a study, or into its key that has no value. */
function addBlock(src: SourceText, node: MapNode, key: string, lines: readonly string[], emptyPair?: PairNode): TextEdit[] {
  const eol = src.eol;
  if (emptyPair) {
    const indent = " ".repeat(src.column(emptyPair.key.start) + 2);
    const at = src.nextLineStart(emptyPair.key.end);
    const text = lines.map((l) => indent + l).join(eol) + eol;
    return [{ from: at, to: at, text: src.atEnd(at) && !src.slice(at - 1, at).endsWith("\n") ? eol + text : text }];
  }
  const last = node.pairs[node.pairs.length - 1];
  if (!last) return [];
  const indent = " ".repeat(src.column(node.pairs[0]!.key.start));
  const end = last.value ? last.value.end : last.key.end;
  const at = src.nextLineStart(Math.max(end - 1, last.key.end));
  const text = [`${key}:`, ...lines.map((l) => `  ${l}`)].map((l) => indent + l).join(eol) + eol;
  return [{ from: at, to: at, text: src.atEnd(at) && !src.slice(at - 1, at).endsWith("\n") ? eol + text : text }];
}

/** The mapping that starts at `offset` in the chunk. */
function mapAt(chunk: FixChunk | undefined, offset: number): { node: MapNode; chunk: FixChunk } | undefined {
  const node = chunk && nodeAt(chunk.root, offset - chunk.base, (n) => n.kind === "map");
  return node?.kind === "map" ? { node, chunk: chunk! } : undefined;
}

/** The node (a value or a key) that starts at `offset` and satisfies `fits`: a walk down the nodes holding the offset (a loop: input of any depth). */
function nodeAt(root: TreeNode | null | undefined, offset: number, fits: (n: TreeNode) => boolean): TreeNode | undefined {
  const holds = (n: TreeNode | null | undefined): n is TreeNode => Boolean(n) && offset >= n!.start && offset <= n!.end;
  const stack: TreeNode[] = holds(root) ? [root] : [];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.start === offset && fits(node)) return node;
    const children = node.kind === "map" ? node.pairs.flatMap((p) => [p.key, p.value]) : node.kind === "seq" ? node.items : [];
    // Pushed last first: the first child holding the offset is looked at first.
    for (let i = children.length - 1; i >= 0; i--) if (holds(children[i])) stack.push(children[i]!);
  }
  return undefined;
}
