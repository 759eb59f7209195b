/**
 * Splits a protocol's text into independently parsable chunks: one per top-level
 * key, and one per item of a block `studies:` list. YAML cannot continue a node
 * across a line that starts a key at column 0 (the `yaml` parser agrees), so
 * parsing the chunks one by one gives the same tree as parsing the whole text,
 * and an edit inside one study re-parses only that study.
 *
 * Anything the split cannot vouch for (directives, a top-level flow collection
 * or list, document end markers, anchors that other chunks use) is parsed whole.
 */
export interface Span {
  start: number;
  end: number;
}

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
}

const STUDIES_HEADER = /^studies[ \t]*:[ \t]*(#.*)?$/;

function lineEnd(text: string, pos: number): number {
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c === 10 || c === 13) return pos;
    pos++;
  }
  return pos;
}

function nextLine(text: string, eol: number): number {
  if (text.charCodeAt(eol) === 13 && text.charCodeAt(eol + 1) === 10) return eol + 2;
  return eol < text.length ? eol + 1 : eol;
}

/** True when the line holds only spaces/tabs and maybe a comment. */
function isBlankOrComment(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (c === " " || c === "\t") continue;
    return c === "#";
  }
  return true;
}

function isMarker(text: string, start: number, end: number, marker: string): boolean {
  if (!text.startsWith(marker, start)) return false;
  const after = start + 3;
  return after === end || text[after] === " " || text[after] === "\t";
}

export function splitDocument(text: string): Split {
  const bodyStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const starts: number[] = [];
  let bodyEnd = text.length;
  let secondDocument: Span | undefined;
  let whole = false;
  let contentSeen = false;
  for (let pos = bodyStart; pos < text.length; ) {
    const start = pos;
    const end = lineEnd(text, pos);
    pos = nextLine(text, end);
    if (start === end) continue;
    const c = text[start]!;
    if (c === "-" && isMarker(text, start, end, "---")) {
      if (contentSeen) {
        secondDocument = { start, end };
        bodyEnd = start;
        break;
      }
      if (!isBlankOrComment(text, start + 3, end)) whole = true;
      continue;
    }
    if (c === " " || c === "\t" || c === "#") {
      if (!starts.length && !isBlankOrComment(text, start, end)) whole = true;
      continue;
    }
    if (c === "-") {
      if (!starts.length) whole = true;
      continue;
    }
    if (c === "." && isMarker(text, start, end, "...")) whole = true;
    if ("[{?&*!|>@`%.".includes(c)) whole = true;
    contentSeen = true;
    starts.push(start);
  }
  if (whole) return { mode: "whole", bodyStart, bodyEnd, secondDocument, sections: [] };
  const sections = starts.map((start, i) => ({ start, end: i + 1 < starts.length ? starts[i + 1]! : bodyEnd }));
  const split: Split = { mode: "chunks", bodyStart, bodyEnd, secondDocument, sections };
  const index = sections.findIndex((s) => STUDIES_HEADER.test(text.slice(s.start, lineEnd(text, s.start))));
  if (index >= 0) {
    const studies = splitStudies(text, sections[index]!);
    if (studies) split.studies = { section: index, ...studies };
  }
  return split;
}

/** Item spans of a block list under `studies:`, or undefined when the section is not one. */
function splitStudies(text: string, section: Span): { header: Span; items: Span[] } | undefined {
  const itemStarts: number[] = [];
  let indent = -1;
  for (let pos = nextLine(text, lineEnd(text, section.start)); pos < section.end; ) {
    const start = pos;
    const end = Math.min(lineEnd(text, pos), section.end);
    pos = nextLine(text, end);
    if (isBlankOrComment(text, start, end)) continue;
    let i = start;
    while (i < end && text[i] === " ") i++;
    if (text[i] === "\t") return undefined;
    const lineIndent = i - start;
    const isItem = text[i] === "-" && (i + 1 === end || text[i + 1] === " " || text[i + 1] === "\t");
    if (indent < 0) {
      if (!isItem) return undefined;
      indent = lineIndent;
    }
    if (lineIndent < indent) return undefined;
    if (lineIndent === indent) {
      if (!isItem) return undefined;
      itemStarts.push(start);
    }
  }
  if (!itemStarts.length) return undefined;
  return {
    header: { start: section.start, end: itemStarts[0]! },
    items: itemStarts.map((start, i) => ({ start, end: i + 1 < itemStarts.length ? itemStarts[i + 1]! : section.end })),
  };
}
