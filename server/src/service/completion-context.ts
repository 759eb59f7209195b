/**
 * Where the cursor is, for completion, read from the text (indentation and flow
 * brackets) rather than the parse, so completion works while the line being
 * typed is broken (`other-bias: { judgement: ` on an otherwise valid file): the
 * keys from the top level to the cursor, key or value, the keys beside it.
 */
import { lineStartOf } from "../core/syntax/text";

export type Segment = string;

export interface Context {
  /** Keys from the top level to the mapping (or list) the cursor is in; "[]" is a list item. */
  path: Segment[];
  /** key: completing a key of the mapping at `path`; value: the value of `path`'s last key or a list item. */
  position: "key" | "value";
  /** Keys already present next to the cursor. */
  present: Set<string>;
  start: number;
  end: number;
  /** The key line already has `: ` after the word (do not insert another). */
  hasColon: boolean;
  /** A new list item's first key (`- ` then the cursor). */
  newItem: boolean;
}

const WORD = /[\p{L}\p{N}_.\-]/u;
const KEY_LINE = /^(\s*)((?:-\s+)*)(["']?)([^\s:#"'{}\[\],][^:#"'{}\[\],]*?)\3\s*:(\s|$)/;

function lineAt(text: string, offset: number): { start: number; end: number } {
  const start = lineStartOf(text, offset);
  const nl = text.indexOf("\n", offset);
  return { start, end: nl < 0 ? text.length : nl };
}

interface LineInfo {
  indent: number;
  dashes: number;
  keyCol: number;
  key?: string;
  /** Text after `key:` (trimmed, without comment). */
  rest: string;
  blank: boolean;
}

function info(line: string): LineInfo {
  const trimmed = line.trimStart();
  const indent = line.length - trimmed.length;
  if (!trimmed || trimmed.startsWith("#")) return { indent, dashes: 0, keyCol: indent, rest: "", blank: true };
  const m = KEY_LINE.exec(line);
  const dashMatch = /^(\s*)((?:-(?:\s+|$))*)/.exec(line)!;
  const dashes = (dashMatch[2] ?? "").length;
  if (!m) return { indent, dashes, keyCol: indent + dashes, rest: trimmed.slice(dashes), blank: false };
  const keyCol = m[1]!.length + m[2]!.length;
  const rest = line.slice(m[0].length).replace(/\s+#.*$/, "").trim();
  return { indent, dashes: m[2]!.length, keyCol, key: m[4]!.trim(), rest, blank: false };
}

/** Line-by-line walks from a line, without splitting the whole text (protocols can be megabytes). */
function* linesUp(text: string, lineStart: number): Generator<string> {
  let end = lineStart - 1;
  while (end >= 0) {
    const start = lineStartOf(text, end);
    yield text.slice(start, end).replace(/\r$/, "");
    end = start - 1;
  }
}

function* linesDown(text: string, lineEnd: number): Generator<string> {
  let start = lineEnd + 1;
  while (start <= text.length && lineEnd < text.length) {
    const nl = text.indexOf("\n", start);
    const end = nl < 0 ? text.length : nl;
    yield text.slice(start, end).replace(/\r$/, "");
    if (nl < 0) return;
    start = end + 1;
  }
}

/** Leading spaces, counted up to `limit` (enough to tell deeper lines apart cheaply). */
function indentOf(line: string, limit: number): number {
  let i = 0;
  while (i < line.length && i <= limit && line.charCodeAt(i) === 32) i++;
  return i;
}

/** Parent keys of a key at column `col` on the line starting at `lineStart`, from the lines above. */
function ancestors(text: string, lineStart: number, col: number, listItem: boolean): Segment[] {
  const path: Segment[] = [];
  let target = col;
  let wantList = false;
  if (listItem) {
    path.unshift("[]");
    wantList = true;
    // The list is found by its dash's column: the item's keys (col) sit deeper, where a sibling's content is.
    let i = lineStart;
    while (text.charCodeAt(i) === 32) i++;
    target = i - lineStart;
  }
  /** Steps up to the key that holds what was below (and to its list, when it is a list item's); true at the top level. */
  const enter = (key: string, l: LineInfo): boolean => {
    path.unshift(key);
    wantList = l.dashes > 0;
    if (l.dashes) {
      path.unshift("[]");
      target = l.indent;
    } else target = l.keyCol;
    return target === 0 && !wantList;
  };
  for (const line of linesUp(text, lineStart)) {
    // Lines deeper than what we look for are content of siblings: skip them without parsing.
    if (indentOf(line, target) > target) continue;
    const l = info(line);
    if (l.blank) continue;
    if (wantList) {
      // Looking for the key whose value is the list whose items start at column `target`.
      if (l.dashes && l.indent === target) continue; // an earlier item of the same list
      if (l.key && l.keyCol <= target && l.rest === "") {
        if (enter(l.key, l)) break;
      } else if (l.indent < target) break;
      continue;
    }
    if (l.dashes && l.keyCol === target) {
      // A key of the same list item, started on this line.
      path.unshift("[]");
      wantList = true;
      target = l.indent;
      continue;
    }
    if (l.keyCol < target && l.key) {
      if (enter(l.key, l)) break;
    } else if (l.keyCol < target && !l.key) break;
  }
  return path;
}

/** Keys at column `col` in the block around the line (same parent). */
function siblingKeys(text: string, lineStart: number, lineEnd: number, col: number): Set<string> {
  const keys = new Set<string>();
  for (const line of linesUp(text, lineStart)) {
    if (indentOf(line, col) > col) continue;
    const l = info(line);
    if (l.blank) continue;
    if (l.keyCol === col && l.key) keys.add(l.key);
    if (l.keyCol < col || (l.dashes && l.indent < col)) break;
  }
  for (const line of linesDown(text, lineEnd)) {
    if (indentOf(line, col) > col) continue;
    const l = info(line);
    if (l.blank) continue;
    if (l.keyCol < col || (l.dashes && l.indent <= col)) break;
    if (l.keyCol === col && l.key) keys.add(l.key);
  }
  return keys;
}

/** Open flow brackets on the line before the cursor: their columns and the keys that own them. */
function flowStack(prefix: string): { open: string; at: number; key?: string; segmentStart: number }[] {
  const stack: { open: string; at: number; key?: string; segmentStart: number }[] = [];
  let quote: string | undefined;
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "#" && (i === 0 || /\s/.test(prefix[i - 1]!))) break;
    if (c === '"' || c === "'") quote = c;
    else if (c === "{" || c === "[") {
      const before = prefix.slice(stack.length ? stack[stack.length - 1]!.segmentStart : 0, i);
      const key = /([^\s:,{}\[\]"']+)["']?\s*:\s*$/.exec(before)?.[1];
      stack.push({ open: c, at: i, key, segmentStart: i + 1 });
    } else if (c === "}" || c === "]") stack.pop();
    else if (c === "," && stack.length) stack[stack.length - 1]!.segmentStart = i + 1;
  }
  return stack;
}

export function contextAt(text: string, offset: number): Context | { citation: true; start: number; end: number } | undefined {
  const { start: lineStart, end: lineEnd } = lineAt(text, offset);
  const prefix = text.slice(lineStart, offset);
  let wordStart = offset;
  while (wordStart > lineStart && WORD.test(text[wordStart - 1]!)) wordStart--;
  let wordEnd = offset;
  while (wordEnd < lineEnd && WORD.test(text[wordEnd]!)) wordEnd++;

  const citation = /\[[^\[\]]*@([\p{L}\p{N}_:.#$%&\-+?<>~/]*)$/u.exec(prefix);
  if (citation) {
    let end = offset;
    while (end < lineEnd && /[\p{L}\p{N}_:.#$%&\-+?<>~/]/u.test(text[end]!)) end++;
    return { citation: true, start: offset - citation[1]!.length, end };
  }

  const here = info(prefix);
  const stack = flowStack(prefix);
  const after = text.slice(offset, lineEnd);
  const hasColon = /^[\p{L}\p{N}_.\-]*\s*:/u.test(after);

  if (stack.length) {
    // Inside flow brackets: the block key of the line, then each bracket's key.
    const blockCol = here.keyCol;
    const first = stack[0]!;
    const lineKey = here.key && prefix.indexOf(here.key) < first.at ? here.key : undefined;
    const base = ancestors(text, lineStart, blockCol, here.dashes > 0 && blockCol === here.keyCol && !!lineKey);
    const path: Segment[] = [...base];
    if (lineKey) path.push(lineKey);
    stack.forEach((s, i) => {
      if (i > 0 && s.key) path.push(s.key);
      if (s.open === "[") path.push("[]");
    });
    const inner = stack[stack.length - 1]!;
    const segment = prefix.slice(inner.segmentStart);
    if (inner.open === "[") return { path, position: "value", present: new Set(), start: wordStart, end: wordEnd, hasColon, newItem: false };
    const kv = /^\s*["']?([^\s:,{}\[\]"']+)["']?\s*:\s*[^,{}\[\]]*$/.exec(segment);
    const present = new Set<string>();
    const body = text.slice(lineStart + inner.at + 1, lineEnd);
    for (const m of body.matchAll(/(?:^|,)\s*["']?([^\s:,{}\[\]"']+)["']?\s*:/g)) present.add(m[1]!);
    if (kv) return { path: [...path, kv[1]!], position: "value", present, start: wordStart, end: wordEnd, hasColon, newItem: false };
    return { path, position: "key", present, start: wordStart, end: wordEnd, hasColon, newItem: false };
  }

  const valueMatch = KEY_LINE.exec(prefix);
  if (valueMatch) {
    // After `key: ` on a block line: the key's value.
    const col = valueMatch[1]!.length + valueMatch[2]!.length;
    const base = ancestors(text, lineStart, col, valueMatch[2]!.length > 0);
    return { path: [...base, valueMatch[4]!.trim()], position: "value", present: new Set(), start: wordStart, end: wordEnd, hasColon, newItem: false };
  }
  // Typing a key (or a scalar list item) at this column.
  const dash = /^(\s*)((?:-\s+)*)\S*$/.exec(prefix);
  if (!dash) return undefined;
  const col = dash[1]!.length + dash[2]!.length;
  const listItem = dash[2]!.length > 0;
  const path = ancestors(text, lineStart, col, listItem);
  const present = listItem ? new Set<string>() : siblingKeys(text, lineStart, lineEnd, col);
  return { path, position: "key", present, start: wordStart, end: wordEnd, hasColon, newItem: listItem };
}

/**
 * A field of the list item of a top-level section around an offset, read from
 * the text (the item may not parse while it is typed): a study's `design`, an
 * analysis's `measure`.
 */
export function fieldAround(text: string, offset: number, section: string, field: string): string | undefined {
  const head = new RegExp(`^${section}:[ \\t]*(?:#.*)?$`, "m").exec(text);
  if (!head || head.index > offset) return undefined;
  const body = text.slice(head.index, offset);
  const itemIndent = /\n([ \t]*)- /.exec(body)?.[1];
  if (itemIndent === undefined) return undefined;
  let start = -1;
  for (const m of body.matchAll(new RegExp(`\\n${itemIndent}- `, "g"))) start = head.index + m.index! + 1;
  if (start < 0) return undefined;
  const next = new RegExp(`\\n${itemIndent}- |\\n\\S`).exec(text.slice(offset));
  const record = text.slice(start, next ? offset + next.index : text.length);
  return new RegExp(`^[ \\t-]*${field}:[ \\t]*["']?([\\w-]+)`, "m").exec(record)?.[1];
}

/** A completion as the service gives it (absolute offsets); the server converts it. */
export interface CompletionItem {
  label: string;
  kind: "key" | "value" | "reference" | "citation" | "snippet";
  detail?: string;
  documentation?: string;
  insertText: string;
  /** insertText is a snippet with $1… placeholders. */
  snippet?: boolean;
  sortText?: string;
  /** The text the item replaces (absolute offsets). */
  start: number;
  end: number;
}
