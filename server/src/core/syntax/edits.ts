/**
 * Minimal text edits for quick fixes, computed where the diagnostic is made so
 * that a code action is a pure function of the diagnostic's `data`. Edits keep
 * the user's comments, key order, quoting and style: they insert or replace only
 * the few characters the fix needs, with the neighbours' indentation and
 * flow/block style.
 */
import { lineStartOf } from "./text";
import type { MapNode, PairNode, TreeNode } from "./tree";
import { minOf } from "./arrays";

export interface TextEdit {
  from: number;
  to: number;
  text: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** false: offered, but never preferred and never applied by "fix all" (a guess between values). */
  safe?: boolean;
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

/**
 * The same edits `by` characters on (`shift` for edits, whose ends are `from` and
 * `to` as the wire has them): a fix's edits are made relative to the diagnostic's
 * start, so that they stay valid when the chunk moves.
 */
export function shiftEdits(edits: readonly TextEdit[], by: number): TextEdit[] {
  return edits.map((e) => ({ from: e.from + by, to: e.to + by, text: e.text }));
}

/** A value written in the quoting style of the scalar it replaces ("…" stays "…", '…' stays '…'). */
function inStyle(value: string, style: string | undefined): string {
  if (style === "QUOTE_DOUBLE") return JSON.stringify(value);
  if (style === "QUOTE_SINGLE") return `'${value.replace(/'/g, "''")}'`;
  return value;
}

/** One fix per candidate, each replacing the node's text with it, in the node's quoting style. */
export function replacements(
  node: { start: number; end: number; style?: string },
  candidates: readonly string[],
  title: (c: string) => string = (c) => `Change to '${c}'`,
  safe = true,
): Fix[] {
  return candidates.map((c) => ({ title: title(c), edits: [{ from: node.start, to: node.end, text: inStyle(c, node.style) }], ...(safe ? {} : { safe: false }) }));
}

/** A YAML scalar as an author writes it: plain when that is safe, quoted otherwise. */
export function yamlScalar(value: string): string {
  if (value === "") return '""';
  if (/^[A-Za-z0-9_][A-Za-z0-9_ .\/()-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|~)$/i.test(value) && !/ $/.test(value)) return value;
  return JSON.stringify(value);
}

/**
 * An edit's text written once per repeated piece: `text` (the head), then
 * `prefix + item + suffix` for each item, then `tail`. A fix that adds 110
 * outcome statuses to each of 591 studies would otherwise publish megabytes of
 * nearly identical lines.
 */
export interface PackedEdit extends TextEdit {
  repeat?: { prefix: string; suffix: string; items: string[]; tail?: string };
}

const PACK_SEPARATORS = ["\r\n", "\n", ", "];
/** Below this many repeated pieces packing does not pay. */
const PACK_MIN_ITEMS = 3;

function commonPrefix(xs: readonly string[]): number {
  let n = 0;
  const first = xs[0]!;
  while (n < first.length && xs.every((x) => x.charCodeAt(n) === first.charCodeAt(n))) n++;
  return n;
}

function commonSuffix(xs: readonly string[], limit: number): number {
  let n = 0;
  const first = xs[0]!;
  while (n < limit && xs.every((x) => x.charCodeAt(x.length - 1 - n) === first.charCodeAt(first.length - 1 - n))) n++;
  return n;
}

function packPieces(edit: TextEdit, head: string, pieces: string[], tail: string): PackedEdit | undefined {
  const pre = commonPrefix(pieces);
  const suf = commonSuffix(pieces, minOf(pieces.map((p) => p.length)) - pre);
  if (pre + suf < 4) return undefined;
  const first = pieces[0]!;
  const repeat = { prefix: first.slice(0, pre), suffix: first.slice(first.length - suf), items: pieces.map((p) => p.slice(pre, p.length - suf)) };
  return { from: edit.from, to: edit.to, text: head, repeat: tail ? { ...repeat, tail } : repeat };
}

/** The edit with its repeated pieces packed (lossless: `unpackEdit` gives it back), or as it is. */
export function packEdit(edit: TextEdit): PackedEdit {
  for (const sep of PACK_SEPARATORS) {
    const parts = edit.text.split(sep);
    if (parts.length <= PACK_MIN_ITEMS) continue;
    // The separator leads each piece (", b: x, c: x") or ends it ("a: x, b: x, ").
    const packed =
      packPieces(edit, parts[0]!, parts.slice(1).map((p) => sep + p), "") ??
      packPieces(edit, "", parts.slice(0, -1).map((p) => p + sep), parts[parts.length - 1]!);
    if (packed) return packed;
  }
  return edit;
}

/** The plain edit of a packed one (a plain edit unchanged). */
export function unpackEdit(edit: PackedEdit): TextEdit {
  if (!edit.repeat) return edit;
  const { prefix, suffix, items, tail = "" } = edit.repeat;
  return { from: edit.from, to: edit.to, text: edit.text + items.map((i) => prefix + i + suffix).join("") + tail };
}

/** Whether a value is a well-formed (plain or packed) edit as it comes back from an editor. */
export function isPackedEdit(e: unknown): e is PackedEdit {
  const x = e as PackedEdit | undefined;
  if (!x || typeof x.from !== "number" || typeof x.to !== "number" || typeof x.text !== "string") return false;
  const r = x.repeat;
  return (
    r === undefined ||
    (typeof r.prefix === "string" && typeof r.suffix === "string" && (r.tail === undefined || typeof r.tail === "string") && Array.isArray(r.items) && r.items.every((i) => typeof i === "string"))
  );
}
