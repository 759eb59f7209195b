/**
 * Outcome reporting and what is asked of a protocol: the statuses a study gives
 * an outcome, ORBIT letters (Kirkham et al. BMJ 2010), PRISMA-P 2015 items and
 * the stages a file may be at.
 */

export interface StatusDef {
  readonly id: string;
  readonly meaning: string;
  /** The study gives results for the outcome (so per-outcome tools need judgements for it). */
  readonly givesResults: boolean;
  /** Usable for synthesis: data the review can use. */
  readonly usable: boolean;
  /** How a study card words it ("reports", "partially reports", "does not report"). */
  readonly verb: string;
  /** The outcome-reporting matrix: its symbol, and how much the missing result matters (0 none, 1 suspect, 2 missing). */
  readonly symbol: string;
  readonly missing: 0 | 1 | 2;
  /** Measured, results not given: selective reporting is suspected unless an ORBIT letter says otherwise. */
  readonly withheld: boolean;
}

export const OUTCOME_STATUSES: readonly StatusDef[] = [
  { id: "reported", meaning: "Reported with data usable for synthesis", givesResults: true, usable: true, verb: "reports", symbol: "✓", missing: 0, withheld: false },
  { id: "partial", meaning: "Reported, but not usable for synthesis (e.g. only a p-value or a narrative statement)", givesResults: true, usable: false, verb: "partially reports", symbol: "½", missing: 0, withheld: false },
  { id: "measured-not-reported", meaning: "Known to be measured, but no results are given", givesResults: false, usable: false, verb: "does not report", symbol: "M", missing: 1, withheld: true },
  { id: "not-reported", meaning: "Not mentioned in the study report", givesResults: false, usable: false, verb: "does not report", symbol: "–", missing: 2, withheld: false },
  { id: "not-measured", meaning: "Clearly not measured", givesResults: false, usable: false, verb: "does not report", symbol: "∅", missing: 0, withheld: false },
];

export function statusById(id: string | undefined): StatusDef | undefined {
  return OUTCOME_STATUSES.find((s) => s.id === id);
}

/** The status of data usable for synthesis: what a study with a data row should say. */
export const USABLE_STATUS = OUTCOME_STATUSES.find((s) => s.usable)!.id;

/** The status a quick fix writes for an outcome a study says nothing about. */
export const DEFAULT_MISSING_STATUS = "not-reported";

export interface OrbitDef {
  readonly letter: string;
  readonly situation: string;
  readonly risk: "high" | "low" | "none";
  /** The reporting status the letter goes with (Kirkham 2010: A-C partial, D-F measured, G-H not mentioned, I not measured). */
  readonly status: string;
}

/** ORBIT classification of missing or incompletely reported benefit outcomes (Kirkham et al. BMJ 2010). */
export const ORBIT: readonly OrbitDef[] = [
  { letter: "A", situation: "Analysed; only \"not significant\" stated", risk: "high", status: "partial" },
  { letter: "B", situation: "Analysed; only \"significant\" stated", risk: "none", status: "partial" },
  { letter: "C", situation: "Analysed; too little data for synthesis", risk: "low", status: "partial" },
  { letter: "D", situation: "Analysed; no results given", risk: "high", status: "measured-not-reported" },
  { letter: "E", situation: "Measured; likely analysed and left out for its result", risk: "high", status: "measured-not-reported" },
  { letter: "F", situation: "Measured; unlikely to have been analysed", risk: "low", status: "measured-not-reported" },
  { letter: "G", situation: "Not mentioned; judged likely measured, analysed and left out", risk: "high", status: "not-reported" },
  { letter: "H", situation: "Not mentioned; judged unlikely to have been measured", risk: "low", status: "not-reported" },
  { letter: "I", situation: "Clearly not measured", risk: "none", status: "not-measured" },
];

/** ORBIT letters whose missing result suggests selective reporting (high risk of bias). */
export const HIGH_RISK_ORBIT: ReadonlySet<string> = new Set(ORBIT.filter((o) => o.risk === "high").map((o) => o.letter));

export interface PrismaPItem {
  readonly item: string;
  readonly title: string;
  /**
   * Where the protocol addresses it: paths of keys from the top level (`*` is any
   * list item). The item is addressed when any path leads to a non-empty value.
   */
  readonly paths: readonly (readonly string[])[];
  /** When set, the value found must also match this (e.g. the title names a protocol). */
  readonly mentions?: RegExp;
  /** Asked only when the title matches this (1b: a protocol that calls itself an update). */
  readonly askedIfTitle?: RegExp;
  /**
   * Asked of the authors: keys every author needs, keys the corresponding author
   * (else the first) needs, and keys at least one author needs (true or text).
   */
  readonly authors?: { readonly every: readonly string[]; readonly corresponding?: readonly string[]; readonly some?: readonly string[] };
}

/** PRISMA-P 2015 items (Moher et al. Syst Rev 2015) and where a protocol addresses each. */
export const PRISMA_P: readonly PrismaPItem[] = [
  { item: "1a", title: "Identification as a protocol", paths: [["title"]], mentions: /protocol/i },
  { item: "1b", title: "Update of a review", paths: [["update_of"]], askedIfTitle: /\bupdat(e|ed|ing)\b/i },
  { item: "2", title: "Registration", paths: [["registration"]] },
  {
    item: "3a",
    title: "Authors' contact details",
    paths: [["authors", "*", "email"]],
    authors: { every: ["name", "affiliation", "email"], corresponding: ["address"] },
  },
  {
    item: "3b",
    title: "Contributions and guarantor",
    paths: [["authors", "*", "contribution"]],
    authors: { every: ["contribution"], some: ["guarantor"] },
  },
  { item: "4", title: "Amendments, or the plan for documenting them", paths: [["amendments"]] },
  { item: "5a", title: "Sources of support", paths: [["support", "sources"]] },
  { item: "5b", title: "Sponsor", paths: [["support", "sponsor"]] },
  { item: "5c", title: "Role of sponsor or funder", paths: [["support", "role"]] },
  { item: "6", title: "Rationale", paths: [["rationale"]] },
  { item: "7", title: "Objectives (PICO question)", paths: [["objectives"], ["question"]] },
  { item: "8", title: "Eligibility criteria", paths: [["eligibility"]] },
  { item: "9", title: "Information sources with dates", paths: [["search", "sources"]] },
  { item: "10", title: "Search strategy", paths: [["search", "strategy"]] },
  { item: "11a", title: "Data management", paths: [["study_records", "data_management"]] },
  { item: "11b", title: "Selection process", paths: [["study_records", "selection"]] },
  { item: "11c", title: "Data collection process", paths: [["study_records", "data_collection"]] },
  { item: "12", title: "Data items", paths: [["data_items"]] },
  { item: "13", title: "Outcomes and prioritisation", paths: [["outcomes"]] },
  { item: "14", title: "Risk of bias in individual studies", paths: [["bias"]] },
  { item: "15a", title: "Synthesis criteria", paths: [["synthesis", "criteria"]] },
  { item: "15b", title: "Synthesis methods", paths: [["synthesis", "methods"]] },
  { item: "15c", title: "Additional analyses", paths: [["synthesis", "additional_analyses"]] },
  { item: "15d", title: "Summary if not pooled", paths: [["synthesis", "if_no_meta_analysis"]] },
  { item: "16", title: "Meta-bias(es)", paths: [["meta_bias"]] },
  { item: "17", title: "Confidence in cumulative evidence (e.g. GRADE)", paths: [["confidence"]] },
];

/** What the file is (contract section 2): a protocol is asked PRISMA-P's items, a completed review is not. */
export const REVIEW_STAGES = [
  { id: "protocol", name: "A protocol (the default): PRISMA-P 2015 items are checked" },
  { id: "review", name: "A completed review (what review-import writes): PRISMA-P is not asked, and missing outcome statuses are information" },
] as const;
