/**
 * The fast reader's ground (yaml-subset.ts): how it declines, the characters it
 * reads, and the table of lines it walks — where each line starts, where its
 * content starts and ends, whether it has any — with the checks every value
 * makes at the end of its line.
 */
import type { TreeNode } from "./tree";

/** Thrown inside the reader when the text is outside the subset; never escapes it. */
class Declined {}
const DECLINED = new Declined();

export function decline(): never {
  throw DECLINED;
}

/** Whether `e` is the reader declining (the text is outside the subset), not a bug. */
export function isDeclined(e: unknown): boolean {
  return e === DECLINED;
}

/** The characters the reader compares, as char codes (a number compared per character read, not a string). */
const NEWLINE = 10, RETURN = 13;
export const SPACE = 32, HASH = 35, DASH = 45, COLON = 58, COMMA = 44, DQUOTE = 34, SQUOTE = 39;
export const LBRACKET = 91, RBRACKET = 93, LBRACE = 123, RBRACE = 125, BACKSLASH = 92, PIPE = 124, GREATER = 62;

/**
 * Characters YAML does not allow in a document, or that it reads as line breaks
 * (a CR but in CRLF, tabs too): left to `yaml`. One regular expression: the
 * engine scans 10 MB several times faster than a loop over char codes.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const UNSAFE_CHARACTER = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|\r(?!\n)/;

function hasUnsafeCharacter(text: string): boolean {
  return UNSAFE_CHARACTER.test(text);
}

/** Comment and blank lines a collection hands to its parent: where they end, and the deepest comment's column (-1: none). */
export interface Pending {
  end: number;
  deepest: number;
}

/** How a parsed node ends, for the collection it closes (see `finish`). */
type Ends =
  /** A scalar or flow collection: where it ends; `attachable`: deeper comment lines after it extend it (not after a block scalar). */
  | { kind: "line"; end2: number; attachable: boolean }
  /** An empty value at `at`; `comment` when its line has one after it; `end2`: after its line. */
  | { kind: "empty"; at: number; comment: boolean; end2: number }
  /** A block collection: `end` is its range end, `end2` with the comments it keeps. */
  | BlockEnds;

export interface BlockEnds {
  kind: "block";
  end: number;
  end2: number;
  handedUp?: Pending;
}

export interface Parsed {
  node: TreeNode;
  /** The line after the node's last line. */
  next: number;
  last: Ends;
}

/** A table of ASCII characters: `table[c]` is 1 for each of `chars` (a lookup per character read). */
export function codes(chars: string): { has(c: number): boolean } {
  const table = new Uint8Array(128);
  for (const ch of chars) table[ch.charCodeAt(0)] = 1;
  return { has: (c: number) => c < 128 && table[c] === 1 };
}

/** The text as a table of lines, and the checks a value makes at its line's end. */
export class LineTable {
  /**
   * Per line: where it starts, where its content starts (after the indentation),
   * where it ends (its \n or CRLF), where the next begins (after the line break,
   * or the text's end), and 1 when it has content (not blank, not only a
   * comment). Typed arrays: a list of 400,000 items has 800,000 lines.
   */
  protected readonly starts: Int32Array;
  protected readonly contents: Int32Array;
  protected readonly ends: Int32Array;
  protected readonly afters: Int32Array;
  protected readonly hasContent: Uint8Array;
  protected readonly lineCount: number;

  constructor(protected readonly text: string) {
    if (hasUnsafeCharacter(text)) decline();
    let lines = 0;
    for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) lines++;
    if (text.length && text.charCodeAt(text.length - 1) !== NEWLINE) lines++;
    this.lineCount = lines;
    this.starts = new Int32Array(lines);
    this.contents = new Int32Array(lines);
    this.ends = new Int32Array(lines);
    this.afters = new Int32Array(lines);
    this.hasContent = new Uint8Array(lines);
    for (let start = 0, line = 0; start < text.length; line++) {
      let newline = text.indexOf("\n", start);
      if (newline < 0) newline = text.length;
      const end = newline > start && text.charCodeAt(newline - 1) === RETURN ? newline - 1 : newline;
      let content = start;
      while (content < end && text.charCodeAt(content) === SPACE) content++;
      const c = text.charCodeAt(content);
      const isContent = content < end && c !== HASH;
      if (isContent && content === start && (text.startsWith("---", start) || text.startsWith("...", start))) {
        const after = text.charCodeAt(start + 3);
        if (start + 3 === end || after === SPACE) decline();
      }
      this.starts[line] = start;
      this.contents[line] = content;
      this.ends[line] = end;
      this.afters[line] = Math.min(newline + 1, text.length);
      this.hasContent[line] = isContent ? 1 : 0;
      start = newline + 1;
    }
  }

  /** The first line at or after `line` with content, or -1. */
  protected nextContent(line: number): number {
    for (let i = line; i < this.lineCount; i++) if (this.hasContent[i]) return i;
    return -1;
  }

  protected indent(line: number): number {
    return this.contents[line]! - this.starts[line]!;
  }

  /** After line `line` and its break. */
  protected after(line: number): number {
    return this.afters[line]!;
  }

  protected isSeqItem(at: number, lineEnd: number): boolean {
    return this.text.charCodeAt(at) === DASH && (at + 1 === lineEnd || this.text.charCodeAt(at + 1) === SPACE);
  }

  /** After a one-line value ending at `at`: only spaces and a comment may follow on its line. */
  protected expectLineEnd(at: number, lineEnd: number): void {
    let i = at;
    while (i < lineEnd && this.text.charCodeAt(i) === SPACE) i++;
    if (i === lineEnd) return;
    if (this.text.charCodeAt(i) === HASH && i > at) return;
    decline();
  }

  /**
   * Between a `key:` (or `-`) and its value on a later line, a blank line and
   * then a comment no deeper than the collection make `yaml` lose the value's
   * indentation (it reads the next line into a plain value): left to `yaml`.
   */
  protected expectPlainGap(from: number, to: number, column: number): void {
    let blank = false;
    for (let l = from; l < to; l++) {
      if (this.contents[l] === this.ends[l]) blank = true;
      else if (blank && this.indent(l) <= column) decline();
    }
  }

  /** A line deeper than the parent after a one-line value would continue it (or be an error): left to `yaml`. */
  protected expectNoDeeperLine(line: number, parentIndent: number): void {
    const next = this.nextContent(line);
    if (next >= 0 && this.indent(next) > parentIndent) decline();
  }

  protected skipSpaces(at: number, lineEnd: number): number {
    let i = at;
    while (i < lineEnd && this.text.charCodeAt(i) === SPACE) i++;
    return i;
  }
}
