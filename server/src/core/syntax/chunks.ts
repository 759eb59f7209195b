/**
 * Splits a protocol's text into independently parsable chunks: one per top-level
 * key, and one per item of a block `studies:` or `analyses:` list. YAML cannot continue a node
 * across a line that starts a key at column 0 (the `yaml` parser agrees), so
 * parsing the chunks one by one gives the same tree as parsing the whole text,
 * and an edit inside one study re-parses only that study.
 *
 * Anything the split cannot vouch for (directives, a top-level flow collection
 * or list, document end markers, anchors that other chunks use) is parsed whole.
 */
import type { Span } from "./span";

export interface Split {
  /** `whole`: parse [bodyStart, bodyEnd) in one go. */
  mode: "chunks" | "whole";
  bodyStart: number;
  bodyEnd: number;
  /** The `---` line that starts a second document, if any. */
  secondDocument?: Span;
  sections: Span[];
  /** When the `studies` section is a block list: its header and one span per item. */
  studies?: { section: number; header: Span; items: Span[] };
  /** The same for `analyses` (an edit in one row re-parses only its analysis). */
  analyses?: { section: number; header: Span; items: Span[] };
}

const STUDIES_HEADER = /^studies[ \t]*:[ \t]*(#.*)?$/;
const ANALYSES_HEADER = /^analyses[ \t]*:[ \t]*(#.*)?$/;

/** Offset of the end of the line starting at `pos` (its \r or \n, or the end of the text). */
function lineEnd(text: string, pos: number, crlf: boolean): number {
  const nl = text.indexOf("\n", pos);
  const end = nl < 0 ? text.length : nl;
  if (!crlf) return end;
  const cr = text.indexOf("\r", pos);
  return cr >= 0 && cr < end ? cr : end;
}

function nextLine(text: string, eol: number): number {
  if (text.charCodeAt(eol) === 13 && text.charCodeAt(eol + 1) === 10) return eol + 2;
  return eol < text.length ? eol + 1 : eol;
}

/** True when the line holds only spaces/tabs and maybe a comment. */
function isBlankOrComment(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) continue;
    return c === 35; // #
  }
  return true;
}

function isMarker(text: string, start: number, end: number, marker: string): boolean {
  if (!text.startsWith(marker, start)) return false;
  const after = start + 3;
  return after === end || text[after] === " " || text[after] === "\t";
}

/** Characters that cannot start a `key:` line we can vouch for: parse the document whole. */
const UNSAFE_START = new Set([..."[{?&*!|>@`%."].map((c) => c.charCodeAt(0)));

export function splitDocument(text: string): Split {
  const bodyStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const crlf = text.includes("\r");
  const starts: number[] = [];
  let bodyEnd = text.length;
  let secondDocument: Span | undefined;
  let whole = false;
  let contentSeen = false;
  for (let pos = bodyStart; pos < text.length; ) {
    const start = pos;
    const c = text.charCodeAt(start);
    // Most lines are indented: only their first character matters here, so skip to the next line.
    if (c === 32 || c === 9 || c === 35) {
      const end = lineEnd(text, pos, crlf);
      if (!starts.length && c !== 35 && !isBlankOrComment(text, start, end)) whole = true;
      pos = nextLine(text, end);
      continue;
    }
    const end = lineEnd(text, pos, crlf);
    pos = nextLine(text, end);
    if (start === end) continue;
    if (c === 45 /* - */ && isMarker(text, start, end, "---")) {
      if (contentSeen) {
        secondDocument = { start, end };
        bodyEnd = start;
        break;
      }
      if (!isBlankOrComment(text, start + 3, end)) whole = true;
      continue;
    }
    if (c === 45) {
      if (!starts.length) whole = true;
      continue;
    }
    if (UNSAFE_START.has(c)) whole = true;
    contentSeen = true;
    starts.push(start);
  }
  if (whole) return { mode: "whole", bodyStart, bodyEnd, secondDocument, sections: [] };
  const sections = starts.map((start, i) => ({ start, end: i + 1 < starts.length ? starts[i + 1]! : bodyEnd }));
  const split: Split = { mode: "chunks", bodyStart, bodyEnd, secondDocument, sections };
  for (const [header, list] of [[STUDIES_HEADER, "studies"], [ANALYSES_HEADER, "analyses"]] as const) {
    const index = sections.findIndex((s) => header.test(text.slice(s.start, lineEnd(text, s.start, crlf))));
    if (index < 0) continue;
    const items = splitStudies(text, sections[index]!, crlf);
    if (items) split[list] = { section: index, ...items };
  }
  return split;
}

/** Item spans of a block list under `studies:` (or `analyses:`), or undefined when the section is not one. */
function splitStudies(text: string, section: Span, crlf: boolean): { header: Span; items: Span[] } | undefined {
  const itemStarts: number[] = [];
  let indent = -1;
  for (let pos = nextLine(text, lineEnd(text, section.start, crlf)); pos < section.end; ) {
    const start = pos;
    const end = Math.min(lineEnd(text, pos, crlf), section.end);
    pos = nextLine(text, end);
    // Lines indented deeper than the items are the items' content: only the indentation matters.
    let i = start;
    while (i < end && text.charCodeAt(i) === 32) i++;
    const lineIndent = i - start;
    if (indent >= 0 && lineIndent > indent) continue;
    if (isBlankOrComment(text, start, end)) continue;
    if (text.charCodeAt(i) === 9) return undefined;
    const isItem = text.charCodeAt(i) === 45 && (i + 1 === end || text.charCodeAt(i + 1) === 32 || text.charCodeAt(i + 1) === 9);
    if (indent < 0) {
      if (!isItem) return undefined;
      indent = lineIndent;
    }
    if (lineIndent < indent) return undefined;
    if (!isItem) return undefined;
    itemStarts.push(start);
  }
  if (!itemStarts.length) return undefined;
  return {
    header: { start: section.start, end: itemStarts[0]! },
    items: itemStarts.map((start, i) => ({ start, end: i + 1 < itemStarts.length ? itemStarts[i + 1]! : section.end })),
  };
}

/**
 * The previous split moved by an edit, when the edit cannot change where chunks
 * begin: it stays on one indented line, after the line's first two non-blank
 * characters (so a `- ` item marker, a comment's `#` and the line's indentation
 * are untouched), in a document already split into chunks. Otherwise undefined:
 * split again. Saves a scan of every line on each keystroke in a large review.
 */
export function shiftSplit(previous: Split, oldText: string, text: string, edit: { start: number; deleted: number; inserted: number }): Split | undefined {
  if (previous.mode !== "chunks" || !previous.sections.length || edit.start < previous.sections[0]!.start) return undefined;
  if (/[\r\n]/.test(oldText.slice(edit.start, edit.start + edit.deleted)) || /[\r\n]/.test(text.slice(edit.start, edit.start + edit.inserted))) return undefined;
  let lineStart = edit.start;
  while (lineStart > 0 && text.charCodeAt(lineStart - 1) !== 10 && text.charCodeAt(lineStart - 1) !== 13) lineStart--;
  const first = text.charCodeAt(lineStart);
  if (first !== 32 && first !== 9) return undefined;
  let nonBlank = lineStart;
  while (nonBlank < edit.start && (text.charCodeAt(nonBlank) === 32 || text.charCodeAt(nonBlank) === 9)) nonBlank++;
  if (edit.start <= nonBlank + 1) return undefined;
  const delta = edit.inserted - edit.deleted;
  const at = (n: number) => (n > edit.start ? n + delta : n);
  const span = (s: Span): Span => ({ start: at(s.start), end: at(s.end) });
  const list = (l: Split["studies"]) => l && { section: l.section, header: span(l.header), items: l.items.map(span) };
  return {
    mode: "chunks",
    bodyStart: previous.bodyStart,
    bodyEnd: at(previous.bodyEnd),
    secondDocument: previous.secondDocument && span(previous.secondDocument),
    sections: previous.sections.map(span),
    studies: list(previous.studies),
    analyses: list(previous.analyses),
  };
}
