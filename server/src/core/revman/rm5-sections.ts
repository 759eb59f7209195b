/**
 * The parts of a RevMan 5 review around its studies and numbers: authors, dates,
 * sources of support, the text sections, every reference with its identifiers,
 * and an inventory of what else the file holds (so the import can say what it
 * did not map). Reads the element tree of rm5-xml.ts.
 */
import { REVMAN_REFERENCE_KINDS, REVMAN_SECTIONS } from "../../../../schemas/src/domain";
import { attrText, isPlaceholder, lineText, publishedText } from "./rm5-text";
import { at, child, descendants, elements, type XmlElement } from "./rm5-xml";

export interface Rm5Person {
  id?: string;
  name: string;
  affiliation?: string;
  email?: string;
  address?: string;
}

export interface Rm5Support {
  internal: boolean;
  name: string;
  country?: string;
  description?: string;
}

/** One text section of the review: its own text, without the sections inside it. */
export interface Rm5Section {
  /** RevMan's element, e.g. CRIT_PARTICIPANTS. */
  element: string;
  heading: string;
  /** The top section it belongs to (e.g. RESULTS for ALLOCATION). */
  top: string;
  text: string;
}

export type Rm5ReferenceKind = (typeof REVMAN_REFERENCE_KINDS)[number]["kind"];

export interface Rm5Identifier {
  type: string;
  value: string;
}

export interface Rm5Reference {
  id: string;
  kind: Rm5ReferenceKind;
  line: number;
  type?: string;
  authors: string[];
  title?: string;
  journal?: string;
  year?: string;
  volume?: string;
  issue?: string;
  pages?: string;
  editors: string[];
  publisher?: string;
  place?: string;
  doi?: string;
  pmid?: string;
  /** Identifiers other than DOI and PubMed (CENTRAL, Embase, registries…). */
  otherIds: Rm5Identifier[];
  primary: boolean;
  /** Fields RevMan stored that CSL-JSON is not given (element -> text). */
  extra: Record<string, string>;
}

/** The text of each non-empty section in MAIN_TEXT, document order; placeholders ("[Summary text]") count as empty. */
export function readSections(mainText: XmlElement | undefined): Rm5Section[] {
  const out: Rm5Section[] = [];
  const visit = (el: XmlElement, top: string | undefined) => {
    for (const c of elements(el)) {
      // BODY only groups the sections; METHODS, RESULTS… are top sections of their own.
      if (c.name === "BODY") {
        visit(c, undefined);
        continue;
      }
      // A section RevMan does not name is read whole with its parent, or, at the top, as a section of its own.
      const heading = REVMAN_SECTIONS[c.name] ?? (top === undefined ? c.name.toLowerCase().replace(/_/g, " ") : undefined);
      if (heading === undefined) continue;
      const own = withoutSections(c);
      const text = publishedText(own);
      if (text && !isPlaceholder(text)) out.push({ element: c.name, heading, top: top ?? c.name, text });
      visit(c, top ?? c.name);
    }
  };
  if (mainText) visit(mainText, undefined);
  return out;
}

/** An element without its child sections (each is read on its own). */
function withoutSections(el: XmlElement): XmlElement {
  if (!el.children.some((c) => typeof c !== "string" && REVMAN_SECTIONS[c.name] !== undefined)) return el;
  return { ...el, children: el.children.filter((c) => typeof c === "string" || REVMAN_SECTIONS[c.name] === undefined) };
}

/** A PERSON element as an author. */
function person(el: XmlElement): Rm5Person | undefined {
  const field = (name: string, under: XmlElement | undefined = el) => lineText(child(under, name)) || undefined;
  const name = [field("FIRST_NAME"), field("MIDDLE_INITIALS"), field("LAST_NAME"), field("SUFFIX")].filter(Boolean).join(" ");
  if (!name) return undefined;
  const address = child(el, "ADDRESS");
  const country = field("COUNTRY", address);
  const join = (parts: (string | undefined)[]) => parts.filter(Boolean).join(", ") || undefined;
  return {
    id: el.attrs.ID || undefined,
    name,
    affiliation: join([field("DEPARTMENT", address), field("ORGANISATION", address), field("CITY", address), country]),
    email: field("EMAIL_1") ?? field("EMAIL_2"),
    // A postal address needs more than a city and a country.
    address: field("ADDRESS_1", address) || field("ADDRESS_2", address) || field("ZIP", address) ? join([field("ADDRESS_1", address), field("ADDRESS_2", address), field("CITY", address), field("ZIP", address), field("REGION", address), country]) : undefined,
  };
}

export function readAuthors(cover: XmlElement | undefined): { authors: Rm5Person[]; contact?: Rm5Person } {
  const authors = elements(child(cover, "CREATORS"))
    .filter((p) => p.name === "PERSON")
    .map(person)
    .filter((p): p is Rm5Person => p !== undefined);
  const contactEl = elements(child(cover, "CONTACT")).find((p) => p.name === "PERSON");
  return { authors, contact: contactEl ? person(contactEl) : undefined };
}

/** A DATE element as YYYY, YYYY-MM or YYYY-MM-DD; undefined without a year. */
function dateOf(el: XmlElement | undefined): string | undefined {
  const year = el?.attrs.YEAR?.trim();
  if (!year || !/^\d{4}$/.test(year)) return undefined;
  const two = (v: string | undefined) => (v && /^\d{1,2}$/.test(v.trim()) ? v.trim().padStart(2, "0") : undefined);
  const month = two(el!.attrs.MONTH);
  const day = month ? two(el!.attrs.DAY) : undefined;
  return [year, month, day].filter(Boolean).join("-");
}

/** The review's dates that are set: element name -> date (or issue and year for the publication dates). */
export function readDates(cover: XmlElement | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of elements(child(cover, "DATES"))) {
    const date = dateOf(child(d, "DATE"));
    const issue = d.attrs.YEAR?.trim() ? `${d.attrs.YEAR.trim()}${d.attrs.ISSUE?.trim() ? `, issue ${d.attrs.ISSUE.trim()}` : ""}` : undefined;
    if (date ?? issue) out.set(d.name, (date ?? issue)!);
  }
  return out;
}

export function readSupport(cover: XmlElement | undefined): Rm5Support[] {
  const out: Rm5Support[] = [];
  for (const [list, internal] of [["INTERNAL_SOURCES", true], ["EXTERNAL_SOURCES", false]] as const) {
    for (const s of elements(at(cover, "SOURCES_OF_SUPPORT", list))) {
      const name = lineText(child(s, "NAME"));
      const description = publishedText(child(s, "DESCRIPTION"));
      if (!name && !description) continue;
      out.push({ internal, name, country: lineText(child(s, "COUNTRY")) || undefined, description: description || undefined });
    }
  }
  return out;
}

const REFERENCE_FIELDS: Record<string, keyof Rm5Reference> = { TI: "title", SO: "journal", YR: "year", VL: "volume", NO: "issue", PG: "pages", PB: "publisher", CY: "place" };

/** A REFERENCE element (any kind). */
export function readReference(el: XmlElement, kind: Rm5ReferenceKind): Rm5Reference {
  const ref: Rm5Reference = { id: el.attrs.ID ?? "", kind, line: el.line, type: el.attrs.TYPE, authors: [], editors: [], otherIds: [], primary: el.attrs.PRIMARY === "YES", extra: {} };
  for (const f of elements(el)) {
    if (f.name === "IDENTIFIERS") {
      for (const id of readIdentifiers(f)) {
        if (id.type === "DOI" && !ref.doi) ref.doi = id.value;
        else if (id.type === "PUBMED" && !ref.pmid) ref.pmid = id.value;
        else ref.otherIds.push(id);
      }
      continue;
    }
    const text = lineText(f);
    if (!text) continue;
    if (f.name === "AU") ref.authors = splitNames(text);
    else if (f.name === "ED") ref.editors = splitNames(text);
    else if (REFERENCE_FIELDS[f.name]) (ref as unknown as Record<string, string>)[REFERENCE_FIELDS[f.name]!] = text;
    else ref.extra[f.name] = text;
  }
  return ref;
}

export function readIdentifiers(el: XmlElement | undefined): Rm5Identifier[] {
  return elements(el)
    .filter((i) => i.name === "IDENTIFIER" && attrText(i.attrs.VALUE))
    .map((i) => ({ type: (i.attrs.TYPE ?? "OTHER").toUpperCase(), value: attrText(i.attrs.VALUE) }));
}

/** RevMan's author lists: "Smith J, Jones KL". */
function splitNames(text: string): string[] {
  return text
    .split(/\s*,\s*/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The references outside studies (additional, other versions, pending), in document order. */
export function readOtherReferences(studiesAndReferences: XmlElement | undefined): Rm5Reference[] {
  const out: Rm5Reference[] = [];
  for (const group of elements(child(studiesAndReferences, "OTHER_REFERENCES"))) {
    const kind = REVMAN_REFERENCE_KINDS.find((k) => k.element === group.name)?.kind;
    if (kind) for (const r of descendants(group, "REFERENCE")) out.push(readReference(r, kind));
  }
  return out;
}

/** Something the file holds that the reader does not model: how many, named in the singular and plural (or a part in units). */
export interface Rm5Extra {
  count: number;
  one: string;
  many: string;
  /** A part counted in units ("What's new", 3 events): `many` names the part. */
  unit?: readonly [string, string];
}

/** What the file holds outside what the reader models (present and not empty only). */
export function readExtras(root: XmlElement): Rm5Extra[] {
  const out: Rm5Extra[] = [];
  const add = (count: number, one: string, many: string, unit?: readonly [string, string]) => count > 0 && out.push({ count, one, many, ...(unit ? { unit } : {}) });
  const filled = (el: XmlElement) => {
    const text = publishedText(el);
    return text !== "" && !isPlaceholder(text);
  };
  const cover = child(root, "COVER_SHEET");
  add(elements(child(cover, "WHATS_NEW")).filter(filled).length, "", "What's new", ["event", "events"]);
  add(elements(child(cover, "HISTORY")).filter(filled).length, "", "History", ["event", "events"]);
  add(elements(child(cover, "KEYWORDS")).filter(filled).length, "keyword", "keywords");
  add(elements(child(cover, "MESH_TERMS")).filter(filled).length, "MeSH term", "MeSH terms");
  const counted: [string, string, string][] = [
    ["SOF_TABLES", "summary of findings table", "summary of findings tables"],
    ["ADDITIONAL_TABLES", "additional table", "additional tables"],
    ["FIGURES", "figure", "figures"],
    ["FEEDBACK", "feedback item", "feedback items"],
    ["APPENDICES", "appendix", "appendices"],
    ["EXTENSIONS", "extension", "extensions"],
  ];
  for (const [name, one, many] of counted) {
    // A figure is there when it is named, even without a caption.
    add(elements(child(root, name)).filter((e) => filled(e) || (name === "FIGURES" && Boolean(e.attrs.FILENAME))).length, one, many);
  }
  let footnotes = 0;
  for (const table of elements(child(root, "CHARACTERISTICS_OF_STUDIES"))) footnotes += elements(child(table, "FOOTNOTES")).filter(filled).length;
  add(footnotes, "footnote of the characteristics tables", "footnotes of the characteristics tables");
  add(descendants(child(root, "ANALYSES_AND_DATA"), "OTHER_OUTCOME").filter(filled).length, "other data table (an outcome without numbers)", "other data tables (outcomes without numbers)");
  const known = new Set(["COVER_SHEET", "MAIN_TEXT", "STUDIES_AND_REFERENCES", "CHARACTERISTICS_OF_STUDIES", "QUALITY_ITEMS", "ANALYSES_AND_DATA", ...counted.map(([n]) => n)]);
  for (const e of elements(root)) if (!known.has(e.name) && filled(e)) add(1, e.name.toLowerCase().replace(/_/g, " "), e.name.toLowerCase().replace(/_/g, " "));
  return out;
}
