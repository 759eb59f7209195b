/**
 * A small, immutable syntax tree of YAML nodes with offsets, built from the
 * `yaml` library's document. Checks work on this tree, so that the zod path of a
 * problem maps to exactly one node and range. Offsets are relative to the text
 * that was parsed (a chunk of the document, see chunks.ts).
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node as YamlNode } from "yaml";
import { PackedMap } from "./packed";

export interface ScalarNode {
  readonly kind: "scalar";
  readonly start: number;
  readonly end: number;
  readonly value: string | number | boolean | null;
  /** PLAIN, QUOTE_DOUBLE, QUOTE_SINGLE, BLOCK_LITERAL, BLOCK_FOLDED. */
  readonly style: string;
}

export interface PairNode {
  readonly key: ScalarNode;
  readonly value: TreeNode | null;
}

export interface MapNode {
  readonly kind: "map";
  readonly start: number;
  readonly end: number;
  readonly flow: boolean;
  readonly pairs: readonly PairNode[];
}

export interface SeqNode {
  readonly kind: "seq";
  readonly start: number;
  readonly end: number;
  readonly flow: boolean;
  readonly items: readonly TreeNode[];
}

export type TreeNode = ScalarNode | MapNode | SeqNode;

/** Upper bound on nodes built from one parse, so alias expansion cannot blow up memory. */
const MAX_TREE_NODES = 2_000_000;

export class TreeBudgetExceeded extends Error {}

/**
 * Deeper nesting than this is not built: every walk over the tree (schema,
 * citations, what is under the cursor) may then recurse without overflowing
 * the stack. No protocol nests beyond a dozen levels; the fast reader leaves
 * anything past 100 to `yaml`.
 */
const MAX_TREE_DEPTH = 1000;

export class TreeTooDeep extends Error {}

/** Node budget, and what the build noticed. */
export interface BuildState {
  left: number;
  /** Collections open around the node being built. */
  depth?: number;
  /** An alias whose anchor is not in this document (a chunk's alias into another chunk). */
  unresolvedAlias?: boolean;
}

export function buildTree(doc: Document.Parsed | Document, budget: BuildState = { left: MAX_TREE_NODES }): TreeNode | null {
  const contents = doc.contents as YamlNode | null;
  if (!contents) return null;
  return convert({ doc, budget }, contents, undefined);
}

/** The document a tree is built from, and what the build may still spend. */
interface Building {
  doc: Document.Parsed | Document;
  budget: BuildState;
}

/** `forced`: the range of the alias the node is reached through (everything inside points there). */
function convert(b: Building, node: unknown, forced: readonly [number, number] | undefined): TreeNode {
  const budget = b.budget;
  if (--budget.left < 0) throw new TreeBudgetExceeded("the document expands to too many nodes");
  const depth = budget.depth ?? 0;
  if (depth > MAX_TREE_DEPTH) throw new TreeTooDeep(`it nests deeper than ${MAX_TREE_DEPTH} levels`);
  budget.depth = depth + 1;
  try {
    return convertNode(b, node, forced);
  } finally {
    budget.depth = depth;
  }
}

function convertNode(b: Building, node: unknown, forced: readonly [number, number] | undefined): TreeNode {
  if (isAlias(node)) {
    const target = node.resolve(b.doc);
    const r = node.range ?? [0, 0];
    // Everything inside an alias points at the alias itself: that is where the author can act.
    if (!target) {
      b.budget.unresolvedAlias = true;
      return { kind: "scalar", start: r[0], end: r[1], value: null, style: "PLAIN" };
    }
    return convert(b, target, forced ?? [r[0], r[1]]);
  }
  const r = (node as { range?: [number, number, number] }).range ?? [0, 0, 0];
  const start = forced ? forced[0] : r[0];
  const end = forced ? forced[1] : r[1];
  if (isMap(node)) {
    const pairs: PairNode[] = [];
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const key = convertKey(b, item.key, forced);
      const previous = pairs[pairs.length - 1];
      if (node.flow && item.value == null && previous && continuesText(previous, key)) {
        // `{ support: random, stratified }`: in a flow mapping the comma ends the
        // text, and YAML reads "stratified" as a key without a value. Authors mean
        // one text, so keep it as one.
        const text = previous.value as ScalarNode;
        pairs[pairs.length - 1] = { key: previous.key, value: { ...text, value: `${String(text.value)}, ${String(key.value)}`, end: key.end } };
        continue;
      }
      const value = item.value == null ? null : convert(b, item.value, forced);
      pairs.push({ key, value });
    }
    return { kind: "map", start, end, flow: Boolean(node.flow), pairs };
  }
  if (isSeq(node)) {
    const items: TreeNode[] = [];
    for (const item of node.items) {
      if (item == null) continue;
      items.push(convert(b, item, forced));
    }
    return { kind: "seq", start, end, flow: Boolean(node.flow), items };
  }
  if (isScalar(node)) {
    const v = node.value;
    const value =
      v === null || v === undefined
        ? null
        : typeof v === "string" || typeof v === "number" || typeof v === "boolean"
          ? v
          : typeof v === "bigint"
            ? Number(v)
            : String(v);
    return { kind: "scalar", start, end, value, style: String(node.type ?? "PLAIN") };
  }
  return { kind: "scalar", start, end, value: null, style: "PLAIN" };
}

function continuesText(previous: PairNode, key: ScalarNode): boolean {
  const v = previous.value;
  return v?.kind === "scalar" && v.style === "PLAIN" && typeof v.value === "string" && key.style === "PLAIN" && typeof key.value === "string";
}

function convertKey(b: Building, key: unknown, forced: readonly [number, number] | undefined): ScalarNode {
  if (key == null) return { kind: "scalar", start: forced?.[0] ?? 0, end: forced?.[0] ?? 0, value: null, style: "PLAIN" };
  const node = convert(b, key, forced);
  if (node.kind === "scalar") return node;
  // A complex key (a mapping or list used as a key): keep its place, never its meaning.
  return { kind: "scalar", start: node.start, end: node.end, value: "[complex key]", style: "PLAIN" };
}

/** The value of a key in a mapping, or undefined. */
export function pairOf(map: TreeNode | null | undefined, key: string): PairNode | undefined {
  if (!map || map.kind !== "map") return undefined;
  if (map instanceof PackedMap) return map.pairOf(key);
  for (const p of map.pairs) if (p.key.value !== null && String(p.key.value) === key) return p;
  return undefined;
}

export function valueOf(map: TreeNode | null | undefined, key: string): TreeNode | null | undefined {
  const p = pairOf(map, key);
  return p ? p.value : undefined;
}

export function stringOf(node: TreeNode | null | undefined): string | undefined {
  return node && node.kind === "scalar" && typeof node.value === "string" ? node.value : undefined;
}

/** A value written as nothing (`key:`, `key: ~`, `key: null`): in a judgement, not yet assessed. */
export function isEmpty(node: TreeNode | null | undefined): boolean {
  return node === null || (node?.kind === "scalar" && node.value === null);
}

/** A scalar as text, whatever its type (numbers and booleans too). */
export function scalarText(node: TreeNode | null | undefined): string | undefined {
  return node && node.kind === "scalar" && node.value !== null ? String(node.value) : undefined;
}

/** Plain JavaScript value of a node, for schema validation. */
export function toPlain(node: TreeNode | null | undefined): unknown {
  if (!node) return null;
  switch (node.kind) {
    case "scalar":
      return node.value;
    case "seq":
      return node.items.map(toPlain);
    case "map": {
      if (node instanceof PackedMap) return node.plain();
      // A plain object, not Object.create(null) (a slow dictionary in V8, and a list has hundreds of
      // thousands); a `__proto__` key becomes an own property like any other.
      const o: Record<string, unknown> = {};
      for (const p of node.pairs) {
        const key = String(p.key.value);
        if (key === "__proto__") Object.defineProperty(o, key, { value: toPlain(p.value), enumerable: true, writable: true, configurable: true });
        else o[key] = toPlain(p.value);
      }
      return o;
    }
  }
}

export type PathSegment = string | number;

/** The node at a path of keys and indexes, with the pair that holds it (for maps). */
export function nodeAtPath(
  root: TreeNode | null | undefined,
  path: readonly PathSegment[],
): { node: TreeNode | null | undefined; pair?: PairNode; parent?: TreeNode } {
  let node: TreeNode | null | undefined = root;
  let pair: PairNode | undefined;
  let parent: TreeNode | undefined;
  for (const seg of path) {
    if (!node) return { node: undefined, pair: undefined, parent };
    parent = node;
    if (node.kind === "map") {
      pair = pairOf(node, String(seg));
      node = pair ? pair.value : undefined;
    } else if (node.kind === "seq" && typeof seg === "number") {
      node = node.items[seg];
      pair = undefined;
    } else return { node: undefined, pair: undefined, parent };
  }
  return { node, pair, parent };
}

/** Calls `visit` for every scalar value (not keys) below a node, in document order. */
export function forEachScalar(node: TreeNode | null | undefined, visit: (s: ScalarNode) => void): void {
  const stack: (TreeNode | null | undefined)[] = [node];
  while (stack.length) {
    const n = stack.pop();
    if (!n) continue;
    if (n.kind === "scalar") visit(n);
    else if (n.kind === "seq") for (let i = n.items.length - 1; i >= 0; i--) stack.push(n.items[i]);
    else for (let i = n.pairs.length - 1; i >= 0; i--) stack.push(n.pairs[i]!.value);
  }
}
