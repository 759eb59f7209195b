/**
 * Long lists of small mappings, packed. A list of hundreds of thousands of
 * `- id: …` / `reason: …` items built as one object per node took ~470 bytes
 * an item (a mapping, its pair list, two pairs, four scalars), 30× the text,
 * and the collector marked all of it again and again while it grew. Here such
 * an item is one small object over a shared table of offsets: its pairs and
 * scalars are built when a feature asks for them (and dropped after), from the
 * text they were read from. Whoever reads `pairs` gets the same nodes the
 * reader built; `toPlain` reads the table without building them.
 *
 * Only mappings whose values are all scalars are packed (the rest keep their
 * nodes), and only in lists longer than PACK_FROM items: a protocol of normal
 * size never meets one.
 */
import type { MapNode, PairNode, ScalarNode, TreeNode } from "./tree";

/** Lists shorter than this keep one object per node (every real protocol's lists). */
export const PACK_FROM = 512;

/**
 * How a scalar's value is found again: the text between its offsets, the text
 * inside its quotes, a value kept aside (with its style), or no value at all.
 */
const SLICE = 0, QUOTED = 1, STORED = 2, ABSENT = 3;

/** Per item: start, end, flow (1) + 2 × pairs; per pair: key start, end, ref; value start, end, ref. */
const ITEM_HEADER = 3, PAIR_INTS = 6;

/** The values no offset can give back (numbers, escaped or folded text…), each with its style; `null` plain first. */
type Stored = (string | number | boolean | null)[];

/** The offsets of every packed item of one list, and the text they index. */
class PackedTable {
  ints = new Int32Array(1024);
  used = 0;
  readonly stored: Stored = [null, "PLAIN"];

  constructor(readonly text: string) {}

  /** The item's pairs, built anew (they are not kept: a long list would hold them all again). */
  pairs(at: number): PairNode[] {
    const ints = this.ints;
    const count = ints[at + 2]! >> 1;
    const pairs = new Array<PairNode>(count);
    for (let k = 0, p = at + ITEM_HEADER; k < count; k++, p += PAIR_INTS) {
      const key = this.scalar(ints[p]!, ints[p + 1]!, ints[p + 2]!)!;
      pairs[k] = { key, value: this.scalar(ints[p + 3]!, ints[p + 4]!, ints[p + 5]!) };
    }
    return pairs;
  }

  /** The item as the plain object `toPlain` gives (no nodes built). */
  plain(at: number): Record<string, unknown> {
    const ints = this.ints;
    const count = ints[at + 2]! >> 1;
    const o: Record<string, unknown> = {};
    for (let k = 0, p = at + ITEM_HEADER; k < count; k++, p += PAIR_INTS) {
      const key = String(this.value(ints[p]!, ints[p + 1]!, ints[p + 2]!));
      const value = this.value(ints[p + 3]!, ints[p + 4]!, ints[p + 5]!);
      if (key === "__proto__") Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
      else o[key] = value;
    }
    return o;
  }

  private value(start: number, end: number, ref: number): string | number | boolean | null {
    switch (ref & 3) {
      case SLICE:
        return this.text.slice(start, end);
      case QUOTED:
        return this.text.slice(start + 1, end - 1);
      case STORED:
        return this.stored[ref >> 2]!;
      default:
        return null;
    }
  }

  private scalar(start: number, end: number, ref: number): ScalarNode | null {
    const kind = ref & 3;
    if (kind === ABSENT) return null;
    const value = this.value(start, end, ref);
    const style = kind === SLICE ? "PLAIN" : kind === QUOTED ? (this.text.charCodeAt(start) === 34 ? "QUOTE_DOUBLE" : "QUOTE_SINGLE") : (this.stored[(ref >> 2) + 1] as string);
    return { kind: "scalar", start, end, value, style };
  }

  /** Room for `n` more ints. */
  reserve(n: number): void {
    if (this.used + n <= this.ints.length) return;
    const grown = new Int32Array(Math.max(this.ints.length * 2, this.used + n));
    grown.set(this.ints.subarray(0, this.used));
    this.ints = grown;
  }

  /** How the scalar's value is found again (see SLICE…ABSENT). */
  ref(node: ScalarNode | null): number {
    if (!node) return ABSENT;
    const { start, end, value, style } = node;
    if (typeof value === "string") {
      if (style === "PLAIN" && value.length === end - start && this.text.startsWith(value, start)) return SLICE;
      const quote = this.text.charCodeAt(start);
      const quoted = (style === "QUOTE_DOUBLE" && quote === 34) || (style === "QUOTE_SINGLE" && quote === 39);
      if (quoted && value.length === end - start - 2 && this.text.startsWith(value, start + 1)) return QUOTED;
    }
    if (value === null && style === "PLAIN") return STORED;
    this.stored.push(value, style);
    return ((this.stored.length - 2) << 2) | STORED;
  }

  /** Gives back the room the table did not use. */
  trim(): void {
    if (this.used < this.ints.length) this.ints = this.ints.slice(0, this.used);
  }
}

/** One packed item: a mapping whose nodes are built when asked for. */
export class PackedMap implements MapNode {
  constructor(
    private readonly table: PackedTable,
    private readonly at: number,
  ) {}

  get kind(): "map" {
    return "map";
  }

  get start(): number {
    return this.table.ints[this.at]!;
  }

  get end(): number {
    return this.table.ints[this.at + 1]!;
  }

  get flow(): boolean {
    return (this.table.ints[this.at + 2]! & 1) === 1;
  }

  get pairs(): readonly PairNode[] {
    return this.table.pairs(this.at);
  }

  /** The plain object `toPlain` gives, without building the nodes. */
  plain(): Record<string, unknown> {
    return this.table.plain(this.at);
  }

  /** As the node it stands for (diagnostic data is sent as JSON: never the whole table). */
  toJSON(): MapNode {
    return { kind: "map", start: this.start, end: this.end, flow: this.flow, pairs: this.pairs };
  }
}

/** Packs the items of one long list as the reader reads them. */
export class ListPacker {
  private readonly table: PackedTable;

  constructor(text: string) {
    this.table = new PackedTable(text);
  }

  /** The item packed when it is a mapping of scalars, else as it is. */
  pack(node: TreeNode): TreeNode {
    if (node.kind !== "map") return node;
    const pairs = node.pairs;
    for (const p of pairs) if (p.value && p.value.kind !== "scalar") return node;
    const table = this.table;
    table.reserve(ITEM_HEADER + PAIR_INTS * pairs.length);
    const at = table.used;
    const ints = table.ints;
    ints[at] = node.start;
    ints[at + 1] = node.end;
    ints[at + 2] = (pairs.length << 1) | (node.flow ? 1 : 0);
    let p = at + ITEM_HEADER;
    for (const pair of pairs) {
      const value = pair.value as ScalarNode | null;
      ints[p] = pair.key.start;
      ints[p + 1] = pair.key.end;
      ints[p + 2] = table.ref(pair.key);
      ints[p + 3] = value ? value.start : 0;
      ints[p + 4] = value ? value.end : 0;
      ints[p + 5] = table.ref(value);
      p += PAIR_INTS;
    }
    table.used = p;
    return new PackedMap(table, at);
  }

  /** Call when the list is read: the table gives back what it did not use. */
  finish(): void {
    this.table.trim();
  }
}
