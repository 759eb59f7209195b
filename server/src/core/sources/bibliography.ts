/**
 * Reads citation keys (and the metadata the source index needs) from
 * bibliography exports: BibTeX and RIS through citation-js, CSL-JSON as JSON.
 * Keys: BibTeX entry keys, CSL `citation-key` (else `id`), RIS `ID`; entries
 * without one get `{family name, transliterated}{year}` with `a`, `b`, …
 * suffixes (contract section 3).
 */
import { plugins } from "@citation-js/core";
import "@citation-js/plugin-bibtex";
import "@citation-js/plugin-ris";
import { parse as parseName } from "@citation-js/name";
import { transliterate } from "transliteration";
import { bareDoi } from "../model/ids";
import { parseJson } from "../syntax/text";
import { appendAll } from "../syntax/arrays";

export type BibliographyFormat = "bibtex" | "ris" | "csl-json";

/** What an entry states, whatever its format. */
interface EntryFields {
  title?: string;
  year?: string;
  journal?: string;
  doi?: string;
  pmid?: string;
  pmcid?: string;
  abstract?: string;
  note?: string;
  /** Offset of the entry in the file. */
  offset: number;
}

export interface BibEntry extends EntryFields {
  key: string;
  /** The key was written in the file (not derived). */
  explicit: boolean;
  authors: string[];
}

export interface BibliographyResult {
  format?: BibliographyFormat;
  entries: BibEntry[];
  /** Why the file cannot be read, with the parser's place where it gives one. */
  error?: string;
  /** Entries that could not be parsed while the others were (BibTeX). */
  broken?: BrokenEntry[];
}

export function formatOf(path: string, text: string): BibliographyFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".bib") || lower.endsWith(".bibtex")) return "bibtex";
  if (lower.endsWith(".ris")) return "ris";
  if (lower.endsWith(".json")) return "csl-json";
  const head = text.trimStart();
  if (head.startsWith("@")) return "bibtex";
  if (/^TY {2}- /m.test(head.slice(0, 200))) return "ris";
  if (head.startsWith("[") || head.startsWith("{")) return "csl-json";
  return undefined;
}

export interface RawEntry extends EntryFields {
  key?: string;
  authors: { family?: string; literal?: string; text: string }[];
}

function firstLine(message: string): string {
  return message.split("\n").filter((l) => l.trim())[0] ?? message;
}

/** "line 2 col 1" out of citation-js's multi-line syntax errors. */
function placeOf(message: string): string {
  const m = /at line (\d+) col (\d+)/.exec(message);
  return m ? ` (line ${m[1]}, column ${m[2]})` : "";
}

function yearOf(value: unknown): string | undefined {
  const m = /\d{4}/.exec(String(value ?? ""));
  return m ? m[0] : undefined;
}

function one(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
  return value == null ? undefined : String(value);
}

function many(value: unknown): string[] {
  if (value == null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

interface CslName {
  family?: string;
  given?: string;
  literal?: string;
}

export function cslAuthors(value: unknown): RawEntry["authors"] {
  if (!Array.isArray(value)) return [];
  return (value as CslName[]).map((n) => ({
    family: n.family,
    literal: n.literal,
    text: n.literal ?? [n.given, n.family].filter(Boolean).join(" "),
  }));
}

export function cslYear(issued: unknown): string | undefined {
  const d = issued as { "date-parts"?: unknown[][]; raw?: string; literal?: string } | undefined;
  const part = d?.["date-parts"]?.[0]?.[0];
  return part != null ? yearOf(part) : yearOf(d?.raw ?? d?.literal);
}

/**
 * Markup in a title or abstract as text: citation-js turns LaTeX (`\\textit{x}`,
 * `{HbA1c}`, accents) into HTML-like tags and characters; italics become *x*.
 */
function markupAsText(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value
    .replace(/<(i|em)>(.*?)<\/\1>/gi, "*$2*")
    .replace(/<(b|strong)>(.*?)<\/\1>/gi, "**$2**")
    .replace(/<\/?(sup|sub|span|sc)[^>]*>/gi, "")
    .replace(/\\(textit|emph)\{([^{}]*)\}/g, "*$2*")
    .replace(/\\text(bf|rm|sc|tt)?\{([^{}]*)\}/g, "$2")
    .replace(/(?<!\\)[{}]/g, "");
}

function fromCsl(item: Record<string, unknown>, key: string | undefined, offset: number): RawEntry {
  return {
    key,
    title: typeof item.title === "string" ? markupAsText(item.title) : undefined,
    authors: cslAuthors(item.author ?? item.editor),
    year: cslYear(item.issued),
    journal: one(item["container-title"] ?? item.publisher),
    doi: bareDoi(one(item.DOI ?? item.doi)),
    pmid: one(item.PMID),
    pmcid: one(item.PMCID),
    abstract: markupAsText(one(item.abstract)),
    note: one(item.note),
    offset,
  };
}

/** Offsets of `@type{key,` heads, by key. */
function bibtexOffsets(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(/@(\w+)\s*[{(]\s*([^,\s{}()]+)\s*,/g)) if (!out.has(m[2]!)) out.set(m[2]!, m.index!);
  return out;
}

function parseBibtexWhole(text: string, base = 0, offsets = bibtexOffsets(text)): RawEntry[] {
  const entries = plugins.input.chainLink(text, { forceType: "@bibtex/text" }) as { label?: string }[];
  if (!Array.isArray(entries)) throw new Error("no BibTeX entries found");
  const csl = plugins.input.chainLink(entries, { forceType: plugins.input.type(entries) }) as Record<string, unknown>[];
  return csl.map((item, i) => {
    const key = entries[i]?.label ?? (item["citation-key"] as string | undefined);
    return fromCsl(item, key, base + ((key !== undefined ? offsets.get(key) : undefined) ?? 0));
  });
}

/** An entry that could not be parsed: its key (when readable) and line. */
interface BrokenEntry {
  key?: string;
  line: number;
  reason: string;
}

/**
 * BibTeX, one broken entry costing only that entry: the whole file is parsed in
 * one go; when that fails, each `@entry` is parsed on its own (with the file's
 * `@string` macros), and the ones that fail are reported by key and line.
 */
function parseBibtex(text: string): { raw: RawEntry[]; broken: BrokenEntry[] } {
  try {
    return { raw: parseBibtexWhole(text), broken: [] };
  } catch (whole) {
    const starts = [...text.matchAll(/^[ \t]*@/gm)].map((m) => m.index!);
    if (starts.length < 2) throw whole;
    const macros = starts
      .map((s, i) => text.slice(s, starts[i + 1] ?? text.length))
      .filter((chunk) => /^\s*@string\s*[{(]/i.test(chunk))
      .join("\n");
    const raw: RawEntry[] = [];
    const broken: BrokenEntry[] = [];
    starts.forEach((start, i) => {
      const chunk = text.slice(start, starts[i + 1] ?? text.length);
      if (/^\s*@(string|preamble|comment)\s*[{(]/i.test(chunk)) return;
      const key = /^\s*@\w+\s*[{(]\s*([^,\s{}()]+)\s*,/.exec(chunk)?.[1];
      try {
        const parsed = parseBibtexWhole(`${macros}\n${chunk}`, start - macros.length - 1, new Map(key ? [[key, macros.length + 1]] : []));
        appendAll(raw, parsed);
      } catch (e) {
        const line = text.slice(0, start).split("\n").length;
        broken.push({ key, line, reason: firstLine((e as Error).message ?? String(e)).replace(/ \(line \d+, column \d+\)$/, "").replace(/ at line \d+ col \d+:?/, "") });
      }
    });
    if (!raw.length) throw whole;
    return { raw, broken };
  }
}

/** A RIS author: "Family, Given" is a person; without a comma (a corporate author) the key takes its first word. */
export function risAuthor(a: string): RawEntry["authors"][number] {
  if (!a.includes(",")) return { literal: a, text: a };
  const n = parseName(a) as CslName;
  return { family: n.family, literal: n.literal, text: a };
}

function parseRis(text: string): RawEntry[] {
  const records = plugins.input.chainLink(text, { forceType: "@ris/file" }) as Record<string, unknown>[];
  if (!Array.isArray(records)) throw new Error("no RIS records found");
  const starts = [...text.matchAll(/^TY {2}- /gm)].map((m) => m.index!);
  return records.map((r, i) => ({
    offset: starts[i] ?? 0,
    pmid: undefined,
    pmcid: undefined,
    abstract: one(r.AB ?? r.N2),
    note: one(r.N1),
    key: one(r.ID),
    title: markupAsText(one(r.TI ?? r.T1)),
    authors: [...many(r.AU), ...many(r.A1)].map(risAuthor),
    year: yearOf(one(r.PY) ?? one(r.Y1) ?? one(r.DA)),
    journal: one(r.JO ?? r.JF ?? r.T2),
    doi: bareDoi(one(r.DO)),
  }));
}

function parseCslJson(text: string): RawEntry[] {
  const parsed = parseJson(text);
  if ("error" in parsed) {
    const before = parsed.offset !== undefined ? text.slice(0, parsed.offset) : undefined;
    const where = before !== undefined ? ` (line ${before.split("\n").length}, column ${before.length - before.lastIndexOf("\n")})` : "";
    throw new Error(`invalid JSON: ${parsed.error}${where}`);
  }
  const data = parsed.value;
  const items = Array.isArray(data) ? data : data && typeof data === "object" ? [data] : null;
  if (!items) throw new Error("CSL-JSON must be a list of items");
  const offsets = Array.isArray(data) ? jsonItemOffsets(text) : [text.indexOf("{")];
  return items.map((item, i) => {
    if (!item || typeof item !== "object") throw new Error(`item ${i + 1} is not an object`);
    const o = item as Record<string, unknown>;
    const key = cslKey(o);
    return fromCsl(o, key, offsets[i] ?? 0);
  });
}

/** Zotero writes `citation-key`; its `id` is then an item URI, never a key an author types (contract section 3). */
export function cslKey(item: Record<string, unknown>): string | undefined {
  const citationKey = typeof item["citation-key"] === "string" && item["citation-key"].trim() ? item["citation-key"].trim() : undefined;
  const id = typeof item.id === "string" || typeof item.id === "number" ? String(item.id) : undefined;
  return citationKey ?? (id !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(id) ? id : undefined);
}

/** Offsets of the objects directly inside a JSON array (strings skipped). */
function jsonItemOffsets(text: string): number[] {
  const out: number[] = [];
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") {
      if (depth === 1 && c === "{") out.push(i);
      depth++;
    } else if (c === "]" || c === "}") depth--;
  }
  return out;
}

/** `{family name, ASCII lower-case letters only}{year}`, `anon`/`nd` when unknown. */
export function derivedKeyBase(authors: KeyStub["authors"], year: string | undefined): string {
  const first = authors[0];
  let family = first ? (first.literal !== undefined ? first.literal.trim().split(/\s+/)[0] : first.family) ?? "" : "";
  // Transliterated, not stripped: Kjær → kjaer, Ødegaard → odegaard, Strauß → strauss, 王 → wang.
  family = transliterate(family.normalize("NFC")).toLowerCase().replace(/[^a-z]/g, "");
  return `${family || "anon"}${year ?? "nd"}`;
}

/** What an entry's key is made of: the written key, else the first author and year. */
export interface KeyStub {
  key?: string;
  authors: readonly { family?: string; literal?: string }[];
  year?: string;
  /** The entry could not be read (it keeps its place, with a derived key). */
  broken?: boolean;
}

/** The entries' keys: written keys as written, the others derived with `a`, `b`, … suffixes where two would clash. */
export function derivedKeys(raw: readonly KeyStub[]): string[] {
  const explicit = new Set(raw.map((r) => r.key).filter((k): k is string => Boolean(k)));
  const bases = raw.map((r) => (r.key ? undefined : derivedKeyBase(r.authors, r.year)));
  const counts = new Map<string, number>();
  for (const b of bases) if (b) counts.set(b, (counts.get(b) ?? 0) + 1);
  const used = new Set(explicit);
  const next = new Map<string, number>();
  return raw.map((r, i) => {
    let key = r.key;
    const base = bases[i];
    if (!key && base) {
      if (counts.get(base)! === 1 && !used.has(base)) key = base;
      else {
        let n = next.get(base) ?? 0;
        do key = base + suffix(n++);
        while (used.has(key));
        next.set(base, n);
      }
      used.add(key);
    }
    return key!;
  });
}

function assignKeys(raw: RawEntry[]): BibEntry[] {
  const keys = derivedKeys(raw);
  return raw.map((r, i) => {
    const key = keys[i]!;
    return {
      key,
      explicit: Boolean(r.key),
      title: r.title,
      authors: r.authors.map((a) => a.text),
      year: r.year,
      journal: r.journal,
      doi: r.doi,
      pmid: r.pmid,
      pmcid: r.pmcid,
      abstract: r.abstract,
      note: r.note,
      offset: r.offset,
    };
  });
}

/** a, b, …, z, aa, ab, … */
function suffix(n: number): string {
  let s = "";
  let k = n;
  do {
    s = String.fromCharCode(97 + (k % 26)) + s;
    k = Math.floor(k / 26) - 1;
  } while (k >= 0);
  return s;
}

/** One entry of a library, parsed from its own text; null when it cannot be read. */
export function parseEntry(format: BibliographyFormat, text: string, macros: string, offset: number, key: string): RawEntry | null {
  try {
    if (format === "bibtex") return parseBibtexWhole(`${macros}\n${text}`, offset - macros.length - 1, new Map([[key, macros.length + 1]]))[0] ?? null;
    if (format === "ris") {
      const entry = parseRis(text)[0];
      return entry ? { ...entry, offset } : null;
    }
    const item = JSON.parse(text) as Record<string, unknown>;
    return fromCsl(item, key, offset);
  } catch {
    return null;
  }
}

export function parseBibliography(text: string, format: BibliographyFormat): BibliographyResult {
  try {
    if (format === "bibtex") {
      const { raw, broken } = parseBibtex(text);
      return { format, entries: assignKeys(raw), ...(broken.length ? { broken } : {}) };
    }
    const raw = format === "ris" ? parseRis(text) : parseCslJson(text);
    return { format, entries: assignKeys(raw) };
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    const reason = /not supported or recognized/.test(message)
      ? format === "ris"
        ? "no RIS records (expected lines like 'TY  - JOUR' … 'ER  - ')"
        : "not a recognised bibliography"
      : firstLine(message).replace(/ at line \d+ col \d+:?/, "") + placeOf(message);
    return { format, entries: [], error: reason };
  }
}
