/**
 * Reads a RevMan 5 file (.rm5, XML): the review, its people and texts
 * (rm5-sections.ts), its studies with every reference, characteristics and
 * risk-of-bias items, and every analysis with its data rows and the results
 * RevMan stored; then compares those results with ours. Pure: takes the file's
 * bytes, never touches the file system.
 */
import { FIXED_EFFECT, MEASURE, NO_TOTALS, OVERALL_TOTAL, RANDOM_EFFECTS, REVMAN_REFERENCE_KINDS, SUBGROUP_TOTALS } from "../../../../schemas/src/domain";
import type { MetaAnalysisResult, MetaAnalysisSpec, DataRow, StudyRow } from "../stats/pooling";
import { readAuthors, readDates, readExtras, readIdentifiers, readOtherReferences, readReference, readSections, readSupport, type Rm5Extra, type Rm5Identifier, type Rm5Person, type Rm5Reference, type Rm5ReferenceKind, type Rm5Section, type Rm5Support } from "./rm5-sections";
import { attrText, lineText, publishedText } from "./rm5-text";
import { at, child, descendants, elements, parseRm5Xml, type XmlElement } from "./rm5-xml";

export { Rm5Error } from "./rm5-xml";
export type { Rm5Reference } from "./rm5-sections";

export interface Rm5Stored {
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
  /** P of the heterogeneity test (a data package stores it; a .rm5's P_CHI2 is not compared). */
  pChi2?: number;
  /** Df of the test for subgroup differences (a data package stores it). */
  dfQ?: number;
  estimable?: boolean;
  /**
   * Decimal places each number was written with, when the file rounded them (a
   * data package: "0.896866"): a number matches when it differs by at most half
   * a unit in its last place. Without it the comparison is relative (1e-6).
   */
  places?: Partial<Record<StoredNumber, number>>;
}

export type StoredNumber = Exclude<keyof Rm5Stored, "estimable" | "places">;

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
  /** The forest plot's labels under the axis, [left, right] (GRAPH_LABEL_1, GRAPH_LABEL_2), when RevMan has them. */
  graphLabels?: [string, string];
  /** The forest plot's axis range (SCALE), when RevMan has one. */
  scale?: number;
  /** GIV: what the estimate is (EFFECT_MEASURE of an IV_OUTCOME, when RevMan stored one). */
  label?: string;
  /**
   * A data package wrote 0 for every stored number: RevMan Web either computed
   * nothing or found nothing estimable (the self-check tells them apart).
   */
  storedAsZeros?: boolean;
  /** The file's rows count non-events (a data package's `Swap event and non-event`); the reader swaps them back. */
  swapEvents?: boolean;
  rows: Rm5Row[];
  subgroups: Rm5Subgroup[];
  stored: Rm5Stored;
}

export interface Rm5Study {
  id: string;
  name: string;
  year?: string;
  line: number;
  references: Rm5Reference[];
  /** CHARACTERISTICS_OF_INCLUDED_STUDIES: methods, participants, interventions, outcomes, notes. */
  characteristics: Record<string, string>;
  /** The review's own characteristics (USER_DEF_n): their names and texts. */
  userDefined: { name: string; text: string }[];
  /** The study's identifiers (registrations and others). */
  identifiers: Rm5Identifier[];
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
  /** RevMan's stage: P (protocol), R (review), … */
  stage?: string;
  authors: Rm5Person[];
  /** RevMan's contact person (the corresponding author). */
  contact?: Rm5Person;
  /** The review's dates: LAST_SEARCH, UP_TO_DATE, … -> date. */
  dates: Map<string, string>;
  support: Rm5Support[];
  /** The text sections that are not empty, each without the sections inside it. */
  sections: Rm5Section[];
  included: Rm5Study[];
  excluded: Rm5Study[];
  awaiting: Rm5Study[];
  ongoing: Rm5Study[];
  /** Every REFERENCE element, in the file's order. */
  references: Rm5Reference[];
  outcomes: Rm5Outcome[];
  qualityItems: Rm5QualityItem[];
  /** What else the file holds (summary of findings tables, figures…). */
  extras: Rm5Extra[];
}

const num = (v: string | undefined): number | undefined => {
  if (v === undefined || v.trim() === "" || v === "NaN") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

function storedOf(a: Readonly<Record<string, string>>): Rm5Stored {
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
const CHARACTERISTICS = ["METHODS", "PARTICIPANTS", "INTERVENTIONS", "OUTCOMES", "NOTES"];

/** Parses a RevMan 5 review. Throws Rm5Error (with the line) when it is not RevMan XML or is truncated. */
export function readRm5(text: string): Rm5Review {
  const root = parseRm5Xml(text);
  const cover = child(root, "COVER_SHEET");
  const studiesAndReferences = child(root, "STUDIES_AND_REFERENCES");
  const studies = at(studiesAndReferences, "STUDIES");
  const list = (name: string) => elements(child(studies, name)).filter((s) => s.name === "STUDY").map((s) => readStudy(s, referenceKind(name)));
  const [included, excluded, awaiting, ongoing] = ["INCLUDED_STUDIES", "EXCLUDED_STUDIES", "AWAITING_STUDIES", "ONGOING_STUDIES"].map(list) as [Rm5Study[], Rm5Study[], Rm5Study[], Rm5Study[]];
  readCharacteristics(child(root, "CHARACTERISTICS_OF_STUDIES"), new Map([...included, ...excluded].map((s) => [s.id, s])));
  // Every reference, in the file's order: the studies' first, then the others.
  const references = [...included, ...excluded, ...awaiting, ...ongoing].flatMap((s) => s.references).concat(readOtherReferences(studiesAndReferences));
  references.sort((a, b) => a.line - b.line);
  const { authors, contact } = readAuthors(cover);
  return {
    title: lineText(child(cover, "TITLE")),
    doi: attrText(root.attrs.DOI) || undefined,
    type: root.attrs.TYPE,
    stage: root.attrs.STAGE,
    authors,
    contact,
    dates: readDates(cover),
    support: readSupport(cover),
    sections: readSections(child(root, "MAIN_TEXT")),
    included,
    excluded,
    awaiting,
    ongoing,
    references,
    outcomes: readAnalyses(child(root, "ANALYSES_AND_DATA")),
    qualityItems: elements(child(root, "QUALITY_ITEMS")).filter((q) => q.name === "QUALITY_ITEM").map(readQualityItem),
    extras: readExtras(root),
  };
}

function referenceKind(listElement: string): Rm5ReferenceKind {
  return REVMAN_REFERENCE_KINDS.find((k) => k.element === listElement)!.kind;
}

function readStudy(el: XmlElement, kind: Rm5ReferenceKind): Rm5Study {
  return {
    id: el.attrs.ID ?? "",
    name: attrText(el.attrs.NAME),
    year: el.attrs.YEAR || undefined,
    line: el.line,
    references: descendants(el, "REFERENCE").map((r) => readReference(r, kind)),
    characteristics: {},
    userDefined: [],
    identifiers: readIdentifiers(child(el, "IDENTIFIERS")),
  };
}

/** Characteristics of included studies and reasons for excluding studies. */
function readCharacteristics(el: XmlElement | undefined, byId: Map<string, Rm5Study>): void {
  for (const table of elements(el)) {
    const userDefined = (n: number) => attrText(table.attrs[`USER_DEF_${n}_NAME`]) || `User-defined ${n}`;
    for (const row of elements(table)) {
      const study = byId.get(row.attrs.STUDY_ID ?? "");
      if (!study || (row.name !== "INCLUDED_CHAR" && row.name !== "EXCLUDED_CHAR")) continue;
      for (const c of elements(row)) {
        const text = publishedText(c);
        if (!text) continue;
        const field = c.name.replace(/^CHAR_/, "");
        if (field === "REASON_FOR_EXCLUSION") study.excludedReason = text;
        else if (CHARACTERISTICS.includes(field)) study.characteristics[field.toLowerCase()] = text;
        else if (/^USER_DEF_\d+$/.test(field)) study.userDefined.push({ name: userDefined(Number(field.slice(9))), text });
      }
    }
  }
}

function readQualityItem(el: XmlElement): Rm5QualityItem {
  const item: Rm5QualityItem = {
    id: el.attrs.ID ?? "",
    name: lineText(child(el, "NAME")),
    description: publishedText(child(el, "DESCRIPTION")),
    level: el.attrs.LEVEL === "GROUP" ? "GROUP" : "STUDY",
    groups: [],
    entries: [],
  };
  for (const c of elements(el)) {
    if (c.name === "QUALITY_ITEM_DATA_ENTRY_GROUP") item.groups.push({ id: c.attrs.ID ?? "", name: lineText(child(c, "NAME")) });
    else if (c.name === "QUALITY_ITEM_DATA") {
      for (const e of elements(c)) {
        if (e.name !== "QUALITY_ITEM_DATA_ENTRY") continue;
        item.entries.push({ studyId: e.attrs.STUDY_ID ?? "", result: e.attrs.RESULT ?? "", description: publishedText(child(e, "DESCRIPTION")), groupId: e.attrs.GROUP_ID });
      }
    }
  }
  return item;
}

/** Every outcome of every comparison, with its rows and what RevMan stored. */
function readAnalyses(el: XmlElement | undefined): Rm5Outcome[] {
  // Footnotes by id, for rows that name them (FOOTNOTES="…") instead of holding them.
  const footnotes = new Map<string, string>();
  for (const f of descendants(el, "FOOTNOTE")) if (f.attrs.ID) footnotes.set(f.attrs.ID, lineText(f));
  const out: Rm5Outcome[] = [];
  for (const comparison of elements(el).filter((c) => c.name === "COMPARISON")) {
    const name = lineText(child(comparison, "NAME"));
    for (const o of elements(comparison)) if (OUTCOME_KINDS[o.name]) out.push(readOutcome(o, name, footnotes));
  }
  return out;
}

function readOutcome(el: XmlElement, comparison: string, footnotes: Map<string, string>): Rm5Outcome {
  const a = el.attrs;
  const generic = el.name === "IV_OUTCOME";
  const text = (name: string) => lineText(child(el, name));
  const graph: [string, string] = [text("GRAPH_LABEL_1"), text("GRAPH_LABEL_2")];
  const scale = num(a.SCALE);
  const outcome: Rm5Outcome = {
    id: a.ID ?? "",
    line: el.line,
    kind: OUTCOME_KINDS[el.name]!,
    name: text("NAME"),
    comparison,
    measure: generic ? MEASURE.GIV : (a.EFFECT_MEASURE ?? ""),
    method: a.METHOD ?? "IV",
    random: a.RANDOM === "YES",
    totals: a.TOTALS ?? "YES",
    hasSubgroups: a.SUBGROUPS === "YES",
    logData: a.LOG_DATA === "YES",
    groupLabels: [text("GROUP_LABEL_1"), text("GROUP_LABEL_2")],
    ...(graph[0] || graph[1] ? { graphLabels: graph } : {}),
    ...(scale !== undefined && scale > 0 ? { scale } : {}),
    rows: [],
    subgroups: [],
    stored: storedOf(a),
  };
  if (generic) {
    const label = text("EFFECT_MEASURE") || attrText(a.EFFECT_MEASURE);
    if (label) outcome.label = label;
  } else if (/^PETO/i.test(outcome.measure) || outcome.method === "PETO") {
    outcome.measure = MEASURE.PETO_OR;
    outcome.method = "PETO";
  }
  for (const c of elements(el)) {
    if (SUBGROUPS.has(c.name)) {
      const rows = elements(c).filter((r) => ROW_KINDS[r.name]).map((r) => readRow(r, footnotes));
      outcome.subgroups.push({ name: lineText(child(c, "NAME")), rows, stored: storedOf(c.attrs) });
    } else if (ROW_KINDS[c.name]) outcome.rows.push(readRow(c, footnotes));
  }
  return outcome;
}

function readRow(el: XmlElement, footnotes: Map<string, string>): Rm5Row {
  const a = el.attrs;
  const kind = ROW_KINDS[el.name]!;
  const pair = (x: string, y: string): [number, number] => [num(a[x]) ?? NaN, num(a[y]) ?? NaN];
  const row: Rm5Row = { studyId: a.STUDY_ID ?? "", line: el.line, kind, stored: storedOf(a), footnotes: [] };
  if (kind === "dichotomous") {
    row.events = pair("EVENTS_1", "EVENTS_2");
    row.total = pair("TOTAL_1", "TOTAL_2");
  } else if (kind === "continuous") {
    row.mean = pair("MEAN_1", "MEAN_2");
    row.sd = pair("SD_1", "SD_2");
    row.total = pair("TOTAL_1", "TOTAL_2");
  } else {
    row.estimate = num(a.ESTIMATE);
    row.se = num(a.SE);
    const t1 = num(a.TOTAL_1);
    const t2 = num(a.TOTAL_2);
    if (t1 !== undefined && t2 !== undefined) row.total = [t1, t2];
  }
  for (const f of elements(el)) if (f.name === "FOOTNOTE" && lineText(f)) row.footnotes.push(lineText(f));
  for (const id of (a.FOOTNOTES ?? "").split(/[\s,]+/).filter(Boolean)) if (footnotes.get(id)) row.footnotes.push(footnotes.get(id)!);
  return row;
}

/** Whether RevMan stored any result for an outcome (a pooled, subgroup or study result); blank means it never computed them. */
export function hasStoredResults(o: Rm5Outcome): boolean {
  const any = (s: Rm5Stored) => [s.effect, s.ciStart, s.ciEnd, s.chi2, s.z, s.tau2, s.q].some((v) => v !== undefined);
  const rows = [...o.rows, ...o.subgroups.flatMap((g) => g.rows)];
  return any(o.stored) || o.subgroups.some((g) => any(g.stored)) || rows.some((r) => r.stored.effect !== undefined || r.stored.ciStart !== undefined || r.stored.weight !== undefined);
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
export const RM5_TOTALS: Record<string, MetaAnalysisSpec["totals"]> = { YES: OVERALL_TOTAL, SUB: SUBGROUP_TOTALS, NO: NO_TOTALS };

/** The analysis an outcome stores, as the meta-analysis computes it. */
export function rm5Spec(o: Rm5Outcome): MetaAnalysisSpec {
  const groups = o.subgroups.length ? o.subgroups.map((s) => ({ name: s.name, rows: rm5Rows(s.rows) })) : [{ name: null, rows: rm5Rows(o.rows) }];
  return {
    measure: o.measure,
    method: o.measure === MEASURE.PETO_OR ? "PETO" : o.method,
    model: o.random ? RANDOM_EFFECTS : FIXED_EFFECT,
    tau2: "DL",
    logScale: o.logData,
    totals: RM5_TOTALS[o.totals] ?? OVERALL_TOTAL,
    groups,
  };
}

/**
 * Relative difference above 1e-6 (with an absolute floor near 0); with the
 * decimal places the stored number was written with, more than half a unit in
 * the last of them (and a hair for binary rounding).
 */
function differs(got: number | null | undefined, want: number | undefined, places?: number): boolean {
  if (want === undefined) return false;
  if (got === null || got === undefined) return want !== 0;
  if (places !== undefined) return Math.abs(got - want) > 0.5 * 10 ** -places * (1 + 1e-9) + 1e-15;
  if (Math.abs(want) < 1e-12 && Math.abs(got) < 1e-12) return false; // RevMan stores rounding noise (1.9e-30) for zero
  return Math.abs(got - want) > 1e-6 * Math.max(Math.abs(want), 1e-3);
}

/**
 * Every number RevMan stored for an outcome that `result` does not reproduce
 * ("what: got … want …"): pooled and subgroup effects, CIs, Z, P, Chi², I², τ²,
 * the test for subgroup differences, and each row's effect, CI and weight
 * (rows matched by study name and order, as a protocol lists them).
 */
export function storedMismatches(o: Rm5Outcome, result: MetaAnalysisResult, studyName: (id: string) => string = (id) => id): string[] {
  const out: string[] = [];
  const check = (what: string, got: number | null | undefined, s: Rm5Stored, key: StoredNumber) => {
    if (differs(got, s[key], s.places?.[key])) out.push(`${what}: got ${got} want ${s[key]}`);
  };
  // df and the tests' P are compared where a data package stores them (rounded); the .rm5 check has always left them out.
  const rounded = (s: Rm5Stored, key: StoredNumber) => s.places?.[key] !== undefined;
  const pooled = (what: string, p: MetaAnalysisResult["pooled"], h: MetaAnalysisResult["heterogeneity"], s: Rm5Stored) => {
    if (s.estimable === false || !p) return;
    check(`${what} effect`, p.effect, s, "effect");
    check(`${what} CI start`, p.ci[0], s, "ciStart");
    check(`${what} CI end`, p.ci[1], s, "ciEnd");
    check(`${what} Z`, p.z, s, "z");
    check(`${what} P`, p.p, s, "pZ");
    if (!h) return;
    check(`${what} Chi²`, h.q, s, "chi2");
    if (rounded(s, "df")) check(`${what} df`, h.df, s, "df");
    // With one study (df 0) RevMan shows "not applicable"; what it stores there is rounding noise.
    if (h.df > 0) check(`${what} I²`, h.i2, s, "i2");
    if (h.df > 0 && rounded(s, "pChi2")) check(`${what} heterogeneity P`, h.p, s, "pChi2");
    if (o.random) check(`${what} Tau²`, h.tau2, s, "tau2");
  };
  pooled("pooled", result.pooled, result.heterogeneity, o.stored);
  o.subgroups.forEach((sg, i) => {
    const g = result.subgroups[i];
    if (g) pooled(`subgroup '${sg.name}'`, g.pooled, g.heterogeneity, sg.stored);
  });
  const d = result.subgroupDifferences;
  if (d) {
    check("subgroup differences Chi²", d.q, o.stored, "q");
    if (rounded(o.stored, "dfQ")) check("subgroup differences df", d.df, o.stored, "dfQ");
    if (d.df > 0) check("subgroup differences I²", d.i2, o.stored, "i2Q");
    if (d.df > 0 && rounded(o.stored, "pQ")) check("subgroup differences P", d.p, o.stored, "pQ");
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
      check(`${name} effect`, s.effect, r.stored, "effect");
      check(`${name} CI start`, s.ci![0], r.stored, "ciStart");
      check(`${name} CI end`, s.ci![1], r.stored, "ciEnd");
      check(`${name} weight`, s.weight, r.stored, "weight");
    }
  }
  return out;
}
