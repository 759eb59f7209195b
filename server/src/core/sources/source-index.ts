/**
 * The source index: metadata read out of the documents a protocol cites (plain
 * text, Markdown, saved web pages) and out of bibliography entries, with the
 * place each value came from. The format is recognised from the content, not the
 * file name (a Markdown summary may be saved as .txt).
 */
import type { BibEntry } from "./bibliography";
import { bareDoi } from "../model/ids";

type SourceFormat = "markdown" | "text" | "html" | "bibtex" | "ris" | "csl-json";

type MetadataField = "title" | "authors" | "date" | "journal" | "doi" | "pmid" | "pmcid" | "registrations" | "abstract";

export interface SourceMetadata {
  format: SourceFormat;
  title?: string;
  authors: string[];
  year?: string;
  /** ISO date (YYYY-MM-DD, or shorter when only that is known). */
  date?: string;
  /** Journal, publisher or organisation. */
  journal?: string;
  organisations: string[];
  doi?: string;
  /** Every DOI the document states, the primary one first. */
  dois: string[];
  pmid?: string;
  pmcid?: string;
  /** Trial and review registrations: NCT…, ISRCTN…, CRD…, ACTRN…, DRKS…, EudraCT… */
  registrations: string[];
  /** A short abstract (its first sentences) or the key findings. */
  abstract?: string;
  keyFindings: string[];
  /** Offset in the source file where each value was read (for go-to-source). */
  positions: Partial<Record<MetadataField, number>>;
}

const SECTION_WORDS = new Set(
  [
    "abstract", "background", "introduction", "summary", "objective", "objectives", "aims", "methods", "search methods",
    "selection criteria", "results", "main results", "conclusions", "authors' conclusions", "discussion", "key findings", "tl;dr", "contents",
  ],
);

/** Words of a web page's navigation that are not a title. */
const CHROME = /\b(become a member|sign in|log in|subscribe|skip to (main )?content|menu|cookies?|newsletter)\b/i;

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const MONTH = `(${MONTHS.join("|")}|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\\.?`;

const DOI = /\b10\.\d{4,9}\/[^\s"'<>()\[\]{}]+/gi;
const REGISTRATION = /\b(NCT\d{8}|ISRCTN\d{8}|CRD\d{11}|ACTRN\d{14}|DRKS\d{8}|ChiCTR[-\w]{6,}|PACTR\d{15}|IRCT\d{8,}N\d+|EudraCT\s*\d{4}-\d{6}-\d{2}|CTRI\/\d{4}\/\d{2,3}\/\d{6})\b/g;
const PMID = /\bPMID:?\s*(\d{5,9})\b/i;
const PMCID = /\bPMC\d{5,9}\b/;
const ORGANISATION_NOUN =
  "(?:Organi[sz]ation|Foundation|Consortium|Fund|Group|Association|Institutes?|University|Agency|Ministry|Council|Society|Collaboration|Network|Alliance|Trust|Programme|Program|Cent(?:re|er)|Department|Commission|Board|Initiative|Partnership)";
const CAPITALISED = "[A-Z][\\w’'\\-]*";
// Words of one name stay on one line: a heading above must not join the name.
const ORGANISATION = new RegExp(
  `\\b(?:The[ \\t]+)?((?:${CAPITALISED}[ \\t]+)(?:(?:of|and|in|for|the|on|&)[ \\t]+|${CAPITALISED}[ \\t]+)*${ORGANISATION_NOUN}(?:[ \\t]+\\([A-Z][A-Za-z ]{1,15}\\))?)`,
  "g",
);

function trimDoi(doi: string): string {
  return doi.replace(/[.,;:]+$/, "");
}

function unique(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = v.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function isoDate(day: string | undefined, month: string, year: string): string {
  const m = MONTHS.findIndex((x) => x.startsWith(month.toLowerCase().replace(/\.$/, "").slice(0, 3))) + 1;
  const mm = String(m).padStart(2, "0");
  return day ? `${year}-${mm}-${day.padStart(2, "0")}` : `${year}-${mm}`;
}

/** A date written as 2025-05-21, 20 January 2025 or January 20, 2025 at the start of `text`. */
function leadingDate(text: string): string | undefined {
  let m = /^(\d{4})-(\d{2})-(\d{2})\b/.exec(text);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = new RegExp(`^(\\d{1,2})\\s+${MONTH}\\s+(\\d{4})\\b`, "i").exec(text);
  if (m) return isoDate(m[1], m[2]!, m[3]!);
  m = new RegExp(`^${MONTH}\\s+(\\d{1,2}),?\\s+(\\d{4})\\b`, "i").exec(text);
  if (m) return isoDate(m[2], m[1]!, m[3]!);
  return undefined;
}

const SENTENCES = new Intl.Segmenter("en", { granularity: "sentence" });

/**
 * The first sentences of a text, at most about `max` characters, cut by a real
 * sentence segmenter (never inside "0.82", "P<0.001" or "ClinicalTrials.gov").
 */
function firstSentences(text: string, count = 2, max = 400): string {
  const clean = text.replace(/\s+/g, " ").trim();
  const sentences = [...SENTENCES.segment(clean)].map((s) => s.segment);
  let out = "";
  for (const s of sentences.slice(0, count)) {
    if (out && out.length + s.length > max) break;
    out += s;
  }
  out = out.trim();
  return out.length > max ? out.slice(0, max - 1).trimEnd() + "…" : out;
}

interface Line {
  text: string;
  start: number;
}

function linesOf(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (const raw of text.split("\n")) {
    out.push({ text: raw.replace(/\r$/, ""), start });
    start += raw.length + 1;
  }
  return out;
}

function detectFormat(text: string): "markdown" | "text" | "html" {
  const head = text.slice(0, 4000).trimStart();
  if (/^<(!doctype html|html|head|body)\b/i.test(head)) return "html";
  if (/^#\s+\S/m.test(head) || /^\*\*[^*]+:\*\*/m.test(head) || /^##\s+\S/m.test(head)) return "markdown";
  return "text";
}

function emptyMetadata(format: SourceFormat): SourceMetadata {
  return { format, authors: [], organisations: [], dois: [], registrations: [], keyFindings: [], positions: {} };
}

/** Identifiers stated anywhere in the text: DOIs, PMID, PMCID, registrations. */
function scanIdentifiers(text: string, meta: SourceMetadata): void {
  for (const m of text.matchAll(DOI)) {
    const doi = trimDoi(m[0]);
    if (!meta.dois.some((d) => d.toLowerCase() === doi.toLowerCase())) meta.dois.push(doi);
    if (meta.positions.doi === undefined) meta.positions.doi = m.index;
  }
  if (!meta.doi && meta.dois.length) meta.doi = meta.dois[0];
  const pmid = PMID.exec(text);
  if (pmid && !meta.pmid) {
    meta.pmid = pmid[1];
    meta.positions.pmid = pmid.index;
  }
  const pmcid = PMCID.exec(text);
  if (pmcid && !meta.pmcid) {
    meta.pmcid = pmcid[0];
    meta.positions.pmcid = pmcid.index;
  }
  for (const m of text.matchAll(REGISTRATION)) {
    const id = m[1]!.replace(/\s+/g, " ");
    if (!meta.registrations.includes(id)) meta.registrations.push(id);
    if (meta.positions.registrations === undefined) meta.positions.registrations = m.index;
  }
}

/** The trial registration ids a text states (NCT…, ISRCTN…), as sources are read. */
export function registrationsIn(text: string): string[] {
  return [...text.matchAll(REGISTRATION)].map((m) => m[1]!.replace(/\s+/g, " "));
}

function organisationsIn(text: string): { name: string; index: number }[] {
  const out: { name: string; index: number }[] = [];
  for (const m of text.matchAll(ORGANISATION)) {
    const name = m[1]!.replace(/\s+/g, " ").trim();
    if (!out.some((o) => o.name === name)) out.push({ name, index: m.index! + m[0].indexOf(m[1]!) });
  }
  return out;
}

function extractMarkdown(text: string): SourceMetadata {
  const meta = emptyMetadata("markdown");
  const lines = linesOf(text);
  const h1 = lines.find((l) => /^#\s+\S/.test(l.text));
  if (h1) {
    meta.title = h1.text.replace(/^#\s+/, "").trim();
    meta.positions.title = h1.start;
  }
  const authors = lines.find((l) => /^\*\*Authors?:\*\*/i.test(l.text));
  if (authors) {
    meta.authors = authors.text.replace(/^\*\*Authors?:\*\*\s*/i, "").split(/\s*[,;]\s*/).map((a) => a.trim()).filter(Boolean);
    meta.positions.authors = authors.start;
  }
  // The metadata line: parts separated by '·', e.g. "PMC · DOI: 10.x/y · Journal · 2025-05-21".
  const metaLine = lines.find((l) => l.text.includes("·") && !l.text.startsWith("#"));
  if (metaLine) {
    for (const part of metaLine.text.split("·").map((p) => p.trim()).filter(Boolean)) {
      const offset = metaLine.start + metaLine.text.indexOf(part);
      const doi = /^DOI:?\s*(10\.\S+)/i.exec(part);
      const date = leadingDate(part);
      if (doi) {
        meta.doi = trimDoi(doi[1]!);
        meta.positions.doi = offset;
      } else if (date) {
        meta.date = date;
        meta.positions.date = offset;
      } else if (/^\d{4}$/.test(part)) {
        meta.year = part;
        meta.positions.date = offset;
      } else if (/^(PMC|PubMed|PMID)\b/i.test(part) && part.length < 12) {
        continue;
      } else if (!meta.journal) {
        meta.journal = part;
        meta.positions.journal = offset;
      }
    }
  }
  const section = (name: RegExp): { body: string; start: number } | undefined => {
    const i = lines.findIndex((l) => /^##\s+/.test(l.text) && name.test(l.text.replace(/^##\s+/, "").trim()));
    if (i < 0) return undefined;
    const body: string[] = [];
    for (const l of lines.slice(i + 1)) {
      if (/^#{1,2}\s+/.test(l.text) || /^---\s*$/.test(l.text)) break;
      body.push(l.text);
    }
    return { body: body.join("\n"), start: lines[i]!.start };
  };
  const findings = section(/^key findings$/i);
  if (findings) meta.keyFindings = findings.body.split("\n").filter((l) => /^\s*[-*]\s+/.test(l)).map((l) => l.replace(/^\s*[-*]\s+/, "").trim());
  const abstract = section(/^abstract$/i) ?? section(/^(tl;dr|summary)$/i);
  if (abstract) {
    const firstParagraph = abstract.body.split(/\n\s*\n/).map((p) => p.trim()).find(Boolean) ?? "";
    meta.abstract = firstSentences(firstParagraph);
    meta.positions.abstract = abstract.start;
  } else if (findings) {
    meta.abstract = meta.keyFindings.join(" ");
    meta.positions.abstract = findings.start;
  }
  scanIdentifiers(text, meta);
  if (meta.date) meta.year = meta.date.slice(0, 4);
  return meta;
}

function extractText(text: string, format: "text" | "html"): SourceMetadata {
  const meta = emptyMetadata(format);
  const body = format === "html" ? htmlToText(text) : text;
  const lines = linesOf(body).filter((l) => l.text.trim());
  let i = 0;
  let site: string | undefined;
  // A saved web page may start with its site's navigation: that names the publisher, not the document.
  while (i < lines.length && i < 3 && CHROME.test(lines[i]!.text)) {
    const before = lines[i]!.text.split(CHROME)[0]!.trim();
    if (before && !site) site = before;
    i++;
  }
  const first = lines[i];
  if (first && !SECTION_WORDS.has(first.text.trim().toLowerCase()) && first.text.trim().length <= 300 && !/[.!?]\s*$/.test(first.text.trim())) {
    meta.title = first.text.trim();
    meta.positions.title = first.start;
    i++;
  }
  for (const l of lines) {
    const t = l.text.trim();
    const date = leadingDate(t);
    if (date && !meta.date) {
      meta.date = date;
      meta.positions.date = l.start;
    }
    const year = /^((?:19|20)\d{2})\s+\S/.exec(t);
    if (year && !meta.year && !date) {
      meta.year = year[1];
      meta.positions.date ??= l.start;
    }
  }
  if (meta.date) meta.year = meta.date.slice(0, 4);
  const organisations = organisationsIn(body);
  meta.organisations = unique([...(site ? [site] : []), ...organisations.map((o) => o.name)]);
  if (site) {
    meta.journal = site;
    meta.positions.journal = 0;
  } else if (organisations[0]) {
    meta.journal = organisations[0].name;
    meta.positions.journal = organisations[0].index;
  }
  // The first paragraph that reads as prose (headings have no sentence end).
  const paragraph = lines.slice(i).find((l) => !SECTION_WORDS.has(l.text.trim().toLowerCase()) && l.text.trim().length > 60 && /[.!?](\s|$)/.test(l.text));
  if (paragraph) {
    meta.abstract = firstSentences(paragraph.text.replace(new RegExp(`^\\s*\\d{1,2}\\s+${MONTH}\\s+\\d{4}\\s*[–-]\\s*`, "i"), ""));
    meta.positions.abstract = paragraph.start;
  }
  scanIdentifiers(body, meta);
  return meta;
}

/** Visible text of a saved web page (tags, scripts and styles dropped); never evaluated. */
function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|noscript)[\s\S]*?<\/\1>/gi, "")
    .replace(/<(br|\/p|\/div|\/h\d|\/li|\/title)\s*\/?>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

/** Metadata of a source document (text, Markdown, HTML), read from its content. */
export function extractDocument(text: string): SourceMetadata {
  const format = detectFormat(text);
  return format === "markdown" ? extractMarkdown(text) : extractText(text, format);
}

/** Metadata of a bibliography entry. */
export function entryMetadata(entry: BibEntry, format: "bibtex" | "ris" | "csl-json"): SourceMetadata {
  const meta = emptyMetadata(format);
  meta.title = entry.title;
  meta.authors = entry.authors;
  meta.year = entry.year;
  meta.journal = entry.journal;
  meta.doi = bareDoi(entry.doi);
  if (meta.doi) meta.dois.push(meta.doi);
  meta.pmid = entry.pmid;
  meta.pmcid = entry.pmcid;
  meta.abstract = entry.abstract ? firstSentences(entry.abstract) : undefined;
  for (const text of [entry.note, entry.abstract]) if (text) for (const m of text.matchAll(REGISTRATION)) if (!meta.registrations.includes(m[1]!)) meta.registrations.push(m[1]!);
  for (const field of ["title", "authors", "date", "journal", "doi"] as const) meta.positions[field] = entry.offset;
  return meta;
}

/** Overrides written in a `sources` entry win over what the file says. */
export interface SourceOverrides {
  title?: string;
  authors?: string[];
  year?: string;
  date?: string;
  journal?: string;
  doi?: string;
  pmid?: string;
  pmcid?: string;
  registrations?: string[];
  abstract?: string;
}

export function withOverrides(meta: SourceMetadata, overrides: SourceOverrides): SourceMetadata {
  const out: SourceMetadata = { ...meta, dois: [...meta.dois], registrations: [...meta.registrations], authors: [...meta.authors] };
  if (overrides.title !== undefined) out.title = overrides.title;
  if (overrides.authors !== undefined) out.authors = overrides.authors;
  if (overrides.date !== undefined) {
    out.date = overrides.date;
    out.year = overrides.date.slice(0, 4);
  }
  if (overrides.year !== undefined) out.year = overrides.year;
  if (overrides.journal !== undefined) out.journal = overrides.journal;
  if (overrides.doi !== undefined) {
    out.doi = bareDoi(overrides.doi);
    out.dois = unique([out.doi, ...out.dois]);
  }
  if (overrides.pmid !== undefined) out.pmid = overrides.pmid;
  if (overrides.pmcid !== undefined) out.pmcid = overrides.pmcid;
  if (overrides.registrations !== undefined) out.registrations = overrides.registrations;
  if (overrides.abstract !== undefined) out.abstract = overrides.abstract;
  return out;
}
