/**
 * Reads a RevMan 5 file (.rm5, XML) with a streaming parser that keeps line
 * numbers (saxes): the review, its studies, references, risk-of-bias items,
 * characteristics and every analysis with its data rows and the results RevMan
 * stored. Pure: takes the file's bytes, never touches the file system.
 */
import { SaxesParser } from "saxes";
import type { AnalysisResult, AnalysisSpec, DataRow, StudyRow } from "./meta-analysis";

interface Rm5Stored {
  effect?: number;
  ciStart?: number;
  ciEnd?: number;
  chi2?: number;
  df?: number;
  i2?: number;
  tau2?: number;
  z?: number;
  pZ?: number;
  q?: number;
  i2Q?: number;
  pQ?: number;
  weight?: number;
  estimable?: boolean;
}

export interface Rm5Row {
  /** RevMan's study id (STD-…). */
  studyId: string;
  line: number;
  kind: "dichotomous" | "continuous" | "generic";
  events?: [number, number];
  total?: [number, number];
  mean?: [number, number];
  sd?: [number, number];
  estimate?: number;
  se?: number;
  stored: Rm5Stored;
  footnotes: string[];
}

interface Rm5Subgroup {
  name: string;
  rows: Rm5Row[];
  stored: Rm5Stored;
}

export interface Rm5Outcome {
  /** RevMan's id, e.g. CMP-001.02 */
  id: string;
  line: number;
  kind: "dichotomous" | "continuous" | "generic";
  name: string;
  comparison: string;
  measure: string;
  method: string;
  random: boolean;
  /** YES | SUB | NO */
  totals: string;
  hasSubgroups: boolean;
  logData: boolean;
  groupLabels: [string, string];
  /** GIV: what the estimate is (EFFECT_MEASURE of an IV_OUTCOME, when RevMan stored one). */
  label?: string;
  rows: Rm5Row[];
  subgroups: Rm5Subgroup[];
  stored: Rm5Stored;
}

export interface Rm5Reference {
  id: string;
  type?: string;
  authors: string[];
  title?: string;
  journal?: string;
  year?: string;
  volume?: string;
  issue?: string;
  pages?: string;
  doi?: string;
  pmid?: string;
  primary: boolean;
}

export interface Rm5Study {
  id: string;
  name: string;
  year?: string;
  line: number;
  references: Rm5Reference[];
  /** CHARACTERISTICS_OF_INCLUDED_STUDIES: methods, participants, interventions, outcomes, notes. */
  characteristics: Record<string, string>;
  excludedReason?: string;
}

export interface Rm5QualityItem {
  id: string;
  name: string;
  description: string;
  level: "STUDY" | "GROUP";
  groups: { id: string; name: string }[];
  entries: { studyId: string; result: string; description: string; groupId?: string }[];
}

export interface Rm5Review {
  title: string;
  doi?: string;
  type?: string;
  included: Rm5Study[];
  excluded: Rm5Study[];
  outcomes: Rm5Outcome[];
  qualityItems: Rm5QualityItem[];
  /** Elements the reader skips (narrative sections, figures…), counted once each. */
  skipped: Map<string, number>;
}

export class Rm5Error extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const num = (v: string | undefined): number | undefined => {
  if (v === undefined || v.trim() === "" || v === "NaN") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

function storedOf(a: Record<string, string>): Rm5Stored {
  return {
    effect: num(a.EFFECT_SIZE),
    ciStart: num(a.CI_START),
    ciEnd: num(a.CI_END),
    chi2: num(a.CHI2),
    df: num(a.DF),
    i2: num(a.I2),
    tau2: num(a.TAU2),
    z: num(a.Z),
    pZ: num(a.P_Z),
    q: num(a.Q),
    i2Q: num(a.I2_Q),
    pQ: num(a.P_Q),
    weight: num(a.WEIGHT),
    estimable: a.ESTIMABLE === undefined ? undefined : a.ESTIMABLE === "YES",
  };
}

/** The text of a file in its declared encoding (ISO-8859-1 or UTF-8). */
export function decodeRm5(bytes: Uint8Array): string {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 200));
  const declared = /encoding=["']([^"']+)["']/i.exec(head)?.[1]?.toLowerCase();
  const latin = declared !== undefined && /^(iso-8859-1|latin-?1|windows-1252|cp1252)$/.test(declared);
  return new TextDecoder(latin ? "latin1" : "utf-8").decode(bytes);
}

const ROW_KINDS: Record<string, Rm5Row["kind"]> = { DICH_DATA: "dichotomous", CONT_DATA: "continuous", IV_DATA: "generic" };
const OUTCOME_KINDS: Record<string, Rm5Outcome["kind"]> = { DICH_OUTCOME: "dichotomous", CONT_OUTCOME: "continuous", IV_OUTCOME: "generic" };
const SUBGROUPS = new Set(["DICH_SUBGROUP", "CONT_SUBGROUP", "IV_SUBGROUP"]);
/** Inline markup of RevMan's texts. */
const MARKUP = new Set(["P", "BR", "B", "I", "U", "SUP", "SUB", "TT", "LINK", "A", "LI", "OL", "UL", "SPAN", "FONT", "CITE"]);
/** Narrative and other parts the reader does not map (reported once each in the summary). */
const SKIPPED = new Set(["MAIN_TEXT", "ABSTRACT", "SUMMARY", "FIGURES", "FEEDBACK", "APPENDICES", "SOF_TABLES", "ADDITIONAL_TABLES", "WHATS_NEW", "HISTORY", "SOURCES_OF_SUPPORT", "ACKNOWLEDGEMENTS", "CONTRIBUTIONS", "DECLARATIONS_OF_INTEREST", "PUBLIC_NOTES", "DIFFERENCES_BETWEEN_PROTOCOL_AND_REVIEW"]);

/** Parses a RevMan 5 review. Throws Rm5Error (with the line) when it is not RevMan XML or is truncated. */
export function readRm5(text: string): Rm5Review {
  const parser = new SaxesParser({ position: true });
  const review: Rm5Review = { title: "", included: [], excluded: [], outcomes: [], qualityItems: [], skipped: new Map() };
  const stack: string[] = [];
  let textBuf = "";
  let root: string | undefined;
  let comparisonName = "";
  let outcome: Rm5Outcome | undefined;
  let subgroup: Rm5Subgroup | undefined;
  let row: Rm5Row | undefined;
  let study: Rm5Study | undefined;
  let reference: Rm5Reference | undefined;
  let quality: Rm5QualityItem | undefined;
  let qualityEntry: Rm5QualityItem["entries"][number] | undefined;
  let characteristicsStudy: Rm5Study | undefined;
  const footnotes = new Map<string, string>();
  const rowFootnotes: { row: Rm5Row; ids: string[] }[] = [];
  let skipDepth = 0;
  const studiesById = new Map<string, Rm5Study>();

  parser.on("opentag", (tag) => {
    const name = tag.name;
    const a = tag.attributes as unknown as Record<string, string>;
    if (!root) {
      root = name;
      if (name !== "COCHRANE_REVIEW") throw new Rm5Error(`not a RevMan 5 review: the root element is <${name}>, not <COCHRANE_REVIEW>`, parser.line);
      review.type = a.TYPE;
      review.doi = a.DOI;
    }
    stack.push(name);
    // Markup inside a text (paragraphs, line breaks, emphasis) continues the text; other elements start a new one.
    if (MARKUP.has(name)) textBuf += name === "BR" || name === "P" ? " " : "";
    else textBuf = "";
    if (skipDepth) {
      skipDepth++;
      return;
    }
    if (SKIPPED.has(name)) {
      review.skipped.set(name, (review.skipped.get(name) ?? 0) + 1);
      skipDepth = 1;
      return;
    }
    const parent = stack[stack.length - 2];
    if (OUTCOME_KINDS[name]) {
      outcome = {
        id: a.ID ?? "",
        line: parser.line,
        kind: OUTCOME_KINDS[name]!,
        name: "",
        comparison: comparisonName,
        measure: a.EFFECT_MEASURE ?? (name === "IV_OUTCOME" ? "GIV" : ""),
        method: a.METHOD ?? "IV",
        random: a.RANDOM === "YES",
        totals: a.TOTALS ?? "YES",
        hasSubgroups: a.SUBGROUPS === "YES",
        logData: a.LOG_DATA === "YES",
        groupLabels: ["", ""],
        rows: [],
        subgroups: [],
        stored: storedOf(a),
      };
      if (name === "IV_OUTCOME") {
        outcome.label = a.EFFECT_MEASURE;
        outcome.measure = "GIV";
      } else if (/^PETO/i.test(outcome.measure) || outcome.method === "PETO") {
        outcome.measure = "PETO-OR";
        outcome.method = "PETO";
      }
      review.outcomes.push(outcome);
    } else if (SUBGROUPS.has(name) && outcome) {
      subgroup = { name: "", rows: [], stored: storedOf(a) };
      outcome.subgroups.push(subgroup);
    } else if (ROW_KINDS[name] && outcome) {
      const kind = ROW_KINDS[name]!;
      row = { studyId: a.STUDY_ID ?? "", line: parser.line, kind, stored: storedOf(a), footnotes: [] };
      if (kind === "dichotomous") {
        row.events = [num(a.EVENTS_1) ?? NaN, num(a.EVENTS_2) ?? NaN];
        row.total = [num(a.TOTAL_1) ?? NaN, num(a.TOTAL_2) ?? NaN];
      } else if (kind === "continuous") {
        row.mean = [num(a.MEAN_1) ?? NaN, num(a.MEAN_2) ?? NaN];
        row.sd = [num(a.SD_1) ?? NaN, num(a.SD_2) ?? NaN];
        row.total = [num(a.TOTAL_1) ?? NaN, num(a.TOTAL_2) ?? NaN];
      } else {
        row.estimate = num(a.ESTIMATE);
        row.se = num(a.SE);
        const t1 = num(a.TOTAL_1);
        const t2 = num(a.TOTAL_2);
        if (t1 !== undefined && t2 !== undefined) row.total = [t1, t2];
      }
      (subgroup ?? outcome).rows.push(row);
      if (a.FOOTNOTES) rowFootnotes.push({ row, ids: a.FOOTNOTES.split(/[\s,]+/).filter(Boolean) });
    } else if (name === "STUDY" && (parent === "INCLUDED_STUDIES" || parent === "EXCLUDED_STUDIES")) {
      const list = parent === "INCLUDED_STUDIES" ? "included" : "excluded";
      study = { id: a.ID ?? "", name: a.NAME ?? "", year: a.YEAR, line: parser.line, references: [], characteristics: {} };
      studiesById.set(study.id, study);
      review[list].push(study);
    } else if (name === "REFERENCE" && study) {
      reference = { id: a.ID ?? "", type: a.TYPE, authors: [], primary: a.PRIMARY === "YES" };
      study.references.push(reference);
    } else if (name === "QUALITY_ITEM") {
      quality = { id: a.ID ?? "", name: "", description: "", level: a.LEVEL === "GROUP" ? "GROUP" : "STUDY", groups: [], entries: [] };
      review.qualityItems.push(quality);
    } else if (name === "QUALITY_ITEM_DATA_ENTRY" && quality) {
      qualityEntry = { studyId: a.STUDY_ID ?? "", result: a.RESULT ?? "", description: "", groupId: a.GROUP_ID };
      quality.entries.push(qualityEntry);
    } else if (name === "QUALITY_ITEM_DATA_ENTRY_GROUP" && quality) {
      quality.groups.push({ id: a.ID ?? "", name: "" });
    } else if (name === "INCLUDED_CHAR" || name === "EXCLUDED_CHAR") {
      characteristicsStudy = studiesById.get(a.STUDY_ID ?? "");
    } else if (name === "FOOTNOTE" && a.ID) {
      footnotes.set(a.ID, "");
    }
  });

  parser.on("text", (t) => {
    textBuf += t;
  });

  parser.on("closetag", (tag) => {
    const name = tag.name;
    stack.pop();
    if (skipDepth) {
      skipDepth--;
      textBuf = "";
      return;
    }
    const parent = stack[stack.length - 1];
    const text = textBuf.replace(/\s+/g, " ").trim();
    if (name === "TITLE" && parent === "COVER_SHEET") review.title = text;
    else if (name === "NAME" && parent === "COMPARISON") comparisonName = text;
    else if (name === "NAME" && outcome && OUTCOME_KINDS[parent ?? ""] && !subgroup) outcome.name = text;
    else if (name === "NAME" && subgroup && SUBGROUPS.has(parent ?? "")) subgroup.name = text;
    else if (name === "GROUP_LABEL_1" && outcome) outcome.groupLabels[0] = text;
    else if (name === "GROUP_LABEL_2" && outcome) outcome.groupLabels[1] = text;
    else if (OUTCOME_KINDS[name]) {
      outcome = undefined;
      subgroup = undefined;
    } else if (SUBGROUPS.has(name)) subgroup = undefined;
    else if (ROW_KINDS[name]) row = undefined;
    else if (name === "STUDY" && study && (parent === "INCLUDED_STUDIES" || parent === "EXCLUDED_STUDIES")) {
      study = undefined;
    } else if (reference && name === "REFERENCE") reference = undefined;
    else if (reference) {
      if (name === "AU") reference.authors.push(...text.split(/\s*,\s*/).filter(Boolean));
      else if (name === "TI") reference.title = text;
      else if (name === "SO") reference.journal = text;
      else if (name === "YR") reference.year = text;
      else if (name === "VL") reference.volume = text;
      else if (name === "NO") reference.issue = text;
      else if (name === "PG") reference.pages = text;
    } else if (quality && name === "NAME" && parent === "QUALITY_ITEM") quality.name = text;
    else if (quality && name === "DESCRIPTION" && parent === "QUALITY_ITEM") quality.description = text;
    else if (quality && name === "NAME" && parent === "QUALITY_ITEM_DATA_ENTRY_GROUP") quality.groups[quality.groups.length - 1]!.name = text;
    else if (qualityEntry && name === "DESCRIPTION" && parent === "QUALITY_ITEM_DATA_ENTRY") qualityEntry.description = text;
    else if (name === "QUALITY_ITEM_DATA_ENTRY") qualityEntry = undefined;
    else if (name === "QUALITY_ITEM") quality = undefined;
    else if (characteristicsStudy && /^CHAR_(METHODS|PARTICIPANTS|INTERVENTIONS|OUTCOMES|NOTES|REASON_FOR_EXCLUSION)$/.test(name)) {
      const key = name.slice(5).toLowerCase();
      if (key === "reason_for_exclusion") characteristicsStudy.excludedReason = text;
      else if (text) characteristicsStudy.characteristics[key] = text;
    } else if (name === "INCLUDED_CHAR" || name === "EXCLUDED_CHAR") characteristicsStudy = undefined;
    else if (name === "FOOTNOTE" && footnotes.size) {
      const id = [...footnotes.keys()].pop()!;
      if (!footnotes.get(id)) footnotes.set(id, text);
    }
    textBuf = MARKUP.has(name) ? `${textBuf} ` : "";
  });

  try {
    parser.write(text).close();
  } catch (e) {
    if (e instanceof Rm5Error) throw e;
    const m = /^(\d+):(\d+): (.*)$/s.exec((e as Error).message);
    throw new Rm5Error(`not well-formed XML: ${m ? m[3] : (e as Error).message}`, m ? Number(m[1]) : parser.line);
  }
  if (!root) throw new Rm5Error("empty file: no RevMan XML", 1);
  for (const { row: r, ids } of rowFootnotes) for (const id of ids) if (footnotes.get(id)) r.footnotes.push(footnotes.get(id)!);
  return review;
}

/** The data rows of an outcome as the meta-analysis takes them (RevMan's study ids as study names). */
function rm5Rows(rows: readonly Rm5Row[], studyName: (id: string) => string = (id) => id): StudyRow[] {
  return rows.map((r) => ({ study: studyName(r.studyId), row: rm5DataRow(r) }));
}

function rm5DataRow(r: Rm5Row): DataRow {
  if (r.kind === "dichotomous") return { kind: "dichotomous", events: r.events!, total: r.total! };
  if (r.kind === "continuous") return { kind: "continuous", mean: r.mean!, sd: r.sd!, total: r.total! };
  return { kind: "generic", estimate: r.estimate ?? NaN, se: r.se ?? NaN, total: r.total };
}

/** RevMan's TOTALS attribute as the protocol writes it. */
export const RM5_TOTALS: Record<string, AnalysisSpec["totals"]> = { YES: "overall", SUB: "subgroups", NO: "none" };

/** The analysis an outcome stores, as the meta-analysis computes it. */
export function rm5Spec(o: Rm5Outcome): AnalysisSpec {
  const groups = o.subgroups.length ? o.subgroups.map((s) => ({ name: s.name, rows: rm5Rows(s.rows) })) : [{ name: null, rows: rm5Rows(o.rows) }];
  return {
    measure: o.measure,
    method: o.measure === "PETO-OR" ? "PETO" : o.method,
    model: o.random ? "random" : "fixed",
    tau2: "DL",
    logScale: o.logData,
    totals: RM5_TOTALS[o.totals] ?? "overall",
    groups,
  };
}

/** Relative difference above 1e-6 (with an absolute floor near 0). */
function differs(got: number | null | undefined, want: number | undefined): boolean {
  if (want === undefined) return false;
  if (got === null || got === undefined) return want !== 0;
  if (Math.abs(want) < 1e-12 && Math.abs(got) < 1e-12) return false; // RevMan stores rounding noise (1.9e-30) for zero
  return Math.abs(got - want) > 1e-6 * Math.max(Math.abs(want), 1e-3);
}

/**
 * Every number RevMan stored for an outcome that `result` does not reproduce
 * ("what: got … want …"): pooled and subgroup effects, CIs, Z, P, Chi², I², τ²,
 * the test for subgroup differences, and each row's effect, CI and weight
 * (rows matched by study name and order, as a protocol lists them).
 */
export function storedMismatches(o: Rm5Outcome, result: AnalysisResult, studyName: (id: string) => string = (id) => id): string[] {
  const out: string[] = [];
  const check = (what: string, got: number | null | undefined, want: number | undefined) => {
    if (differs(got, want)) out.push(`${what}: got ${got} want ${want}`);
  };
  const pooled = (what: string, p: AnalysisResult["pooled"], h: AnalysisResult["heterogeneity"], s: Rm5Stored) => {
    if (s.estimable === false || !p) return;
    check(`${what} effect`, p.effect, s.effect);
    check(`${what} CI start`, p.ci[0], s.ciStart);
    check(`${what} CI end`, p.ci[1], s.ciEnd);
    check(`${what} Z`, p.z, s.z);
    check(`${what} P`, p.p, s.pZ);
    if (!h) return;
    check(`${what} Chi²`, h.q, s.chi2);
    // With one study (df 0) RevMan shows "not applicable"; what it stores there is rounding noise.
    if (h.df > 0) check(`${what} I²`, h.i2, s.i2);
    if (o.random) check(`${what} Tau²`, h.tau2, s.tau2);
  };
  pooled("pooled", result.pooled, result.heterogeneity, o.stored);
  o.subgroups.forEach((sg, i) => {
    const g = result.subgroups[i];
    if (g) pooled(`subgroup '${sg.name}'`, g.pooled, g.heterogeneity, sg.stored);
  });
  if (result.subgroupDifferences) {
    check("subgroup differences Chi²", result.subgroupDifferences.q, o.stored.q);
    if (result.subgroupDifferences.df > 0) check("subgroup differences I²", result.subgroupDifferences.i2, o.stored.i2Q);
  }
  const groups = o.subgroups.length ? o.subgroups.map((g) => ({ name: g.name, rows: g.rows })) : [{ name: null as string | null, rows: o.rows }];
  for (const g of groups) {
    const computed = result.studies.filter((s) => s.subgroup === g.name || (g.name === null && result.subgroups.length === 1));
    const seen = new Map<string, number>();
    for (const r of g.rows) {
      const name = studyName(r.studyId);
      const n = seen.get(name) ?? 0;
      seen.set(name, n + 1);
      const s = computed.filter((x) => x.study === name)[n];
      if (r.stored.estimable === false) {
        if (s?.estimable) out.push(`${name}: estimable, RevMan says not`);
        continue;
      }
      if (!s || !s.estimable) {
        out.push(`${name}: not estimable, RevMan estimates it`);
        continue;
      }
      check(`${name} effect`, s.effect, r.stored.effect);
      check(`${name} CI start`, s.ci![0], r.stored.ciStart);
      check(`${name} CI end`, s.ci![1], r.stored.ciEnd);
      check(`${name} weight`, s.weight, r.stored.weight);
    }
  }
  return out;
}
