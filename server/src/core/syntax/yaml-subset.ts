/**
 * A fast reader for the plain YAML that protocols are written in: block maps and
 * lists, plain text (over several lines too), one-line quoted text, one-line flow
 * collections (nested, empty values as quick fixes write them), `|` and `>`
 * text, comments, LF or CRLF. It builds the same tree (tree.ts) the `yaml` library's document gives —
 * offsets, values and styles alike, down to where `yaml` says a collection ends
 * when comments follow it — 10–17× faster and with a fraction of the garbage,
 * which is most of what opening a review of 1,000 studies cost.
 *
 * It never reports an error and never guesses: on anything outside the subset
 * (anchors, aliases, tags, quoted text over several lines, `+` chomping,
 * tabs, a duplicate key, anything YAML calls an error) it declines, and the
 * chunk is parsed by `yaml`, which stays the reference and the source of every
 * syntax error. Property tests (test/yaml-subset.test.ts) check that whenever
 * this reader answers, its tree equals the one `yaml` builds.
 */
import type { MapNode, PairNode, ScalarNode, SeqNode, TreeNode } from "./tree";
import { codes, COLON, COMMA, DQUOTE, GREATER, HASH, isDeclined, LBRACE, LBRACKET, PIPE, RBRACE, RBRACKET, SPACE, SQUOTE, decline, type BlockEnds, type Parsed, type Pending } from "./yaml-subset-lines";
import { MAX_KEY_LENGTH, ScalarReader } from "./yaml-subset-scalars";
import { ListPacker, MAX_PAIRS, PACK_FROM, PackedMap } from "./packed";

/** What a key or value of a packed item may not start with (`packedItem` leaves those to the general path). */
const NOT_PACKED_START = codes("[{|>\"'#");

/** Deeper nesting than any protocol has is left to `yaml` (and keeps this reader's recursion shallow). */
const MAX_DEPTH = 100;

/**
 * The keys of one mapping, to find a key written twice: a list for the few keys
 * most mappings have (a Set per mapping was a tenth of reading a long list),
 * a Set past them.
 */
class KeySet {
  private few: string[] = [];
  private many?: Set<string>;

  /** Adds a key; false when it was there. */
  add(key: string): boolean {
    if (this.many) {
      if (this.many.has(key)) return false;
      this.many.add(key);
      return true;
    }
    if (this.few.includes(key)) return false;
    this.few.push(key);
    if (this.few.length > 16) this.many = new Set(this.few);
    return true;
  }
}

/**
 * A copy of a small array with no spare room: an array grown by `push` keeps
 * room for 16 elements, and a long list has hundreds of thousands of two-key maps.
 */
function exactSize<T>(list: T[]): T[] {
  return list.length < 16 ? list.slice() : list;
}

/**
 * The tree of `text`, `null` for a document without content, or `undefined`
 * when the text is outside the subset (parse it with `yaml`).
 */
export function parseYamlSubset(text: string, packFrom = PACK_FROM): TreeNode | null | undefined {
  try {
    return new SubsetReader(text, packFrom).document();
  } catch (e) {
    if (isDeclined(e)) return undefined;
    throw e;
  }
}

class SubsetReader extends ScalarReader {
  /** Collections open around the node being read. */
  private depth = 0;

  /** The keys and values of the item `packedItem` reads (reused: a long list has hundreds of thousands). */
  private readonly itemKeys: ScalarNode[] = [];
  private readonly itemValues: ScalarNode[] = [];

  /** @param packFrom lists of this many items keep their mappings of scalars packed (packed.ts). */
  constructor(
    text: string,
    private readonly packFrom: number,
  ) {
    super(text);
  }

  document(): TreeNode | null {
    const first = this.nextContent(0);
    if (first < 0) return null;
    const { node, next } = this.node(first, this.contents[first]!, -1, false);
    if (this.nextContent(next) >= 0) decline();
    return node;
  }

  /**
   * The node starting at `at` on `line`, whose parent block sits at column
   * `parentIndent`. `inline`: the value of a `key:` on the same line (where a
   * list or another key is an error).
   */
  private node(line: number, at: number, parentIndent: number, inline: boolean): Parsed {
    if (++this.depth > MAX_DEPTH) decline();
    try {
      return this.nodeAt(line, at, parentIndent, inline);
    } finally {
      this.depth--;
    }
  }

  private nodeAt(line: number, at: number, parentIndent: number, inline: boolean): Parsed {
    const text = this.text;
    const lineEnd = this.ends[line]!;
    const c = text.charCodeAt(at);
    if (this.isSeqItem(at, lineEnd)) {
      if (inline) decline();
      return this.seq(line, at);
    }
    let scalar: ScalarNode;
    if (c === LBRACKET || c === LBRACE) {
      const flow = c === LBRACKET ? this.flowSeq(at, lineEnd) : this.flowMap(at, lineEnd);
      this.expectLineEnd(flow.end, lineEnd);
      this.expectNoDeeperLine(line + 1, parentIndent);
      return { node: flow, next: line + 1, last: { kind: "line", end2: this.after(line), attachable: true } };
    }
    if (c === PIPE || c === GREATER) return this.blockScalar(line, at, parentIndent);
    if (c === DQUOTE || c === SQUOTE) {
      scalar = this.quoted(at, lineEnd);
      let i = scalar.end;
      while (i < lineEnd && text.charCodeAt(i) === SPACE) i++;
      if (text.charCodeAt(i) === COLON && (i + 1 === lineEnd || text.charCodeAt(i + 1) === SPACE)) {
        if (inline) decline();
        return this.map(line, at);
      }
      this.expectLineEnd(scalar.end, lineEnd);
    } else {
      scalar = this.plainLine(at, lineEnd);
      if (this.wasKey) {
        if (inline) decline();
        return this.map(line, at, scalar);
      }
      const folded = this.foldedPlain(line, scalar, parentIndent);
      if (folded) return folded;
    }
    this.expectNoDeeperLine(line + 1, parentIndent);
    return { node: scalar, next: line + 1, last: { kind: "line", end2: this.after(line), attachable: true } };
  }

  /** A block map whose first key starts at `at` on `line` (`firstKey`: already read); its column is the map's. */
  private map(line: number, at: number, firstKey?: ScalarNode): Parsed {
    const text = this.text;
    const column = at - this.starts[line]!;
    const pairs: PairNode[] = [];
    const keys = new KeySet();
    let entryLine = line;
    let entryAt = at;
    for (;;) {
      const lineEnd = this.ends[entryLine]!;
      const key = firstKey && entryAt === at ? { node: firstKey, colon: this.colonAfter(firstKey) } : this.key(entryAt, lineEnd);
      if (!keys.add(String(key.node.value))) decline();
      let valueAt = key.colon + 1;
      while (valueAt < lineEnd && text.charCodeAt(valueAt) === SPACE) valueAt++;
      let value: Parsed;
      if (valueAt === lineEnd || text.charCodeAt(valueAt) === HASH) {
        const below = this.nextContent(entryLine + 1);
        const belowAt = below >= 0 ? this.contents[below]! : -1;
        if (below >= 0 && (this.indent(below) > column || (this.indent(below) === column && this.isSeqItem(belowAt, this.ends[below]!)))) {
          this.expectPlainGap(entryLine + 1, below, column);
          value = this.node(below, belowAt, column, false);
        } else {
          value = this.empty(valueAt, entryLine);
        }
      } else {
        value = this.node(entryLine, valueAt, column, true);
      }
      pairs.push({ key: key.node, value: value.node });
      const following = this.nextContent(value.next);
      if (following < 0 || this.indent(following) < column) {
        const ends = this.finish(column, value, following);
        return { node: { kind: "map", start: at, end: ends.end, flow: false, pairs: exactSize(pairs) }, next: value.next, last: ends };
      }
      if (this.indent(following) > column || this.isSeqItem(this.contents[following]!, this.ends[following]!)) decline();
      entryLine = following;
      entryAt = this.contents[following]!;
    }
  }

  /**
   * The empty value of a `key:` or `-` at the end of `line`, placed where `yaml`
   * places it: after the indicator's spaces. `commentBefore`: comment lines
   * before a `-` belong to its item (so `yaml` extends the empty value over them).
   */
  private empty(at: number, line: number, commentBefore = false): Parsed {
    return {
      node: { kind: "scalar", start: at, end: at, value: null, style: "PLAIN" },
      next: line + 1,
      last: { kind: "empty", at, comment: commentBefore || at < this.ends[line]!, end2: this.after(line) },
    };
  }

  /**
   * Where a block collection ends, as `yaml` counts it (`range[1]`, the tree's
   * end), where it ends with the comments it keeps (`range[2]`, its parent's
   * end when it is the parent's last value), and the comment lines it hands to
   * its parent. Blank and comment lines after a collection's last value go to
   * the innermost collection: a comment deeper than it extends its last value;
   * an empty value keeps them all; other comments are kept when one is at least
   * as deep as the collection (or handed up).
   */
  private finish(column: number, value: Parsed, following: number): BlockEnds {
    const { end, pending } = this.trailing(column, value, following);
    if (pending && column !== 0 && pending.deepest >= column) return { kind: "block", end, end2: pending.end };
    return { kind: "block", end, end2: end, handedUp: pending };
  }

  /**
   * How the blank and comment lines from a collection's last value to the line
   * `following` (-1: the end) fall: the value's end with the comments it takes,
   * and the lines left over (a pending item of the collection, in `yaml`'s terms).
   */
  private trailing(column: number, value: Parsed, following: number): { end: number; pending?: Pending } {
    const last = value.last;
    const to = following < 0 ? this.lineCount : following;
    // The indentation of the line that ends the collection is read while the collection is still open.
    const indentEnd = following >= 0 && this.indent(following) > 0 ? this.contents[following]! : -1;
    let end: number;
    let pending: Pending | undefined;
    if (last.kind === "block") {
      end = last.end2;
      pending = last.handedUp;
    } else if (last.kind === "empty") {
      let comment = last.comment;
      let sepEnd = last.end2;
      for (let l = value.next; l < to; l++) {
        sepEnd = this.after(l);
        if (this.contents[l]! < this.ends[l]!) comment = true;
      }
      if (indentEnd >= 0) sepEnd = indentEnd;
      end = comment ? sepEnd : last.at;
    } else {
      end = last.end2;
      for (let l = value.next; l < to; l++) {
        const isComment = this.contents[l]! < this.ends[l]!;
        const depth = this.indent(l);
        if (last.attachable && isComment && depth > column && (!pending || pending.deepest < 0)) {
          end = this.after(l);
          pending = undefined;
        } else {
          pending = { end: this.after(l), deepest: Math.max(pending?.deepest ?? -1, isComment ? depth : -1) };
        }
      }
      if (indentEnd >= 0) pending = { end: indentEnd, deepest: pending?.deepest ?? -1 };
    }
    return { end, pending };
  }

  /** A `key:` at `at`: the key's scalar and where its colon is. */
  private key(at: number, lineEnd: number): { node: ScalarNode; colon: number } {
    const text = this.text;
    const c = text.charCodeAt(at);
    if (c === DQUOTE || c === SQUOTE) {
      const node = this.quoted(at, lineEnd);
      let i = node.end;
      while (i < lineEnd && text.charCodeAt(i) === SPACE) i++;
      if (text.charCodeAt(i) !== COLON || !(i + 1 === lineEnd || text.charCodeAt(i + 1) === SPACE)) decline();
      if (node.end - at > MAX_KEY_LENGTH) decline();
      return { node, colon: i };
    }
    if (c === LBRACKET || c === LBRACE || this.isSeqItem(at, lineEnd)) decline();
    const node = this.plainLine(at, lineEnd);
    if (!this.wasKey) decline();
    return { node, colon: this.colonAfter(node) };
  }

  /** The colon after a plain key (spaces may come between). */
  private colonAfter(key: ScalarNode): number {
    let colon = key.end;
    while (this.text.charCodeAt(colon) === SPACE) colon++;
    return colon;
  }

  /** A block list whose first `-` is at `at` on `line`. */
  private seq(line: number, at: number): Parsed {
    const text = this.text;
    const column = at - this.starts[line]!;
    const items: TreeNode[] = [];
    let packer: ListPacker | undefined;
    let itemLine = line;
    let itemAt = at;
    let commentBefore = false;
    for (;;) {
      const lineEnd = this.ends[itemLine]!;
      let valueAt = itemAt + 1;
      while (valueAt < lineEnd && text.charCodeAt(valueAt) === SPACE) valueAt++;
      let value: Parsed;
      if (valueAt === lineEnd || text.charCodeAt(valueAt) === HASH) {
        const below = this.nextContent(itemLine + 1);
        if (below >= 0 && this.indent(below) > column) {
          this.expectPlainGap(itemLine + 1, below, column);
          value = this.node(below, this.contents[below]!, column, false);
        } else value = this.empty(valueAt, itemLine, commentBefore);
      } else {
        value = (packer && this.packedItem(itemLine, valueAt, packer)) || this.node(itemLine, valueAt, column, false);
      }
      if (packer) items.push(value.node instanceof PackedMap ? value.node : packer.pack(value.node));
      else if (items.push(value.node) === this.packFrom) packer = this.packAll(items);
      const following = this.nextContent(value.next);
      if (following < 0 || this.indent(following) < column || !this.isSeqItem(this.contents[following]!, this.ends[following]!)) {
        if (following >= 0 && this.indent(following) > column) decline();
        const ends = this.finish(column, value, following);
        return { node: { kind: "seq", start: at, end: ends.end, flow: false, items: exactSize(items) }, next: value.next, last: ends };
      }
      if (this.indent(following) > column) decline();
      commentBefore = (this.trailing(column, value, following).pending?.deepest ?? -1) >= 0;
      itemLine = following;
      itemAt = this.contents[following]!;
    }
  }

  /**
   * The usual item of a long list — `key: value` lines with one-line plain
   * values, nothing between them — read straight into the packer: the mapping
   * `node` would build, without building it. Undefined for anything else, which
   * `node` then reads (and declines where it must); it reads the same scalars
   * the same way, so both agree wherever this answers.
   */
  private packedItem(line: number, at: number, packer: ListPacker): Parsed | undefined {
    if (this.depth + 2 > MAX_DEPTH) return undefined;
    const text = this.text;
    const column = at - this.starts[line]!;
    const keys = this.itemKeys;
    const values = this.itemValues;
    let count = 0;
    for (let l = line, a = at; ; ) {
      const lineEnd = this.ends[l]!;
      if (NOT_PACKED_START.has(text.charCodeAt(a)) || this.isSeqItem(a, lineEnd)) return undefined;
      const key = this.plainLine(a, lineEnd);
      if (!this.wasKey || typeof key.value !== "string" || count === MAX_PAIRS) return undefined;
      for (let k = 0; k < count; k++) if (keys[k]!.value === key.value) return undefined;
      const valueAt = this.skipSpaces(this.colonAfter(key) + 1, lineEnd);
      if (valueAt === lineEnd || NOT_PACKED_START.has(text.charCodeAt(valueAt)) || this.isSeqItem(valueAt, lineEnd)) return undefined;
      const value = this.plainLine(valueAt, lineEnd);
      if (this.wasKey) return undefined;
      keys[count] = key;
      values[count++] = value;
      const next = l + 1;
      const more = next < this.lineCount;
      // A blank or comment line, or a deeper one, is the general path's (it may continue the value).
      if (more && (!this.hasContent[next] || this.indent(next) > column)) return undefined;
      if (more && this.indent(next) === column) {
        if (this.isSeqItem(this.contents[next]!, this.ends[next]!)) return undefined;
        l = next;
        a = this.contents[next]!;
        continue;
      }
      // As `map` ends: after its last line, the next line's indentation handed up.
      const end = this.after(l);
      const handedUp = more && this.indent(next) > 0 ? { end: this.contents[next]!, deepest: -1 } : undefined;
      return { node: packer.packScalars(at, end, false, keys, values, count), next, last: { kind: "block", end, end2: end, handedUp } };
    }
  }

  /** A list has grown long: its items so far packed, and a packer for the rest. */
  private packAll(items: TreeNode[]): ListPacker {
    const packer = new ListPacker(this.text);
    for (let i = 0; i < items.length; i++) items[i] = packer.pack(items[i]!);
    return packer;
  }

  /** A scalar or a nested collection inside a one-line flow collection. */
  private flowValue(at: number, lineEnd: number): TreeNode {
    const c = this.text.charCodeAt(at);
    if (c !== LBRACKET && c !== LBRACE) return this.flowScalar(at, lineEnd);
    if (++this.depth > MAX_DEPTH) decline();
    try {
      return c === LBRACKET ? this.flowSeq(at, lineEnd) : this.flowMap(at, lineEnd);
    } finally {
      this.depth--;
    }
  }

  /** `[a, b]` on one line. */
  private flowSeq(at: number, lineEnd: number): SeqNode {
    const text = this.text;
    const items: TreeNode[] = [];
    let i = this.skipSpaces(at + 1, lineEnd);
    for (;;) {
      if (i >= lineEnd) decline();
      if (text.charCodeAt(i) === RBRACKET) return { kind: "seq", start: at, end: i + 1, flow: true, items: exactSize(items) };
      const item = this.flowValue(i, lineEnd);
      items.push(item);
      i = this.skipSpaces(item.end, lineEnd);
      const c = text.charCodeAt(i);
      if (c === COMMA) i = this.skipSpaces(i + 1, lineEnd);
      else if (c !== RBRACKET) decline();
    }
  }

  /** `{ key: value, … }` on one line; keys are scalars. */
  private flowMap(at: number, lineEnd: number): MapNode {
    const text = this.text;
    const pairs: PairNode[] = [];
    const keys = new KeySet();
    let i = this.skipSpaces(at + 1, lineEnd);
    for (;;) {
      if (i >= lineEnd) decline();
      if (text.charCodeAt(i) === RBRACE) return { kind: "map", start: at, end: i + 1, flow: true, pairs: exactSize(pairs) };
      const key = this.flowScalar(i, lineEnd);
      i = this.skipSpaces(key.end, lineEnd);
      if (text.charCodeAt(i) === COLON) {
        const afterColon = text.charCodeAt(i + 1);
        if (afterColon !== SPACE && afterColon !== COMMA && afterColon !== RBRACE) decline();
        if (!keys.add(String(key.value))) decline();
        i = this.skipSpaces(i + 1, lineEnd);
        const c = text.charCodeAt(i);
        // `{ judgement: , support: … }` (what a quick fix writes): an empty value, placed after the colon's spaces.
        const value: TreeNode = c === COMMA || c === RBRACE ? { kind: "scalar", start: i, end: i, value: null, style: "PLAIN" } : this.flowValue(i, lineEnd);
        pairs.push({ key, value });
        i = this.skipSpaces(value.end, lineEnd);
      } else {
        // `{ support: random, stratified }`: the tree keeps "random, stratified" as one text (tree.ts).
        if (!keys.add(String(key.value))) decline();
        const previous = pairs[pairs.length - 1];
        const text0 = previous?.value;
        if (!previous || text0?.kind !== "scalar" || text0.style !== "PLAIN" || typeof text0.value !== "string" || key.style !== "PLAIN" || typeof key.value !== "string") {
          decline();
        }
        pairs[pairs.length - 1] = { key: previous.key, value: { ...text0, value: `${text0.value}, ${key.value}`, end: key.end } };
      }
      const c = text.charCodeAt(i);
      if (c === COMMA) i = this.skipSpaces(i + 1, lineEnd);
      else if (c !== RBRACE) decline();
    }
  }
}
