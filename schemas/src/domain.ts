/**
 * Domain facts: risk-of-bias tools, outcome-reporting statuses, ORBIT letters,
 * PRISMA-P items and GRADE. This module is the only place these facts live;
 * the zod schema, every check, and (later) hovers and completions read them
 * from here. Source: ../shared/design/risk-of-bias-tools.md.
 */

interface JudgementDef {
  readonly id: string;
  /** What the judgement means, for hovers. */
  readonly meaning: string;
  /**
   * Severity rank for the overall rule: higher is more severe. `undefined` means
   * the value is left out of the comparison (no-information, not-applicable).
   */
  readonly severity?: number;
}

interface DomainDef {
  readonly id: string;
  /** The tool's own name of the domain. */
  readonly name: string;
  /** Short label used by the tool (D1, D2, … or the bias type for RoB 1). */
  readonly label: string;
  /** QUADAS-2: the domain also takes an `applicability` judgement. */
  readonly applicability?: boolean;
  /**
   * An older form of the tool's domains: judging this one stands for these
   * (RoB 1's 2008 `blinding` for both blinding domains). Such a domain is never
   * required itself.
   */
  readonly standsFor?: readonly string[];
}

export interface ToolDef {
  readonly id: string;
  readonly name: string;
  /** `study`: one set of judgements per study; `outcome`: per study and outcome (result). */
  readonly per: "study" | "outcome";
  readonly judgements: readonly JudgementDef[];
  readonly domains: readonly DomainDef[];
  /** What the tool says about the overall judgement, for hovers and messages. */
  readonly overallRule: string;
  /**
   * An overall `low` needs every domain `low` (RoB 2 and ROBINS: the published
   * algorithms), on top of "no milder than the worst domain".
   */
  readonly lowNeedsAllLow?: boolean;
  /** No overall rule at all (QUADAS-2): an `overall` is not checked. */
  readonly noOverallRule?: boolean;
  /** RoB 1: domains may be judged per group of outcomes (Handbook 5.1 §8.12.2). */
  readonly groupsOfOutcomes?: boolean;
  /** Values authors write that are not judgements of this tool, with why (for the message). */
  readonly notJudgements?: Readonly<Record<string, string>>;
  /**
   * Study designs the tool is not made for (contract section 2, `tool-design-mismatch`).
   * `reviewTypes`: the review types it is made for (QUADAS-2: diagnostic accuracy only);
   * undefined means every type but the ones another tool claims.
   */
  readonly notForDesigns: readonly string[];
  readonly reviewTypes?: readonly string[];
  /** RoB 1: the overall follows the key domains `bias.key_domains` names (Handbook 5.1 §8.7). */
  readonly keyDomains?: boolean;
  /** RoB 1: selective reporting is judged from the outcomes' reporting (ORBIT letters; Kirkham 2010). */
  readonly selectiveReportingFromOrbit?: boolean;
}

const LOW_HIGH_UNCLEAR: readonly JudgementDef[] = [
  { id: "low", meaning: "Low risk of bias", severity: 0 },
  { id: "unclear", meaning: "Unclear risk of bias: too little information to judge", severity: 1 },
  { id: "high", meaning: "High risk of bias", severity: 2 },
];

const ROB2_JUDGEMENTS: readonly JudgementDef[] = [
  { id: "low", meaning: "Low risk of bias", severity: 0 },
  { id: "some-concerns", meaning: "Some concerns", severity: 1 },
  { id: "high", meaning: "High risk of bias", severity: 2 },
];

const SIGNALLING_ANSWER =
  "answers a signalling question, not a domain: RoB 2 judges every domain and the overall as low, some-concerns or high " +
  "(the algorithm maps \"no information\" answers to one of them). Leave the judgement empty until it is assessed";

const ROB2_NOT_JUDGEMENTS: Readonly<Record<string, string>> = {
  "no-information": `"No information" ${SIGNALLING_ANSWER}`,
  "not-applicable": `"Not applicable" ${SIGNALLING_ANSWER}`,
  unclear: "'unclear' is a RoB 1 judgement; RoB 2 judges low, some-concerns or high",
};

/** The study designs a record may name; the first is a new record's default. */
export const STUDY_DESIGNS = [
  "rct", "cluster-rct", "crossover-rct", "quasi-rct", "nrsi", "cohort", "case-control", "cross-sectional", "other",
] as const;

/** Designs that are not randomised: RoB 1 and RoB 2 are not made for them (ROBINS-I/E are). */
const NON_RANDOMISED = ["nrsi", "cohort", "case-control", "cross-sectional"];
const RANDOMISED = ["rct", "cluster-rct", "crossover-rct"];
/** Review types other than diagnostic accuracy (QUADAS-2 is for diagnostic accuracy only). */
const DIAGNOSTIC_ACCURACY = "diagnostic-accuracy";

const ROB2_DOMAINS: readonly DomainDef[] = [
  { id: "randomisation-process", label: "D1", name: "Bias arising from the randomisation process" },
  { id: "deviations-from-intended-interventions", label: "D2", name: "Bias due to deviations from intended interventions" },
  { id: "missing-outcome-data", label: "D3", name: "Bias due to missing outcome data" },
  { id: "measurement-of-the-outcome", label: "D4", name: "Bias in measurement of the outcome" },
  { id: "selection-of-the-reported-result", label: "D5", name: "Bias in selection of the reported result" },
];

const ROB2_OVERALL =
  "Low only if every domain is low; some concerns if any domain has some concerns and none is high; " +
  "high if any domain is high (or several domains have some concerns). An overall milder than the worst domain is inconsistent (Sterne et al. BMJ 2019).";

export const TOOLS: readonly ToolDef[] = [
  {
    id: "rob1",
    name: "Cochrane risk-of-bias tool (RoB 1)",
    per: "study",
    judgements: LOW_HIGH_UNCLEAR,
    overallRule:
      "No formal overall rule: the summary rests on the key domains the reviewers choose (Handbook 5.1 §8.7, `bias.key_domains`; all domains when not given). An overall, if given, should be no milder than the worst of them.",
    groupsOfOutcomes: true,
    keyDomains: true,
    selectiveReportingFromOrbit: true,
    notForDesigns: NON_RANDOMISED,
    notJudgements: {
      "some-concerns": "'some-concerns' is a RoB 2 judgement; RoB 1 judges low, unclear or high",
      "no-information": "RoB 1 has no 'no-information': a domain with too little information is judged 'unclear'",
    },
    domains: [
      { id: "random-sequence-generation", name: "Random sequence generation", label: "selection bias" },
      { id: "allocation-concealment", name: "Allocation concealment", label: "selection bias" },
      { id: "blinding-of-participants-and-personnel", name: "Blinding of participants and personnel", label: "performance bias" },
      { id: "blinding-of-outcome-assessment", name: "Blinding of outcome assessment", label: "detection bias" },
      { id: "incomplete-outcome-data", name: "Incomplete outcome data", label: "attrition bias" },
      { id: "selective-reporting", name: "Selective reporting", label: "reporting bias" },
      { id: "other-bias", name: "Other bias", label: "other bias" },
      {
        id: "blinding",
        name: "Blinding (2008 form: performance and detection bias together)",
        label: "performance and detection bias",
        standsFor: ["blinding-of-participants-and-personnel", "blinding-of-outcome-assessment"],
      },
    ],
  },
  {
    id: "rob2",
    name: "RoB 2 (revised Cochrane risk-of-bias tool for randomised trials)",
    per: "outcome",
    judgements: ROB2_JUDGEMENTS,
    overallRule: ROB2_OVERALL,
    lowNeedsAllLow: true,
    notJudgements: ROB2_NOT_JUDGEMENTS,
    notForDesigns: [...NON_RANDOMISED, "cluster-rct", "crossover-rct"],
    domains: ROB2_DOMAINS,
  },
  {
    id: "rob2-cluster",
    name: "RoB 2 for cluster-randomised trials",
    per: "outcome",
    judgements: ROB2_JUDGEMENTS,
    overallRule: ROB2_OVERALL,
    lowNeedsAllLow: true,
    notJudgements: ROB2_NOT_JUDGEMENTS,
    notForDesigns: NON_RANDOMISED,
    domains: [
      ROB2_DOMAINS[0]!,
      {
        id: "timing-of-identification-and-recruitment",
        label: "D1b",
        name: "Bias arising from the timing of identification and recruitment of individual participants in relation to timing of randomisation",
      },
      ...ROB2_DOMAINS.slice(1),
    ],
  },
  {
    id: "rob2-crossover",
    name: "RoB 2 for crossover trials",
    per: "outcome",
    judgements: ROB2_JUDGEMENTS,
    overallRule: ROB2_OVERALL,
    lowNeedsAllLow: true,
    notJudgements: ROB2_NOT_JUDGEMENTS,
    notForDesigns: NON_RANDOMISED,
    domains: [
      ROB2_DOMAINS[0]!,
      { id: "period-and-carryover-effects", label: "DS", name: "Bias arising from period and carryover effects" },
      ...ROB2_DOMAINS.slice(1),
    ],
  },
  {
    id: "robins-i",
    name: "ROBINS-I (Risk Of Bias In Non-randomised Studies - of Interventions)",
    per: "outcome",
    overallRule:
      "At least as severe as the most severe domain, and low only when every domain is low (Sterne et al. BMJ 2016; with a domain lacking information and none serious or critical, the published overall is \"no information\").",
    lowNeedsAllLow: true,
    notForDesigns: RANDOMISED,
    judgements: [
      { id: "low", meaning: "Low risk of bias (comparable to a well-performed randomised trial)", severity: 0 },
      { id: "moderate", meaning: "Moderate risk of bias: sound for a non-randomised study, not comparable to a well-performed randomised trial", severity: 1 },
      { id: "serious", meaning: "Serious risk of bias: the study has some important problems", severity: 2 },
      { id: "critical", meaning: "Critical risk of bias: too problematic to provide useful evidence", severity: 3 },
      { id: "no-information", meaning: "No information on which to base a judgement" },
    ],
    domains: [
      { id: "confounding", label: "D1", name: "Bias due to confounding" },
      { id: "selection-of-participants", label: "D2", name: "Bias in selection of participants into the study" },
      { id: "classification-of-interventions", label: "D3", name: "Bias in classification of interventions" },
      { id: "deviations-from-intended-interventions", label: "D4", name: "Bias due to deviations from intended interventions" },
      { id: "missing-data", label: "D5", name: "Bias due to missing data" },
      { id: "measurement-of-outcomes", label: "D6", name: "Bias in measurement of outcomes" },
      { id: "selection-of-the-reported-result", label: "D7", name: "Bias in selection of the reported result" },
    ],
  },
  {
    id: "robins-e",
    name: "ROBINS-E (Risk Of Bias In Non-randomised Studies - of Exposures)",
    per: "outcome",
    overallRule: "At least as severe as the most severe domain, and low only when every domain is low (ROBINS-E 2023).",
    lowNeedsAllLow: true,
    notForDesigns: RANDOMISED,
    judgements: [
      { id: "low", meaning: "Low risk of bias", severity: 0 },
      { id: "some-concerns", meaning: "Some concerns", severity: 1 },
      { id: "high", meaning: "High risk of bias", severity: 2 },
      { id: "very-high", meaning: "Very high risk of bias", severity: 3 },
      { id: "no-information", meaning: "No information on which to base a judgement" },
    ],
    domains: [
      { id: "confounding", label: "D1", name: "Bias due to confounding" },
      { id: "measurement-of-the-exposure", label: "D2", name: "Bias arising from measurement of the exposure" },
      { id: "selection-of-participants", label: "D3", name: "Bias in selection of participants into the study (or into the analysis)" },
      { id: "post-exposure-interventions", label: "D4", name: "Bias due to post-exposure interventions" },
      { id: "missing-data", label: "D5", name: "Bias due to missing data" },
      { id: "measurement-of-the-outcome", label: "D6", name: "Bias arising from measurement of the outcome" },
      { id: "selection-of-the-reported-result", label: "D7", name: "Bias in selection of the reported result" },
    ],
  },
  {
    id: "quadas-2",
    name: "QUADAS-2 (Quality Assessment of Diagnostic Accuracy Studies)",
    per: "study",
    judgements: LOW_HIGH_UNCLEAR,
    overallRule: "No overall rule (Whiting et al. 2011): each domain's risk of bias and applicability concerns are reported on their own.",
    noOverallRule: true,
    notForDesigns: [],
    reviewTypes: [DIAGNOSTIC_ACCURACY],
    domains: [
      { id: "patient-selection", label: "Domain 1", name: "Patient selection", applicability: true },
      { id: "index-test", label: "Domain 2", name: "Index test(s)", applicability: true },
      { id: "reference-standard", label: "Domain 3", name: "Reference standard", applicability: true },
      { id: "flow-and-timing", label: "Domain 4", name: "Flow and timing" },
    ],
  },
];

/** QUADAS-2: what an `applicability` value means (Whiting et al. 2011). */
export const APPLICABILITY_CONCERNS: Readonly<Record<string, string>> = {
  low: "Low concern that the study does not match the review question",
  high: "High concern that the study does not match the review question",
  unclear: "Unclear concern regarding applicability",
};

/** Tool ids a protocol may name; `custom` brings its own domains in `bias.domains`. */
/** The tool a new protocol starts with: RoB 2, the Handbook's current tool for randomised trials. */
export const DEFAULT_TOOL = "rob2";

/** The tool whose domains and judgements the protocol defines (`bias.domains`). */
export const CUSTOM_TOOL_ID = "custom";

export const TOOL_IDS = [...TOOLS.map((t) => t.id), CUSTOM_TOOL_ID] as const;

/** RevMan 5's risk-of-bias table is RoB 1. */
export const REVMAN_ROB_TOOL = "rob1";

/** RevMan's RoB 1 item names (both namings) -> rob1 domain ids (contract section 9). */
export const REVMAN_ROB1_ITEMS: readonly (readonly [RegExp, string])[] = [
  [/^(random sequence generation|adequate sequence generation)/i, "random-sequence-generation"],
  [/^allocation concealment/i, "allocation-concealment"],
  [/^blinding of participants and personnel/i, "blinding-of-participants-and-personnel"],
  [/^blinding of outcome assessment/i, "blinding-of-outcome-assessment"],
  [/^blinding( \(performance bias and detection bias\)|\?)?\s*$/i, "blinding"],
  [/^incomplete outcome data/i, "incomplete-outcome-data"],
  [/^(selective reporting|free of selective reporting)/i, "selective-reporting"],
  [/^(other bias|free of other bias)/i, "other-bias"],
];
/** RevMan 5's review types -> the protocol's `type`. */
export const REVMAN_REVIEW_TYPES: Readonly<Record<string, string>> = { INTERVENTION: "intervention", DIAGNOSTIC: "diagnostic-accuracy", METHODOLOGY: "other", OVERVIEW: "other", PROGNOSIS: "prognosis", QUALITATIVE: "qualitative" };

/** RevMan 5 stores RoB 1 judgements as YES (low risk), NO (high risk) and UNKNOWN (unclear). */
export const REVMAN_ROB1_RESULTS: Readonly<Record<string, string>> = { YES: "low", NO: "high", UNKNOWN: "unclear" };

/** RevMan 5's text sections (its XML elements) with the headings a published Cochrane review prints for them. */
export const REVMAN_SECTIONS: Readonly<Record<string, string>> = {
  SUMMARY: "Plain language summary",
  ABSTRACT: "Abstract",
  BACKGROUND: "Background",
  CONDITION: "Description of the condition",
  INTERVENTION: "Description of the intervention",
  THEORY: "How the intervention might work",
  IMPORTANCE: "Why it is important to do this review",
  OBJECTIVES: "Objectives",
  METHODS: "Methods",
  SELECTION_CRITERIA: "Criteria for considering studies for this review",
  CRIT_STUDIES: "Types of studies",
  CRIT_PARTICIPANTS: "Types of participants",
  CRIT_INTERVENTIONS: "Types of interventions",
  CRIT_OUTCOMES: "Types of outcome measures",
  CRIT_OUTCOMES_PRIMARY: "Primary outcomes",
  CRIT_OUTCOMES_SECONDARY: "Secondary outcomes",
  SEARCH_METHODS: "Search methods for identification of studies",
  ELECTRONIC_SEARCHES: "Electronic searches",
  OTHER_SEARCHES: "Searching other resources",
  DATA_COLLECTION: "Data collection and analysis",
  STUDY_SELECTION: "Selection of studies",
  DATA_EXTRACTION: "Data extraction and management",
  QUALITY_ASSESSMENT: "Assessment of risk of bias in included studies",
  EFFECT_MEASURES: "Measures of treatment effect",
  UNIT_OF_ANALYSIS: "Unit of analysis issues",
  MISSING_DATA: "Dealing with missing data",
  HETEROGENEITY_ASSESSMENT: "Assessment of heterogeneity",
  BIAS_ASSESSMENT: "Assessment of reporting biases",
  DATA_SYNTHESIS: "Data synthesis",
  SUBGROUP_ANALYSIS: "Subgroup analysis and investigation of heterogeneity",
  SENSITIVITY_ANALYSIS: "Sensitivity analysis",
  RESULTS: "Results",
  DISCUSSION: "Discussion",
  CONCLUSIONS: "Authors' conclusions",
  ACKNOWLEDGEMENTS: "Acknowledgements",
  CONFLICT_OF_INTEREST: "Declarations of interest",
  DECLARATIONS_OF_INTEREST: "Declarations of interest",
  CONTRIBUTIONS: "Contributions of authors",
  PRO_REV_DIFF: "Differences between protocol and review",
  PUBLIC_NOTES: "Published notes",
};

/** RevMan 5's kinds of reference (the element a REFERENCE sits in), with the heading a published review prints for them. */
export const REVMAN_REFERENCE_KINDS = [
  { element: "INCLUDED_STUDIES", kind: "included", short: "to included studies", heading: "References to studies included in this review" },
  { element: "EXCLUDED_STUDIES", kind: "excluded", short: "to excluded studies", heading: "References to studies excluded from this review" },
  { element: "AWAITING_STUDIES", kind: "awaiting", short: "to studies awaiting assessment", heading: "References to studies awaiting assessment" },
  { element: "ONGOING_STUDIES", kind: "ongoing", short: "to ongoing studies", heading: "References to ongoing studies" },
  { element: "ADDITIONAL_REFERENCES", kind: "additional", short: "additional", heading: "Additional references" },
  { element: "OTHER_VERSIONS_REFERENCES", kind: "other-versions", short: "to other versions of this review", heading: "References to other published versions of this review" },
  { element: "PENDING_REFERENCES", kind: "pending", short: "pending", heading: "Pending references" },
] as const;

export function toolById(id: string): ToolDef | undefined {
  return TOOLS.find((t) => t.id === id);
}

/** Whether a tool is made for studies of a design in a review of a type (contract section 2). */
export function toolFitsDesign(tool: ToolDef, design: string, reviewType: string | undefined): boolean {
  const dta = reviewType === DIAGNOSTIC_ACCURACY;
  if (tool.reviewTypes) return reviewType === undefined || tool.reviewTypes.includes(reviewType);
  if (dta) return false;
  return !tool.notForDesigns.includes(design);
}

/** The tool to use for a design (the `tool-design-mismatch` message and fix), or undefined (custom). */
export function recommendedTool(design: string, reviewType: string | undefined): string | undefined {
  if (reviewType === DIAGNOSTIC_ACCURACY) return "quadas-2";
  const byDesign: Record<string, string> = { rct: "rob2", "cluster-rct": "rob2-cluster", "crossover-rct": "rob2-crossover" };
  if (byDesign[design]) return byDesign[design];
  if (design === "quasi-rct" || NON_RANDOMISED.includes(design)) return reviewType === "intervention" || reviewType === undefined ? "robins-i" : "robins-e";
  return undefined;
}

/** The key that holds the overall judgement inside a risk-of-bias block. */
export const OVERALL_KEY = "overall";

/** The RoB 1 domain that covers missing or partly reported outcomes. */
export const SELECTIVE_REPORTING_DOMAIN = "selective-reporting";

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

/** GRADE facts for hovers on `confidence`. */
export const GRADE = {
  downgrade: ["risk of bias", "inconsistency", "indirectness", "imprecision", "publication bias"],
  upgrade: ["large effect", "dose-response", "plausible confounding"],
  certainty: ["high", "moderate", "low", "very low"],
} as const;

/**
 * GRADE certainty of a body of evidence (contract section 11; GRADE Handbook 5,
 * Cochrane Handbook 14.2). `level` is the number the computation works in.
 */
export const CERTAINTY_LEVELS = [
  { id: "high", level: 4, symbol: "⊕⊕⊕⊕", meaning: "We are very confident that the true effect lies close to that of the estimate of the effect." },
  { id: "moderate", level: 3, symbol: "⊕⊕⊕◯", meaning: "We are moderately confident in the effect estimate: the true effect is likely to be close to the estimate, but there is a possibility that it is substantially different." },
  { id: "low", level: 2, symbol: "⊕⊕◯◯", meaning: "Our confidence in the effect estimate is limited: the true effect may be substantially different from the estimate." },
  { id: "very-low", level: 1, symbol: "⊕◯◯◯", meaning: "We have very little confidence in the effect estimate: the true effect is likely to be substantially different from the estimate." },
] as const;

/** Where a body of evidence starts: randomised trials high, non-randomised studies low (GRADE Handbook 5.1). */
export const CERTAINTY_STARTS = [
  { id: "high", level: 4, meaning: "Randomised trials start at high certainty." },
  { id: "low", level: 2, meaning: "Non-randomised studies start at low certainty (ROBINS-I assessments may start high; say so by writing `start: high`)." },
] as const;

/** A downgrading rating: how many levels it takes off. */
export const CERTAINTY_RATINGS = [
  { id: "no", levels: 0, meaning: "No serious concern: not rated down." },
  { id: "serious", levels: 1, meaning: "Serious concern: rated down one level." },
  { id: "very-serious", levels: 2, meaning: "Very serious concern: rated down two levels." },
] as const;

/** The five GRADE domains that rate certainty down, with the ratings each allows. */
export const CERTAINTY_DOMAINS = [
  { id: "risk_of_bias", name: "Risk of bias", ratings: ["no", "serious", "very-serious"], source: "GRADE Handbook 5.2.1; Guyatt et al., J Clin Epidemiol 2011 (GRADE guidelines 4)", meaning: "Limitations in the design or conduct of the studies that may bias the estimate: judged from the studies' risk-of-bias assessments, weighted by their contribution to the result." },
  { id: "inconsistency", name: "Inconsistency", ratings: ["no", "serious", "very-serious"], source: "GRADE Handbook 5.2.3; Guyatt et al., J Clin Epidemiol 2011 (GRADE guidelines 7)", meaning: "Unexplained heterogeneity of results: point estimates far apart, CIs that barely overlap, a large I² (Cochrane Handbook 10.10.2: 50–90% may be substantial)." },
  { id: "indirectness", name: "Indirectness", ratings: ["no", "serious", "very-serious"], source: "GRADE Handbook 5.2.5; Guyatt et al., J Clin Epidemiol 2011 (GRADE guidelines 8)", meaning: "The evidence differs from the review question in population, intervention, comparator or outcome, or the comparison is only indirect." },
  { id: "imprecision", name: "Imprecision", ratings: ["no", "serious", "very-serious"], source: "GRADE Handbook 5.2.2; Guyatt et al., J Clin Epidemiol 2011 (GRADE guidelines 6)", meaning: "Few events or participants, or a CI that includes both no effect and an appreciable benefit or harm (for ratios, below 0.75 or above 1.25), or a total below the optimal information size." },
  { id: "publication_bias", name: "Publication bias", ratings: ["no", "serious"], source: "GRADE Handbook 5.2.4; Guyatt et al., J Clin Epidemiol 2011 (GRADE guidelines 5); Egger et al., BMJ 1997", meaning: "Studies missing from the review because of their results: suspected from funnel-plot asymmetry (Egger's test with 10 or more studies), small industry-funded trials, or unpublished registered studies." },
] as const;

/** The three GRADE domains that rate certainty up (non-randomised evidence only). */
export const CERTAINTY_UPGRADES = [
  { id: "large_effect", name: "Large effect", max: 2, source: "GRADE Handbook 5.3.1; Guyatt et al., J Clin Epidemiol 2011 (GRADE guidelines 9)", meaning: "A large (RR > 2 or < 0.5: up one) or very large (RR > 5 or < 0.2: up two) effect with no plausible confounder." },
  { id: "dose_response", name: "Dose-response gradient", max: 1, source: "GRADE Handbook 5.3.2; Guyatt et al., J Clin Epidemiol 2011 (GRADE guidelines 9)", meaning: "A dose-response gradient increases confidence that the effect is real." },
  { id: "plausible_confounding", name: "Plausible confounding", max: 1, source: "GRADE Handbook 5.3.3; Guyatt et al., J Clin Epidemiol 2011 (GRADE guidelines 9)", meaning: "All plausible residual confounding would reduce a demonstrated effect, or suggest a spurious effect when none is observed." },
] as const;

/**
 * PRISMA 2020 flow diagram counts (contract section 12), named as the PRISMA2020
 * R package names them (Haddaway et al., Campbell Syst Rev 2022). `map`: the
 * count may be written as a map (database → count, reason → count) that stands
 * for its sum.
 */
export const FLOW_FIELDS = [
  { id: "previous_studies", column: "previous", map: false, meaning: "Studies included in the previous version of the review" },
  { id: "previous_reports", column: "previous", map: false, meaning: "Reports of studies included in the previous version of the review" },
  { id: "database_results", column: "databases", map: true, meaning: "Records identified from databases (a count, or database → count)" },
  { id: "register_results", column: "databases", map: true, meaning: "Records identified from registers (a count, or register → count)" },
  { id: "duplicates", column: "databases", map: false, meaning: "Duplicate records removed before screening" },
  { id: "excluded_automatic", column: "databases", map: false, meaning: "Records marked as ineligible by automation tools, removed before screening" },
  { id: "excluded_other", column: "databases", map: false, meaning: "Records removed before screening for other reasons" },
  { id: "records_screened", column: "databases", map: false, meaning: "Records screened (titles and abstracts)" },
  { id: "records_excluded", column: "databases", map: false, meaning: "Records excluded at title and abstract screening" },
  { id: "dbr_sought_reports", column: "databases", map: false, meaning: "Reports sought for retrieval (databases and registers)" },
  { id: "dbr_notretrieved_reports", column: "databases", map: false, meaning: "Reports not retrieved (databases and registers)" },
  { id: "dbr_assessed", column: "databases", map: false, meaning: "Reports assessed for eligibility at full text (databases and registers)" },
  { id: "dbr_excluded", column: "databases", map: true, meaning: "Reports excluded at full text, with reasons (a count, or reason → count)" },
  { id: "website_results", column: "other", map: true, meaning: "Records identified from websites (other methods)" },
  { id: "organisation_results", column: "other", map: true, meaning: "Records identified from organisations (other methods)" },
  { id: "citations_results", column: "other", map: true, meaning: "Records identified by citation searching (other methods)" },
  { id: "other_sought_reports", column: "other", map: false, meaning: "Reports sought for retrieval (other methods)" },
  { id: "other_notretrieved_reports", column: "other", map: false, meaning: "Reports not retrieved (other methods)" },
  { id: "other_assessed", column: "other", map: false, meaning: "Reports assessed for eligibility (other methods)" },
  { id: "other_excluded", column: "other", map: true, meaning: "Reports excluded (other methods), with reasons (a count, or reason → count)" },
  { id: "new_studies", column: "included", map: false, meaning: "New studies included in the review" },
  { id: "new_reports", column: "included", map: false, meaning: "Reports of new included studies" },
  { id: "total_studies", column: "included", map: false, meaning: "Total studies included in the review (previous and new)" },
  { id: "total_reports", column: "included", map: false, meaning: "Reports of total included studies" },
] as const;

/** Effect measures of an analysis (contract section 8; RevMan 5's EFFECT_MEASURE). */
export interface MeasureDef {
  readonly id: string;
  readonly name: string;
  /** The form of its data rows. */
  readonly data: "dichotomous" | "continuous" | "generic";
  /** Pooled on the log scale and shown exponentiated. */
  readonly ratio: boolean;
  readonly methods: readonly string[];
  readonly defaultMethod: string;
}

export const MEASURES: readonly MeasureDef[] = [
  { id: "RR", name: "Risk ratio", data: "dichotomous", ratio: true, methods: ["MH", "IV"], defaultMethod: "MH" },
  { id: "OR", name: "Odds ratio", data: "dichotomous", ratio: true, methods: ["MH", "IV"], defaultMethod: "MH" },
  { id: "RD", name: "Risk difference", data: "dichotomous", ratio: false, methods: ["MH", "IV"], defaultMethod: "MH" },
  { id: "PETO-OR", name: "Peto odds ratio", data: "dichotomous", ratio: true, methods: ["PETO"], defaultMethod: "PETO" },
  { id: "MD", name: "Mean difference", data: "continuous", ratio: false, methods: ["IV"], defaultMethod: "IV" },
  { id: "SMD", name: "Standardised mean difference (Hedges' g)", data: "continuous", ratio: false, methods: ["IV"], defaultMethod: "IV" },
  { id: "GIV", name: "Generic inverse variance", data: "generic", ratio: false, methods: ["IV"], defaultMethod: "IV" },
];

export const POOLING_METHODS = [
  { id: "MH", name: "Mantel-Haenszel" },
  { id: "IV", name: "Inverse variance" },
  { id: "PETO", name: "Peto" },
] as const;

export const EFFECT_MODELS = [
  { id: "fixed", name: "Fixed effect" },
  { id: "random", name: "Random effects" },
] as const;

export const TAU2_ESTIMATORS = [
  { id: "DL", name: "DerSimonian-Laird (RevMan 5)" },
  { id: "REML", name: "Restricted maximum likelihood" },
] as const;

/** The confidence interval of a random-effects pool (contract section 8.1). */
export const CI_METHODS = [
  { id: "wald", name: "Wald (normal distribution; RevMan 5)" },
  { id: "hksj", name: "Hartung-Knapp-Sidik-Jonkman (t distribution, k − 1 df; random effects only)" },
] as const;

/** Which way of an outcome is good (contract section 2): sets a forest plot's labels. */
export const OUTCOME_DIRECTIONS = [
  { id: "lower-is-better", name: "Lower is better (e.g. deaths, pain): effects below the line of no effect favour the experimental arm", experimentalSide: "left" },
  { id: "higher-is-better", name: "Higher is better (e.g. response, quality of life): effects above the line of no effect favour the experimental arm", experimentalSide: "right" },
] as const;

/** What the file is (contract section 2): a protocol is asked PRISMA-P's items, a completed review is not. */
export const REVIEW_STAGES = [
  { id: "protocol", name: "A protocol (the default): PRISMA-P 2015 items are checked" },
  { id: "review", name: "A completed review (what review-import writes): PRISMA-P is not asked, and missing outcome statuses are information" },
] as const;

/** RevMan's TOTALS: YES (overall), SUB (subgroup totals only), NO. */
export const TOTALS = [
  { id: "overall", name: "Subgroup and overall totals" },
  { id: "subgroups", name: "Subgroup totals only" },
  { id: "none", name: "No totals" },
] as const;

export function measureById(id: string): MeasureDef | undefined {
  return MEASURES.find((m) => m.id === id);
}

/**
 * The names RevMan 5 prints over a forest plot's effect column ("Odds Ratio
 * M-H, Fixed, 95% CI"), by measure id, and for a GIV analysis whose `label` is
 * one of these abbreviations.
 */
export const FOREST_MEASURE_NAMES: Readonly<Record<string, string>> = {
  RR: "Risk Ratio",
  OR: "Odds Ratio",
  RD: "Risk Difference",
  "PETO-OR": "Peto Odds Ratio",
  MD: "Mean Difference",
  SMD: "Std. Mean Difference",
  HR: "Hazard Ratio",
  IRR: "Rate Ratio",
};

/**
 * A forest plot's axis when the analysis gives no `scale`: the smallest of these
 * ranges that holds every CI (RevMan 5's choices). Ratios run from 1/max to max
 * with these ticks; differences are symmetric, ±1, ±2 or ±5 × 10ⁿ.
 */
export const RATIO_AXES: readonly { max: number; ticks: readonly number[] }[] = [
  { max: 2, ticks: [0.5, 0.7, 1, 1.5, 2] },
  { max: 5, ticks: [0.2, 0.5, 1, 2, 5] },
  { max: 10, ticks: [0.1, 0.2, 0.5, 1, 2, 5, 10] },
  { max: 100, ticks: [0.01, 0.1, 1, 10, 100] },
];
export const DIFFERENCE_AXIS_STEPS: readonly number[] = [1, 2, 5];
