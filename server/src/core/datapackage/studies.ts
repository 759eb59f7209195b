/**
 * A data package's study files as RevMan 5's studies, risk-of-bias items and
 * references: the study-information file (`Char: …` columns as
 * characteristics), the risk-of-bias file (`Domain (judgement): X` and
 * `Domain (support): X` per domain; "Domain: group" columns as one item per
 * group, as RevMan's group-level items), and the RIS file of the included
 * studies' references (`NS` names the study).
 */
import { PACKAGE_CHARACTERISTIC_PREFIX, PACKAGE_CHARACTERISTICS, PACKAGE_ROB_JUDGEMENT_PREFIX, PACKAGE_ROB_NOT_APPLICABLE, PACKAGE_ROB_RESULTS, PACKAGE_ROB_SUPPORT_PREFIX, REVMAN_ROB1_ITEMS } from "../../../../schemas/src/domain";
import type { Rm5QualityItem, Rm5Reference, Rm5Study } from "../revman/rm5";
import { PackageError, requireColumns, type CsvTable } from "./csv";

const study = (name: string, year: string | undefined, line: number): Rm5Study => ({ id: name, name, year: year || undefined, line, references: [], characteristics: {}, userDefined: [], identifiers: [] });

/** Included studies: those of the study-information file, then any a data row names that it lacks. */
export function readStudies(table: CsvTable | undefined, rowStudies: readonly { name: string; year?: string; line: number }[]): Rm5Study[] {
  const out = new Map<string, Rm5Study>();
  if (table) {
    requireColumns(table, ["Study"]);
    for (const r of table.records) {
      const s = study(r.get("Study"), r.get("Year"), r.line);
      for (const column of table.columns.filter((c) => c.startsWith(PACKAGE_CHARACTERISTIC_PREFIX))) {
        const text = r.get(column);
        if (!text) continue;
        const name = column.slice(PACKAGE_CHARACTERISTIC_PREFIX.length);
        const key = PACKAGE_CHARACTERISTICS[name];
        if (key) s.characteristics[key] = text;
        else s.userDefined.push({ name, text });
      }
      if (!out.has(s.name)) out.set(s.name, s);
    }
  }
  for (const r of rowStudies) if (!out.has(r.name)) out.set(r.name, study(r.name, r.year, r.line));
  return [...out.values()];
}

/** Splits "Blinding of outcome assessment (detection bias): All outcomes" into a RoB 1 item and its group. */
function itemAndGroup(domain: string): { name: string; group?: string } {
  const at = domain.lastIndexOf(": ");
  if (at > 0 && REVMAN_ROB1_ITEMS.some(([re]) => re.test(domain.slice(0, at)))) return { name: domain.slice(0, at), group: domain.slice(at + 2) };
  return { name: domain };
}

export interface PackageRob {
  items: Rm5QualityItem[];
  /** Judgements the tool has no place for ("Some concerns" in a RoB 1 table), by text. */
  unmapped: Map<string, number>;
}

/** The risk-of-bias file as RevMan 5 quality items; "Not applicable" is left out. */
export function readRiskOfBias(table: CsvTable | undefined): PackageRob {
  const items = new Map<string, Rm5QualityItem>();
  const unmapped = new Map<string, number>();
  if (!table) return { items: [], unmapped };
  requireColumns(table, ["Study"]);
  for (const column of table.columns.filter((c) => c.startsWith(PACKAGE_ROB_JUDGEMENT_PREFIX))) {
    const domain = column.slice(PACKAGE_ROB_JUDGEMENT_PREFIX.length);
    const { name, group } = itemAndGroup(domain);
    let item = items.get(name);
    if (!item) items.set(name, (item = { id: `QIT-${items.size + 1}`, name, description: "", level: group ? "GROUP" : "STUDY", groups: [], entries: [] }));
    let groupId: string | undefined;
    if (group !== undefined) {
      groupId = item.groups.find((g) => g.name === group)?.id;
      if (!groupId) item.groups.push({ id: (groupId = `${item.id}.${item.groups.length + 1}`), name: group });
    }
    for (const r of table.records) {
      const text = r.get(column);
      if (!text || text === PACKAGE_ROB_NOT_APPLICABLE) continue;
      const result = PACKAGE_ROB_RESULTS[text];
      if (!result) {
        unmapped.set(text, (unmapped.get(text) ?? 0) + 1);
        continue;
      }
      item.entries.push({ studyId: r.get("Study"), result, description: r.get(`${PACKAGE_ROB_SUPPORT_PREFIX}${domain}`), groupId });
    }
  }
  return { items: [...items.values()], unmapped };
}

/** RIS tags -> the reference's fields (the others are kept as extra fields). */
const RIS_FIELDS: Record<string, keyof Rm5Reference> = { TI: "title", T1: "title", JO: "journal", JF: "journal", T2: "journal", JA: "journal", PY: "year", Y1: "year", VL: "volume", IS: "issue", SP: "pages", PB: "publisher", CY: "place", DO: "doi" };
const RIS_TYPES: Record<string, string> = { JOUR: "JOURNAL_ARTICLE", BOOK: "BOOK", CHAP: "BOOK_SECTION", CONF: "CONFERENCE_PROC", CPAPER: "CONFERENCE_PROC", UNPB: "UNPUBLISHED", COMP: "COMPUTER_PROGRAM", PCOMM: "CORRESPONDENCE" };

/** The RIS file: one reference per record; `NS` (the study's name) attaches it to its study, the first as its primary. */
export function readRis(text: string, file: string, studies: readonly Rm5Study[]): Rm5Reference[] {
  const byName = new Map(studies.map((s) => [s.name, s]));
  const out: Rm5Reference[] = [];
  let ref: Rm5Reference | undefined;
  let study: string | undefined;
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((line, i) => {
    const m = /^([A-Z][A-Z0-9]) {2}-(?: (.*))?$/.exec(line);
    if (!m) {
      if (line.trim() && !ref) throw new PackageError(`not a RIS line: '${line.slice(0, 40)}'`, file, i + 1);
      return;
    }
    const [, tag, value = ""] = m;
    const v = value.trim();
    if (tag === "TY") {
      ref = { id: `REF-${out.length + 1}`, kind: "included", line: i + 1, type: RIS_TYPES[v] ?? "JOURNAL_ARTICLE", authors: [], editors: [], otherIds: [], primary: false, extra: {} };
      study = undefined;
    } else if (!ref) throw new PackageError(`'${tag}' before the record's TY`, file, i + 1);
    else if (tag === "ER") {
      const s = study !== undefined ? byName.get(study) : undefined;
      if (s) {
        ref.primary = s.references.length === 0;
        s.references.push(ref);
      }
      out.push(ref);
      ref = undefined;
    } else if (!v) return;
    else if (tag === "NS") study = v;
    else if (tag === "AU" || tag === "A1") ref.authors.push(v);
    else if (tag === "ED" || tag === "A2") ref.editors.push(v);
    else if (tag === "EP") ref.pages = ref.pages ? `${ref.pages}-${v}` : v;
    else if (RIS_FIELDS[tag!]) (ref as unknown as Record<string, string>)[RIS_FIELDS[tag!]!] = v;
    else ref.extra[tag!] = v;
  });
  return out;
}
