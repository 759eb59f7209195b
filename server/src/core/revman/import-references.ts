/**
 * A RevMan review's references as CSL-JSON (contract section 9): one entry per
 * REFERENCE element, whatever its kind, `id` = the derived key of section 3
 * (first author's family name and year, `a`, `b`… when shared), DOI and PMID
 * from RevMan's identifiers, the other identifiers and fields in `note`.
 */
import { REVMAN_REFERENCE_KINDS } from "../../../../schemas/src/domain";
import { derivedKeyBase, derivedKeys } from "../sources/bibliography";
import type { Rm5Reference, Rm5Study } from "./rm5";

/** RevMan's reference types -> CSL types. */
const CSL_TYPES: Record<string, string> = {
  JOURNAL_ARTICLE: "article-journal",
  BOOK: "book",
  BOOK_SECTION: "chapter",
  CONFERENCE_PROC: "paper-conference",
  CORRESPONDENCE: "personal_communication",
  COCHRANE_REVIEW: "article-journal",
  COCHRANE_PROTOCOL: "article-journal",
  COMPUTER_PROGRAM: "software",
  UNPUBLISHED: "manuscript",
};

type CslName = { family: string; given: string } | { literal: string };

/** "Smith JA" -> family Smith, given JA; anything else (a group, "et al") stays literal. */
function cslNames(names: readonly string[]): CslName[] {
  return names.map((a) => {
    const m = /^(.+?)\s+([A-Z][A-Z.-]*)$/.exec(a);
    return m ? { family: m[1]!, given: m[2]! } : { literal: a };
  });
}

const yearOf = (ref: Rm5Reference, study: Rm5Study | undefined) => (ref.year && /\d{4}/.exec(ref.year)?.[0]) ?? (study?.year && /\d{4}/.exec(study.year)?.[0]) ?? undefined;

/** Keys for every reference: derived as section 3 derives them; a reference without authors takes its study's name. */
export function referenceKeys(refs: readonly Rm5Reference[], studyOf: ReadonlyMap<Rm5Reference, Rm5Study>): Map<Rm5Reference, string> {
  const stubs = refs.map((r) => {
    const names = cslNames(r.authors).map((n) => ("family" in n ? { family: n.family } : { literal: n.literal }));
    const study = studyOf.get(r);
    // No authors in RevMan: the study's name ("Brink 1951") stands for them.
    const authors = names.length ? names : study ? [{ family: study.name.split(/\s+/)[0] ?? "" }] : [];
    return { authors, year: yearOf(r, study) };
  });
  // derivedKeys gives `a`, `b`… only to bases that clash, as a bibliography's own keys are derived.
  const keys = derivedKeys(stubs);
  return new Map(refs.map((r, i) => [r, keys[i] ?? derivedKeyBase(stubs[i]!.authors, stubs[i]!.year)]));
}

/** One reference as a CSL-JSON item. */
export function cslItem(ref: Rm5Reference, id: string, study: Rm5Study | undefined): Record<string, unknown> {
  const item: Record<string, unknown> = { id, type: CSL_TYPES[ref.type ?? ""] ?? "document" };
  if (ref.authors.length) item.author = cslNames(ref.authors);
  if (ref.editors.length) item.editor = cslNames(ref.editors);
  if (ref.title) item.title = ref.title;
  if (ref.journal) item["container-title"] = ref.journal;
  const year = yearOf(ref, undefined);
  if (year) item.issued = { "date-parts": [[Number(year)]] };
  else if (ref.year) item.issued = { literal: ref.year };
  if (ref.volume) item.volume = ref.volume;
  if (ref.issue) item.issue = ref.issue;
  if (ref.pages) item.page = ref.pages;
  if (ref.publisher) item.publisher = ref.publisher;
  if (ref.place) item["publisher-place"] = ref.place;
  if (ref.doi) item.DOI = ref.doi;
  if (ref.pmid) item.PMID = ref.pmid;
  const note = [
    ...ref.otherIds.map((i) => `${i.type}: ${i.value}`),
    ...Object.entries(ref.extra).map(([k, v]) => `${k}: ${v}`),
    `RevMan: ${REVMAN_REFERENCE_KINDS.find((k) => k.kind === ref.kind)?.heading ?? ref.kind}${study ? ` (${study.name})` : ""}`,
  ];
  item.note = note.join("\n");
  return item;
}

/** CSL-JSON with one field per line (names and dates on theirs): readable, and diffs stay small. */
export function cslJson(items: readonly Record<string, unknown>[]): string {
  const item = (i: Record<string, unknown>) => `  {\n${Object.entries(i).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(",\n")}\n  }`;
  return `[\n${items.map(item).join(",\n")}\n]\n`;
}
