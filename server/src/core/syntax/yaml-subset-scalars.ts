/**
 * The fast reader's scalars (yaml-subset.ts): plain text on one line or folded
 * over several, `|` and `>` text, one-line quoted text and the scalars of flow
 * collections, resolved as `yaml` resolves them (YAML 1.2's core schema).
 */
import type { ScalarNode } from "./tree";
import { BACKSLASH, COLON, COMMA, DASH, decline, DQUOTE, GREATER, HASH, LBRACE, LBRACKET, LineTable, RBRACE, RBRACKET, SPACE, SQUOTE, codes, type Parsed } from "./yaml-subset-lines";

/** How many of the keys read last are compared in place before a new one is copied. */
const RECENT_KEYS = 8;

/** Longest implicit key YAML allows (1024 characters, less a margin). */
export const MAX_KEY_LENGTH = 1000;

/** YAML 1.2 core schema, as `yaml` resolves a plain scalar (null, booleans, integers, floats). */
function resolvePlain(s: string): string | number | boolean | null {
  const c = s.charCodeAt(0);
  // Most scalars are words: nothing special can start with these.
  if (!(c === 126 || c === 43 || c === DASH || c === 46 || (c >= 48 && c <= 57) || c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70)) return s;
  if (/^(?:~|[Nn]ull|NULL)$/.test(s)) return null;
  if (/^(?:[Tt]rue|TRUE)$/.test(s)) return true;
  if (/^(?:[Ff]alse|FALSE)$/.test(s)) return false;
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(s)) return parseInt(s, 10);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)) {
    return s.slice(-3).toLowerCase() === "nan" ? NaN : s[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s)) return parseFloat(s);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return parseFloat(s);
  return s;
}

const ESCAPES: Record<string, string> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  e: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  N: "\u0085",
  _: "\u00a0",
  L: "\u2028",
  P: "\u2029",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
};

/** Indicators that cannot start a plain scalar, or that this reader leaves to `yaml` (quotes and `-` are read before). */
const NOT_PLAIN_START = codes("?:,[]{}#&*!|>%@`");

/** Characters that would start something else than text at the start of a continuation line: left to `yaml`. */
const INDICATORS = codes("-?:,[]{}#&*!|>'\"%@`");

const HEX_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/** Reads scalars on the table of lines. */
export class ScalarReader extends LineTable {
  /** Each key's text once: a long list repeats the same few keys. */
  private readonly keyTexts = new Map<string, string>();
  private readonly recentKeys: string[] = [];
  private nextRecent = 0;
  /** Whether the last plain line read was a `key:`. */
  protected wasKey = false;

  /**
   * A plain value continued on the lines below it that are deeper than its
   * parent (`support: Sealed opaque\n    envelopes.`), folded as YAML folds it (a
   * line break is a space, each blank line a line feed); undefined when no such
   * line follows. A continuation line that could be read otherwise (an
   * indicator first, `: `, a comment) is left to `yaml`.
   */
  protected foldedPlain(line: number, first: ScalarNode, parentIndent: number): Parsed | undefined {
    const text = this.text;
    let i = first.end;
    while (i < this.ends[line]! && text.charCodeAt(i) === SPACE) i++;
    if (i < this.ends[line]!) return undefined; // a comment ends the value on its first line
    let value = text.slice(first.start, first.end);
    let end = first.end;
    let last = -1;
    let blanks = 0;
    for (let l = line + 1; l < this.lineCount; l++) {
      const at = this.contents[l]!;
      const lineEnd = this.ends[l]!;
      if (at === lineEnd) {
        blanks++;
        continue;
      }
      if (this.indent(l) <= parentIndent) break;
      const c = text.charCodeAt(at);
      if (c === HASH) {
        if (last < 0) return undefined;
        decline();
      }
      if (INDICATORS.has(c)) decline();
      let pieceEnd = lineEnd;
      for (let k = at; k < lineEnd; k++) {
        const ch = text.charCodeAt(k);
        if ((ch === COLON && (k + 1 === lineEnd || text.charCodeAt(k + 1) === SPACE)) || (ch === HASH && text.charCodeAt(k - 1) === SPACE)) decline();
      }
      while (pieceEnd > at && text.charCodeAt(pieceEnd - 1) === SPACE) pieceEnd--;
      value += (blanks ? "\n".repeat(blanks) : " ") + text.slice(at, pieceEnd);
      blanks = 0;
      end = pieceEnd;
      last = l;
    }
    if (last < 0) return undefined;
    this.expectNoDeeperLine(last + 1, parentIndent);
    const node: ScalarNode = { kind: "scalar", start: first.start, end, value: resolvePlain(value), style: "PLAIN" };
    return { node, next: last + 1, last: { kind: "line", end2: this.after(last), attachable: true } };
  }

  /**
   * A `|` or `>` block scalar (with `-` or no chomping indicator) whose lines are
   * deeper than `parentIndent`. Left to `yaml`: `+`, an indentation indicator,
   * more-indented lines in a folded scalar, blank lines with more spaces than the
   * text, an empty scalar.
   */
  protected blockScalar(line: number, at: number, parentIndent: number): Parsed {
    const text = this.text;
    const lineEnd = this.ends[line]!;
    const folded = text.charCodeAt(at) === GREATER;
    let i = at + 1;
    const strip = text.charCodeAt(i) === DASH;
    if (strip) i++;
    this.expectLineEnd(i, lineEnd);
    if (parentIndent < 0) decline();
    let indent = -1;
    let blankSpaces = 0;
    let leadingBlanks = 0;
    let lastContent = -1;
    const lines: string[] = [];
    for (let l = line + 1; l < this.lineCount; l++) {
      const start = this.starts[l]!;
      const content = this.contents[l]!;
      if (content === this.ends[l]!) {
        blankSpaces = Math.max(blankSpaces, content - start);
        if (indent < 0) leadingBlanks++;
        else lines.push("");
        continue;
      }
      const depth = content - start;
      if (indent < 0) {
        if (depth <= parentIndent) break;
        indent = depth;
      } else if (depth < indent) break;
      if (folded && depth > indent) decline();
      lines.push(text.slice(start + indent, this.ends[l]!));
      lastContent = l;
    }
    if (indent < 0 || blankSpaces > indent) decline();
    // Blank lines after the text are not part of it: the chomping indicator drops or clips them.
    lines.length = lastContent - line - leadingBlanks;
    let value = "\n".repeat(leadingBlanks);
    if (folded) {
      let sep = "";
      for (const content of lines) {
        if (content === "") {
          if (sep === "\n") value += "\n";
          else sep = "\n";
        } else {
          value += sep + content;
          sep = " ";
        }
      }
    } else value += lines.join("\n");
    if (!strip) value += "\n";
    const end = this.after(lastContent);
    const next = this.nextContent(lastContent + 1);
    if (next >= 0 && this.indent(next) > parentIndent) decline();
    const node: ScalarNode = { kind: "scalar", start: at, end, value, style: folded ? "BLOCK_FOLDED" : "BLOCK_LITERAL" };
    return { node, next: lastContent + 1, last: { kind: "line", end2: end, attachable: false } };
  }

  /**
   * A plain scalar in block context from `at` to the end of its line (or its
   * comment); `isKey` when it is instead the key of a `key: value` entry.
   */
  protected plainLine(at: number, lineEnd: number): ScalarNode {
    const text = this.text;
    const c = text.charCodeAt(at);
    if (NOT_PLAIN_START.has(c)) decline();
    let end = lineEnd;
    let isKey = false;
    for (let i = at; i < lineEnd; i++) {
      const ch = text.charCodeAt(i);
      if (ch === COLON && (i + 1 === lineEnd || text.charCodeAt(i + 1) === SPACE)) {
        end = i;
        isKey = true;
        break;
      }
      if (ch === HASH && text.charCodeAt(i - 1) === SPACE) {
        end = i;
        break;
      }
    }
    while (end > at && text.charCodeAt(end - 1) === SPACE) end--;
    if (end === at) decline();
    if (isKey && end - at > MAX_KEY_LENGTH) decline();
    this.wasKey = isKey;
    const value = isKey ? this.keyText(at, end) : resolvePlain(text.slice(at, end));
    return { kind: "scalar", start: at, end, value, style: "PLAIN" };
  }

  /**
   * A key's value, one string per distinct key: the keys used last are compared
   * in place, so a list of 400,000 mappings with the same two keys reads no copy of them.
   */
  protected keyText(at: number, end: number): string | number | boolean | null {
    const length = end - at;
    for (const k of this.recentKeys) if (k.length === length && this.text.startsWith(k, at)) return k;
    const value = resolvePlain(this.text.slice(at, end));
    if (typeof value !== "string") return value;
    let shared = this.keyTexts.get(value);
    if (shared === undefined) this.keyTexts.set(value, (shared = value));
    this.recentKeys[this.nextRecent] = shared;
    this.nextRecent = (this.nextRecent + 1) % RECENT_KEYS;
    return shared;
  }

  /** A one-line quoted scalar at `at`. */
  protected quoted(at: number, lineEnd: number): ScalarNode {
    const text = this.text;
    const quote = text.charCodeAt(at);
    if (quote === SQUOTE) {
      let value = "";
      let from = at + 1;
      for (let i = at + 1; i < lineEnd; i++) {
        if (text.charCodeAt(i) !== SQUOTE) continue;
        if (text.charCodeAt(i + 1) === SQUOTE) {
          value += text.slice(from, i + 1);
          from = i + 2;
          i++;
          continue;
        }
        value += text.slice(from, i);
        return { kind: "scalar", start: at, end: i + 1, value, style: "QUOTE_SINGLE" };
      }
      decline();
    }
    let value = "";
    let from = at + 1;
    for (let i = at + 1; i < lineEnd; i++) {
      const ch = text.charCodeAt(i);
      if (ch === DQUOTE) {
        value += text.slice(from, i);
        return { kind: "scalar", start: at, end: i + 1, value, style: "QUOTE_DOUBLE" };
      }
      if (ch !== BACKSLASH) continue;
      value += text.slice(from, i);
      const next = text[i + 1] ?? "";
      const simple = ESCAPES[next];
      if (simple !== undefined) {
        value += simple;
        i++;
      } else {
        const length = HEX_LENGTH[next];
        if (length === undefined) decline();
        const hex = text.substr(i + 2, length);
        if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) decline();
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) decline();
        value += String.fromCodePoint(code);
        i += 1 + length;
      }
      from = i + 1;
    }
    return decline();
  }

  /** A scalar inside a one-line flow collection, at `at` (after spaces). */
  protected flowScalar(at: number, lineEnd: number): ScalarNode {
    const text = this.text;
    const c = text.charCodeAt(at);
    if (c === DQUOTE || c === SQUOTE) return this.quoted(at, lineEnd);
    if (NOT_PLAIN_START.has(c)) decline();
    // `-` starts a plain scalar only before a character that can be in one (`-}` and `- ` are errors).
    if (c === DASH) {
      const next = text.charCodeAt(at + 1);
      if (at + 1 >= lineEnd || next === SPACE || next === COMMA || next === LBRACKET || next === RBRACKET || next === LBRACE || next === RBRACE) decline();
    }
    let end = at;
    for (; end < lineEnd; end++) {
      const ch = text.charCodeAt(end);
      if (ch === COMMA || ch === LBRACKET || ch === RBRACKET || ch === LBRACE || ch === RBRACE || ch === COLON) break;
      if (ch === HASH && text.charCodeAt(end - 1) === SPACE) decline();
    }
    while (end > at && text.charCodeAt(end - 1) === SPACE) end--;
    return { kind: "scalar", start: at, end, value: resolvePlain(text.slice(at, end)), style: "PLAIN" };
  }
}
