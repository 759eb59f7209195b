/**
 * A review as a RevMan 5 file (contract section 10): XML in UTF-8 with the
 * title, the included studies with their references, characteristics and
 * risk-of-bias items (RoB 1 by RevMan's names, or the custom tool's), the other
 * references, and every analysis with RevMan's stored results filled from ours
 * (rm5-analyses.ts). One element per line where R meta's read.rm5, which reads
 * line by line, looks for one.
 */
import { REVMAN_REFERENCE_KINDS } from "../../../../schemas/src/domain";
import { appendAll } from "../syntax/arrays";
import { analysesXml } from "./rm5-analyses";
import { revmanName, type ExportReference, type ExportReview, type ExportStudy } from "./review";
import { attrs, el, esc, paragraphs } from "./xml";

const CHARACTERISTICS = ["methods", "participants", "interventions", "outcomes", "notes"];


function referenceXml(r: ExportReference, id: string): string {
  const e = r.entry;
  const ids = [e.doi ? `<IDENTIFIER ${attrs({ TYPE: "DOI", VALUE: e.doi })}/>` : "", e.pmid ? `<IDENTIFIER ${attrs({ TYPE: "PUBMED", VALUE: e.pmid })}/>` : ""].join("");
  const fields = [e.authors.length ? el("AU", e.authors.map(revmanName).join(", ")) : "", e.title ? el("TI", e.title) : "", e.journal ? el("SO", e.journal) : "", e.year ? el("YR", e.year) : ""].join("");
  return `<REFERENCE ${attrs({ ID: id, PRIMARY: r.primary ? "YES" : "NO", TYPE: "JOURNAL_ARTICLE" })}>${fields}${ids ? `<IDENTIFIERS>${ids}</IDENTIFIERS>` : ""}</REFERENCE>`;
}

/** RevMan's study ids (STD-…), unique. */
function studyIds(studies: readonly ExportStudy[]): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const s of studies) {
    const base = `STD-${s.id.replace(/[^A-Za-z0-9._-]+/g, "-")}`;
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    out.set(s.id, id);
  }
  return out;
}

function qualityItems(review: ExportReview, ids: ReadonlyMap<string, string>): string[] {
  const out = ["<QUALITY_ITEMS>"];
  review.items.forEach((item, i) => {
    const no = String(i + 1).padStart(2, "0");
    const groupId = (g: string) => `QIG-${no}.${item.groups.indexOf(g) + 1}`;
    out.push(`<QUALITY_ITEM ${attrs({ ID: `QIT-${no}`, NO: i + 1, LEVEL: item.groups.length ? "GROUP" : "STUDY" })}>`, el("NAME", item.name));
    for (const g of item.groups) out.push(`<QUALITY_ITEM_DATA_ENTRY_GROUP ID="${groupId(g)}">${el("NAME", g)}</QUALITY_ITEM_DATA_ENTRY_GROUP>`);
    out.push("<QUALITY_ITEM_DATA>");
    for (const s of review.studies) {
      for (const j of s.judgements.filter((x) => x.item === item.name)) {
        const a = attrs({ RESULT: j.result, STUDY_ID: ids.get(s.id), GROUP_ID: j.group !== undefined ? groupId(j.group) : undefined });
        out.push(`<QUALITY_ITEM_DATA_ENTRY ${a}><DESCRIPTION>${paragraphs(j.support)}</DESCRIPTION></QUALITY_ITEM_DATA_ENTRY>`);
      }
    }
    out.push("</QUALITY_ITEM_DATA>", "</QUALITY_ITEM>");
  });
  out.push("</QUALITY_ITEMS>");
  return out;
}

function characteristicsXml(review: ExportReview, ids: ReadonlyMap<string, string>): string[] {
  const out = ["<CHARACTERISTICS_OF_STUDIES>", "<CHARACTERISTICS_OF_INCLUDED_STUDIES>"];
  for (const s of review.studies) {
    const c = s.characteristics;
    const others = Object.entries(c).filter(([k]) => !CHARACTERISTICS.includes(k));
    // Characteristics RevMan has no field for go to its notes, each on a line of its own.
    const notes = [c.notes ?? "", ...others.map(([k, v]) => `${k}: ${v}`)].filter(Boolean).join("\n");
    const fields = CHARACTERISTICS.map((k) => `<CHAR_${k.toUpperCase()}>${paragraphs(k === "notes" ? notes : (c[k] ?? ""))}</CHAR_${k.toUpperCase()}>`).join("");
    out.push(`<INCLUDED_CHAR STUDY_ID="${esc(ids.get(s.id)!)}">${fields}</INCLUDED_CHAR>`);
  }
  out.push("</CHARACTERISTICS_OF_INCLUDED_STUDIES>", "</CHARACTERISTICS_OF_STUDIES>");
  return out;
}

/** The RevMan 5 file of a review. */
export function rm5Xml(review: ExportReview, stage: "protocol" | "review"): string {
  const ids = studyIds(review.studies);
  let ref = 0;
  const refId = () => `REF-${String(++ref).padStart(5, "0")}`;
  const doi = review.id && /^10\.\d{4,9}\//.test(review.id) ? review.id : "";
  const out = ['<?xml version="1.0" encoding="UTF-8" standalone="no"?>', `<COCHRANE_REVIEW ${attrs({ DOI: doi, STAGE: stage === "review" ? "R" : "P", TYPE: "INTERVENTION", REVMAN_VERSION: "5", REVMAN_SUB_VERSION: "5.4.1" })}>`];
  out.push("<COVER_SHEET>", el("TITLE", review.title), "</COVER_SHEET>", "<MAIN_TEXT></MAIN_TEXT>", "<STUDIES_AND_REFERENCES>", "<STUDIES>", "<INCLUDED_STUDIES>");
  for (const s of review.studies) {
    out.push(`<STUDY ${attrs({ ID: ids.get(s.id), NAME: s.id, YEAR: s.year, DATA_SOURCE: "PUB" })}>`, `<REFERENCES>${s.references.map((r) => referenceXml(r, refId())).join("")}</REFERENCES>`, "</STUDY>");
  }
  out.push("</INCLUDED_STUDIES>", "</STUDIES>", "<OTHER_REFERENCES>");
  for (const kind of REVMAN_REFERENCE_KINDS.filter((k) => !k.element.endsWith("_STUDIES"))) {
    const refs = review.otherReferences.filter((r) => r.element === kind.element);
    if (refs.length) appendAll(out, [`<${kind.element}>`], refs.map((r) => referenceXml(r, refId())), [`</${kind.element}>`]);
  }
  appendAll(out, ["</OTHER_REFERENCES>", "</STUDIES_AND_REFERENCES>"], characteristicsXml(review, ids), qualityItems(review, ids), analysesXml(review.analyses, ids), ["</COCHRANE_REVIEW>"]);
  return out.join("\n") + "\n";
}
