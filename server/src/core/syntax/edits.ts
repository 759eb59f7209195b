/**
 * Minimal text edits for quick fixes, built when a code action is asked for
 * (checks/fix-edits.ts) from the fix a diagnostic describes. Edits keep
 * the user's comments, key order, quoting and style: they insert or replace only
 * the few characters the fix needs, with the neighbours' indentation and
 * flow/block style.
 */
import { lineStartOf } from "./text";
import type { MapNode, PairNode, TreeNode } from "./tree";

export interface TextEdit {
  from: number;
  to: number;
  text: string;
}

/** The text a tree was parsed from; tree offsets + `delta` index into `text`. */
export class SourceText {
  constructor(
    readonly text: string,
    readonly delta = 0,
  ) {}

  slice(start: number, end: number): string {
    return this.text.slice(start + this.delta, end + this.delta);
  }

  /** Offset (tree coordinates) of the start of the line holding `offset`. */
  lineStart(offset: number): number {
    return lineStartOf(this.text, offset + this.delta) - this.delta;
  }

  /** Offset just after the line holding `offset` (after its newline), or the end of the text. */
  nextLineStart(offset: number): number {
    const i = this.text.indexOf("\n", offset + this.delta);
    return (i < 0 ? this.text.length : i + 1) - this.delta;
  }

  column(offset: number): number {
    return offset - this.lineStart(offset);
  }

  /** The line ending style of the text. */
  get eol(): string {
    return this.text.includes("\r\n") ? "\r\n" : "\n";
  }

  /** True when nothing but spaces is before `offset` on its line. */
  startsLine(offset: number): boolean {
    return /^[ \t]*$/.test(this.slice(this.lineStart(offset), offset));
  }

  atEnd(offset: number): boolean {
    return offset + this.delta >= this.text.length;
  }
}

/** A pair to insert: its key, a one-line (flow) value, and block lines (relative indentation) for block style. */
export interface NewPair {
  key: string;
  flow: string;
  block?: string[];
  /** Insert after this existing key (else before the first pair). */
  after?: string;
}

/** The indentation step the author uses (2 by default). */
function indentStep(src: SourceText, map: MapNode): number {
  for (const p of map.pairs) {
    const v = p.value;
    if (v && !("flow" in v && v.flow) && v.kind === "map" && v.pairs[0]) {
      const step = src.column(v.pairs[0].key.start) - src.column(p.key.start);
      if (step > 0) return step;
    }
  }
  return 2;
}

/** Whether the neighbours write their values as one-line flow collections. */
function neighboursUseFlow(map: MapNode): boolean {
  const collections = map.pairs.map((p) => p.value).filter((v): v is TreeNode => Boolean(v && v.kind !== "scalar"));
  if (!collections.length) return true;
  return collections.filter((v) => (v.kind === "map" || v.kind === "seq") && v.flow).length * 2 >= collections.length;
}

/** Edits that add pairs to a mapping, each after its `after` key (or first), in the mapping's style. */
export function insertPairs(src: SourceText, map: MapNode, pairs: readonly NewPair[]): TextEdit[] {
  const byKey = new Map<string, PairNode>();
  for (const p of map.pairs) {
    const key = String(p.key.value);
    if (!byKey.has(key)) byKey.set(key, p);
  }
  const byAnchor = new Map<PairNode | undefined, NewPair[]>();
  for (const np of pairs) {
    const anchor = np.after !== undefined ? byKey.get(np.after) : undefined;
    const group = byAnchor.get(anchor);
    if (group) group.push(np);
    else byAnchor.set(anchor, [np]);
  }
  const edits: TextEdit[] = [];
  const eol = src.eol;
  if (map.flow) {
    for (const [anchor, group] of byAnchor) {
      const items = group.map((np) => `${np.key}: ${np.flow}`);
      if (anchor) {
        const end = anchor.value ? anchor.value.end : anchor.key.end;
        edits.push({ from: end, to: end, text: items.map((i) => `, ${i}`).join("") });
      } else if (map.pairs[0]) {
        edits.push({ from: map.pairs[0].key.start, to: map.pairs[0].key.start, text: items.map((i) => `${i}, `).join("") });
      } else {
        // `{}`: write the items between the braces.
        const inner = src.slice(map.start, map.end).indexOf("{") + map.start + 1;
        edits.push({ from: inner, to: map.end - 1, text: ` ${items.join(", ")} ` });
      }
    }
    return edits;
  }
  const first = map.pairs[0];
  if (!first) return edits;
  const indent = " ".repeat(src.column(first.key.start));
  const step = " ".repeat(indentStep(src, map));
  const flow = neighboursUseFlow(map);
  const lines = (np: NewPair) =>
    flow || !np.block ? [`${indent}${np.key}: ${np.flow}`] : [`${indent}${np.key}:`, ...np.block.map((l) => `${indent}${step}${l}`)];
  for (const [anchor, group] of byAnchor) {
    const text = group.flatMap(lines).join(eol) + eol;
    if (anchor) {
      const end = anchor.value ? anchor.value.end : anchor.key.end;
      const at = src.nextLineStart(Math.max(end - 1, anchor.key.end));
      const needsBreak = src.atEnd(at) && !src.slice(at - 1, at).endsWith("\n");
      edits.push({ from: at, to: at, text: needsBreak ? eol + text : text });
    } else {
      const at = src.lineStart(first.key.start);
      edits.push({ from: at, to: at, text });
    }
  }
  return edits;
}

/** A YAML scalar as an author writes it: plain when that is safe, quoted otherwise. */
export function yamlScalar(value: string): string {
  if (value === "") return '""';
  if (/^[A-Za-z0-9_][A-Za-z0-9_ .\/()-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|~)$/i.test(value) && !/ $/.test(value)) return value;
  return JSON.stringify(value);
}
