/**
 * Whole reference-manager libraries (5–50 MB, tens of thousands of entries):
 * indexed in one pass by key and place, each entry's fields parsed when first
 * read. The same index for BibTeX, RIS and CSL-JSON; pure, so that it runs in
 * the server's worker thread (server/library-worker.ts) and, synchronously, in
 * `review-lint`. A changed file is re-indexed only where it changed.
 */
import { cslAuthors, cslKey, cslYear, derivedKeys, parseEntry, risAuthor, type BibEntry, type BibliographyFormat, type BibliographyResult, type KeyStub, type RawEntry } from "./bibliography";

/** Above this size a library is indexed by its keys, each entry parsed on first use (and, in the server, in a worker thread). */
export const LAZY_LIBRARY_BYTES = 1024 * 1024;

/** One entry of a library: its written key or what a derived key is made of, and where it is. */
interface IndexedEntry extends KeyStub {
  /** [start, end) of the entry's text: up to the next entry. */
  start: number;
  end: number;
  /** `@string`, `@preamble`, `@comment`: they end the entry before them, and are no entries. */
  skip?: boolean;
}

export interface LibraryIndex {
  format: BibliographyFormat;
  entries: IndexedEntry[];
  /** BibTeX `@string` definitions, prepended when an entry is parsed. */
  macros: string;
  error?: string;
}

const BIBTEX_HEAD = /^[ \t]*@(\w+)[ \t]*[{(][ \t]*([^,\s{}()]+)[ \t]*,/gm;
const BIBTEX_STRING = /^[ \t]*@string[ \t]*[{(][^\n]*$/gim;
const RIS_START = /^TY {2}- /gm;

/** Entries whose text starts in text[from, to) (from at a line start), each running to the next. */
function indexRegion(text: string, format: BibliographyFormat, from: number, to: number): IndexedEntry[] {
  if (format === "bibtex") {
    const out: IndexedEntry[] = [];
    BIBTEX_HEAD.lastIndex = from;
    for (let m = BIBTEX_HEAD.exec(text); m && m.index < to; m = BIBTEX_HEAD.exec(text)) {
      if (out.length) out[out.length - 1]!.end = m.index;
      // @string/@preamble/@comment end the entry before them but are no entries themselves.
      if (/^(string|preamble|comment)$/i.test(m[1]!)) out.push({ start: m.index, end: to, authors: [], skip: true });
      else out.push({ start: m.index, end: to, key: m[2]!, authors: [] });
    }
    return out.filter((e) => !e.skip);
  }
  if (format === "ris") {
    const starts: number[] = [];
    RIS_START.lastIndex = from;
    for (let m = RIS_START.exec(text); m && m.index < to; m = RIS_START.exec(text)) starts.push(m.index);
    return starts.map((start, i) => risStub(text, start, starts[i + 1] ?? to));
  }
  return cslItems(text, from, to);
}

/** The fields a RIS record's key is made of, read from its lines (the same values citation-js gives). */
function risStub(text: string, start: number, end: number): IndexedEntry {
  const record = text.slice(start, end);
  const field = (tags: string) => [...record.matchAll(new RegExp(`^(?:${tags}) {2}- ?(.*?)\\s*$`, "gm"))].map((m) => m[1]!).filter(Boolean);
  const id = field("ID")[0];
  const year = /\d{4}/.exec(field("PY")[0] ?? field("Y1")[0] ?? field("DA")[0] ?? "")?.[0];
  return { start, end, key: id, authors: field("AU|A1").slice(0, 1).map(risAuthor), year };
}

/** The objects directly inside the top-level JSON array, with their keys' fields. */
function cslItems(text: string, from: number, to: number): IndexedEntry[] {
  return scanCsl(text, from, to).entries;
}

/**
 * Scans text[from, to) for the array's items (from 0, or from an item's start
 * inside the array), and says in what state it ends: a region ends cleanly when
 * it is back inside the array, outside any string or item.
 */
function scanCsl(text: string, from: number, to: number): { entries: IndexedEntry[]; clean: boolean } {
  const entries: IndexedEntry[] = [];
  let depth = from === 0 ? 0 : 1;
  let inString = false;
  let itemStart = -1;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (depth === 1 && c === 123) itemStart = i;
      depth++;
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      depth--;
      if (depth === 1 && c === 125 && itemStart >= 0) {
        entries.push(cslStub(text.slice(itemStart, i + 1), itemStart, i + 1));
        itemStart = -1;
      }
    }
  }
  return { entries, clean: depth === 1 && !inString && itemStart < 0 };
}

/**
 * CSL-JSON entries do not tile the file (commas between them), and a change can
 * open a string that swallows what follows: the region around the change is
 * scanned from an item's start, and the rest kept only when the scan ends
 * cleanly where it started (inside the array, outside any string).
 */
function reindexCsl(old: IndexedEntry[], oldText: string, text: string, p: number, q: number): IndexedEntry[] | undefined {
  if (p <= old[0]!.start) return undefined;
  const delta = text.length - oldText.length;
  let first = old.findIndex((e) => e.end > p);
  first = first < 0 ? old.length - 1 : Math.max(0, first - 1);
  const changedUntil = oldText.length - q;
  const afterIndex = old.findIndex((e, i) => i > first && e.start >= changedUntil);
  const after = afterIndex < 0 ? [] : old.slice(afterIndex);
  const from = old[first]!.start;
  const to = after.length ? after[0]!.start + delta : text.length;
  if (to < from) return undefined;
  const middle = after.length ? scanCsl(text, from, to) : { entries: scanCsl(text, from, to).entries, clean: true };
  if (!middle.clean) return undefined;
  return [...old.slice(0, first), ...middle.entries, ...after.map((e) => ({ ...e, start: e.start + delta, end: e.end + delta }))];
}

function cslStub(json: string, start: number, end: number): IndexedEntry {
  let item: Record<string, unknown>;
  try {
    item = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return { start, end, authors: [], broken: true };
  }
  return { start, end, key: cslKey(item), authors: cslAuthors(item.author ?? item.editor).slice(0, 1), year: cslYear(item.issued) };
}

function macrosOf(text: string): string {
  return [...text.matchAll(BIBTEX_STRING)].map((m) => m[0]).join("\n");
}

export function indexLibrary(text: string, format: BibliographyFormat): LibraryIndex {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const entries = indexRegion(text, format, start, text.length);
  const macros = format === "bibtex" ? macrosOf(text) : "";
  if (!entries.length) return { format, entries, macros, error: format === "bibtex" ? "no BibTeX entries found" : format === "ris" ? "no RIS records (expected lines like 'TY  - JOUR' … 'ER  - ')" : "no CSL-JSON items found" };
  return { format, entries, macros };
}

/** Length of the common prefix of a and b. */
function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let lo = 0;
  // Compare in blocks first: a library changes in one entry, 50 MB are mostly equal.
  for (let step = 65536; step >= 1; step >>= 4) while (lo + step <= n && a.slice(lo, lo + step) === b.slice(lo, lo + step)) lo += step;
  return lo;
}

function commonSuffix(a: string, b: string, limit: number): number {
  let n = 0;
  for (let step = 65536; step >= 1; step >>= 4) while (n + step <= limit && a.slice(a.length - n - step, a.length - n) === b.slice(b.length - n - step, b.length - n)) n += step;
  return n;
}

/**
 * The index of `text`, given the index of `oldText` (the same file before a
 * change): entries before the change are kept, those after it moved, and only
 * the entries the change touches are read again. Equal to `indexLibrary(text)`.
 */
export function reindexLibrary(previous: LibraryIndex, oldText: string, text: string): LibraryIndex {
  const format = previous.format;
  const old = previous.entries;
  if (!old.length) return indexLibrary(text, format);
  const p = commonPrefix(oldText, text);
  const q = commonSuffix(oldText, text, Math.min(oldText.length, text.length) - p);
  if (format === "csl-json") {
    const entries = reindexCsl(old, oldText, text, p, q);
    return entries?.length ? { format, entries, macros: "" } : indexLibrary(text, format);
  }
  const delta = text.length - oldText.length;
  // Entries that end before the change stay; those that start after it move; the rest are read again.
  // From the entry before the change (its end may move), to the last entry not wholly after it.
  let first = old.findIndex((e) => e.end > p);
  first = first < 0 ? old.length - 1 : Math.max(0, first - 1);
  let last = old.length - 1;
  while (last > first && old[last]!.start > oldText.length - q) last--;
  const from = Math.min(old[first]!.start, lineStartOf(text, p));
  const to = old[last]!.end + delta;
  if (from < 0 || to > text.length || to < from) return indexLibrary(text, format);
  const middle = indexRegion(text, format, from, to);
  const before = old.slice(0, first).filter((e) => e.start < from);
  if (before.length && middle.length) before[before.length - 1] = { ...before[before.length - 1]!, end: middle[0]!.start };
  const after = old.slice(last + 1).map((e) => ({ ...e, start: e.start + delta, end: e.end + delta }));
  if (middle.length && after.length) middle[middle.length - 1] = { ...middle[middle.length - 1]!, end: after[0]!.start };
  else if (!middle.length && before.length) before[before.length - 1] = { ...before[before.length - 1]!, end: after[0]?.start ?? text.length };
  const entries = [...before, ...middle, ...after];
  const macros = format === "bibtex" ? macrosOf(text) : "";
  return entries.length ? { format, entries, macros } : indexLibrary(text, format);
}

function lineStartOf(text: string, at: number): number {
  let i = Math.min(at, text.length);
  while (i > 0 && text.charCodeAt(i - 1) !== 10) i--;
  return i;
}

/**
 * The library's entries, each parsing its own text (`textOf(start, end)`) when a
 * field is first read. `offsetOf` gives the entry's offset in the file's text
 * (the index may count bytes when the text stayed in a worker's buffer).
 */
function lazyEntries(index: LibraryIndex, textOf: (start: number, end: number) => string): BibEntry[] {
  const keys = derivedKeys(index.entries);
  return index.entries.map((e, i) => lazyEntry(keys[i]!, Boolean(e.key), e.start, () => parseEntry(index.format, textOf(e.start, e.end), index.macros, e.start, keys[i]!)));
}

/** An entry whose fields are parsed (once) when one is first read. */
export function lazyEntry(key: string, explicit: boolean, offset: number, parse: () => RawEntry | null): BibEntry {
  let parsed: RawEntry | null | undefined;
  const fields = () => (parsed === undefined ? (parsed = parse()) : parsed);
  return {
    key,
    explicit,
    offset,
    // prettier-ignore
    get title() { return fields()?.title; },
    get authors() { return fields()?.authors.map((a) => a.text) ?? []; },
    get year() { return fields()?.year; },
    get journal() { return fields()?.journal; },
    get doi() { return fields()?.doi; },
    get pmid() { return fields()?.pmid; },
    get pmcid() { return fields()?.pmcid; },
    get abstract() { return fields()?.abstract; },
    get note() { return fields()?.note; },
  };
}

/** A library read in this thread (review-lint; the server indexes in a worker): indexed, entries parsed on first use. */
export function parseLibrary(text: string, format: BibliographyFormat): BibliographyResult {
  const index = indexLibrary(text, format);
  return { format, entries: lazyEntries(index, (start, end) => text.slice(start, end)), ...(index.error ? { error: index.error } : {}) };
}
