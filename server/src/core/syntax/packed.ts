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

/**
 * Per item: start, end, flow (1) + 2 × pairs; per pair: key start, key ref,
 * value start, value end, value ref (a key's end is its start plus the length
 * its ref keeps: keys repeat, so the table of keys stays small).
 */
const ITEM_HEADER = 3, PAIR_INTS = 5;

/**
 * The table grows by blocks of this many ints (256 KB), an item never split
 * across two: no copy of the whole table as it grows, at most one block spare.
 */
const BLOCK_BITS = 16, BLOCK = 1 << BLOCK_BITS, IN_BLOCK = BLOCK - 1;

/** Mappings with more pairs than fit a block keep their nodes. */
export const MAX_PAIRS = Math.floor((BLOCK - ITEM_HEADER) / PAIR_INTS);

/** The values no offset can give back (numbers, escaped or folded text…), each with its style; `null` plain first. */
type Stored = (string | number | boolean | null)[];

/** The offsets of every packed item of one list, and the text they index. */
class PackedTable {
  private readonly blocks: Int32Array[] = [];
  /** Where the next item goes: block index << BLOCK_BITS | offset in it. */
  private next = 0;
  private readonly stored: Stored = [null, "PLAIN"];
  /** Each key as written: its value, style and length (by style, length and text). */
  private readonly keys: Stored = [];
  private readonly keyIndex = new Map<string, number>();

  constructor(readonly text: string) {}

  /** The block of ints that holds the item at `at` (it starts at `at & IN_BLOCK` in it). */
  block(at: number): Int32Array {
    return this.blocks[at >>> BLOCK_BITS]!;
  }

  /** The item's pairs, built anew (they are not kept: a long list would hold them all again). */
  pairs(at: number): PairNode[] {
    const ints = this.block(at);
    let p = at & IN_BLOCK;
    const count = ints[p + 2]! >> 1;
    const pairs = new Array<PairNode>(count);
    p += ITEM_HEADER;
    for (let k = 0; k < count; k++, p += PAIR_INTS) pairs[k] = { key: this.key(ints[p]!, ints[p + 1]!), value: this.scalar(ints[p + 2]!, ints[p + 3]!, ints[p + 4]!) };
    return pairs;
  }

  /** The pair of the item whose key reads `key` (as `pairOf` compares keys), or undefined; only that pair is built. */
  pairOf(at: number, key: string): PairNode | undefined {
    const ints = this.block(at);
    let p = at & IN_BLOCK;
    const count = ints[p + 2]! >> 1;
    p += ITEM_HEADER;
    for (let k = 0; k < count; k++, p += PAIR_INTS) {
      const value = this.keys[ints[p + 1]!];
      if (value !== null && value !== undefined && String(value) === key) return { key: this.key(ints[p]!, ints[p + 1]!), value: this.scalar(ints[p + 2]!, ints[p + 3]!, ints[p + 4]!) };
    }
    return undefined;
  }

  /** The item as the plain object `toPlain` gives (no nodes built). */
  plain(at: number): Record<string, unknown> {
    const ints = this.block(at);
    let p = at & IN_BLOCK;
    const count = ints[p + 2]! >> 1;
    const o: Record<string, unknown> = {};
    p += ITEM_HEADER;
    for (let k = 0; k < count; k++, p += PAIR_INTS) {
      const key = String(this.keys[ints[p + 1]!]);
      const value = this.value(ints[p + 2]!, ints[p + 3]!, ints[p + 4]!);
      if (key === "__proto__") Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
      else o[key] = value;
    }
    return o;
  }

  private key(start: number, ref: number): ScalarNode {
    const keys = this.keys;
    return { kind: "scalar", start, end: start + (keys[ref + 2] as number), value: keys[ref]!, style: keys[ref + 1] as string };
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

  /** Where an item of `pairs` pairs goes (a new block when the last has no room for it). */
  place(pairs: number): { ints: Int32Array; at: number } {
    const size = ITEM_HEADER + PAIR_INTS * pairs;
    let b = this.next >>> BLOCK_BITS;
    let offset = this.next & IN_BLOCK;
    if (b >= this.blocks.length) this.blocks.push(new Int32Array(BLOCK));
    else if (offset + size > BLOCK) {
      this.blocks.push(new Int32Array(BLOCK));
      b++;
      offset = 0;
    }
    const at = (b << BLOCK_BITS) | offset;
    this.next = at + size;
    return { ints: this.blocks[b]!, at };
  }

  /** The key's entry in the table of keys (value, style, length). */
  keyRef(node: ScalarNode): number {
    const length = node.end - node.start;
    const keys = this.keys;
    // Most lists repeat a few keys: look through them before naming the key for the map.
    for (let r = 0; r < keys.length && r < 48; r += 3) if (keys[r] === node.value && keys[r + 1] === node.style && keys[r + 2] === length) return r;
    const id = `${node.style}:${length}:${typeof node.value}:${String(node.value)}`;
    let ref = this.keyIndex.get(id);
    if (ref === undefined) {
      ref = this.keys.length;
      this.keys.push(node.value, node.style, length);
      this.keyIndex.set(id, ref);
    }
    return ref;
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
    return this.table.block(this.at)[this.at & IN_BLOCK]!;
  }

  get end(): number {
    return this.table.block(this.at)[(this.at & IN_BLOCK) + 1]!;
  }

  get flow(): boolean {
    return (this.table.block(this.at)[(this.at & IN_BLOCK) + 2]! & 1) === 1;
  }

  get pairs(): readonly PairNode[] {
    return this.table.pairs(this.at);
  }

  /** The pair whose key reads `key`, building only that pair. */
  pairOf(key: string): PairNode | undefined {
    return this.table.pairOf(this.at, key);
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
    if (pairs.length > MAX_PAIRS) return node;
    for (const p of pairs) if (p.value && p.value.kind !== "scalar") return node;
    const keys = pairs.map((p) => p.key);
    const values = pairs.map((p) => p.value as ScalarNode | null);
    return this.packScalars(node.start, node.end, node.flow, keys, values, pairs.length);
  }

  /** A mapping of `count` scalar pairs (the reader's own arrays, reused), packed. */
  packScalars(start: number, end: number, flow: boolean, keys: readonly ScalarNode[], values: readonly (ScalarNode | null)[], count: number): PackedMap {
    const table = this.table;
    const { ints, at } = table.place(count);
    let p = at & IN_BLOCK;
    ints[p] = start;
    ints[p + 1] = end;
    ints[p + 2] = (count << 1) | (flow ? 1 : 0);
    p += ITEM_HEADER;
    for (let k = 0; k < count; k++, p += PAIR_INTS) {
      const key = keys[k]!;
      const value = values[k]!;
      ints[p] = key.start;
      ints[p + 1] = table.keyRef(key);
      ints[p + 2] = value ? value.start : 0;
      ints[p + 3] = value ? value.end : 0;
      ints[p + 4] = table.ref(value);
    }
    return new PackedMap(table, at);
  }
}
