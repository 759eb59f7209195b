/**
 * RevMan 5's vocabulary as the import maps it (contract section 9): its risk-of-bias
 * items and results, review types, text sections with their published headings,
 * and kinds of reference.
 */

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

/** RoB 1 domains as RevMan 5.3 names its items (what the export writes; the import reads both namings). */
export const REVMAN_ROB1_NAMES: Readonly<Record<string, string>> = {
  "random-sequence-generation": "Random sequence generation (selection bias)",
  "allocation-concealment": "Allocation concealment (selection bias)",
  "blinding-of-participants-and-personnel": "Blinding of participants and personnel (performance bias)",
  "blinding-of-outcome-assessment": "Blinding of outcome assessment (detection bias)",
  blinding: "Blinding (performance bias and detection bias)",
  "incomplete-outcome-data": "Incomplete outcome data (attrition bias)",
  "selective-reporting": "Selective reporting (reporting bias)",
  "other-bias": "Other bias",
};
