/**
 * The body of evidence: GRADE certainty (levels, starts, the domains that rate it
 * down or up) and the counts of a PRISMA 2020 flow diagram.
 */

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

/** The start of randomised and of non-randomised evidence (ids of CERTAINTY_STARTS). */
export const RANDOMISED_START = CERTAINTY_STARTS[0].id;
export const NON_RANDOMISED_START = CERTAINTY_STARTS[1].id;

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
 * R package names them (Haddaway et al., Campbell Syst Rev 2022). `label`: the
 * box text of the PRISMA 2020 template (Page et al., BMJ 2021); `map`: the
 * count may be written as a map (database → count, reason → count) that stands
 * for its sum.
 */
export const FLOW_FIELDS = [
  { id: "previous_studies", label: "Studies included in previous version of review", column: "previous", map: false, meaning: "Studies included in the previous version of the review" },
  { id: "previous_reports", label: "Reports of studies included in previous version of review", column: "previous", map: false, meaning: "Reports of studies included in the previous version of the review" },
  { id: "database_results", label: "Databases", column: "databases", map: true, meaning: "Records identified from databases (a count, or database → count)" },
  { id: "register_results", label: "Registers", column: "databases", map: true, meaning: "Records identified from registers (a count, or register → count)" },
  { id: "duplicates", label: "Duplicate records removed", column: "databases", map: false, meaning: "Duplicate records removed before screening" },
  { id: "excluded_automatic", label: "Records marked as ineligible by automation tools", column: "databases", map: false, meaning: "Records marked as ineligible by automation tools, removed before screening" },
  { id: "excluded_other", label: "Records removed for other reasons", column: "databases", map: false, meaning: "Records removed before screening for other reasons" },
  { id: "records_screened", label: "Records screened", column: "databases", map: false, meaning: "Records screened (titles and abstracts)" },
  { id: "records_excluded", label: "Records excluded", column: "databases", map: false, meaning: "Records excluded at title and abstract screening" },
  { id: "dbr_sought_reports", label: "Reports sought for retrieval", column: "databases", map: false, meaning: "Reports sought for retrieval (databases and registers)" },
  { id: "dbr_notretrieved_reports", label: "Reports not retrieved", column: "databases", map: false, meaning: "Reports not retrieved (databases and registers)" },
  { id: "dbr_assessed", label: "Reports assessed for eligibility", column: "databases", map: false, meaning: "Reports assessed for eligibility at full text (databases and registers)" },
  { id: "dbr_excluded", label: "Reports excluded", column: "databases", map: true, meaning: "Reports excluded at full text, with reasons (a count, or reason → count)" },
  { id: "website_results", label: "Websites", column: "other", map: true, meaning: "Records identified from websites (other methods)" },
  { id: "organisation_results", label: "Organisations", column: "other", map: true, meaning: "Records identified from organisations (other methods)" },
  { id: "citations_results", label: "Citation searching", column: "other", map: true, meaning: "Records identified by citation searching (other methods)" },
  { id: "other_sought_reports", label: "Reports sought for retrieval", column: "other", map: false, meaning: "Reports sought for retrieval (other methods)" },
  { id: "other_notretrieved_reports", label: "Reports not retrieved", column: "other", map: false, meaning: "Reports not retrieved (other methods)" },
  { id: "other_assessed", label: "Reports assessed for eligibility", column: "other", map: false, meaning: "Reports assessed for eligibility (other methods)" },
  { id: "other_excluded", label: "Reports excluded", column: "other", map: true, meaning: "Reports excluded (other methods), with reasons (a count, or reason → count)" },
  { id: "new_studies", label: "New studies included in review", column: "included", map: false, meaning: "New studies included in the review" },
  { id: "new_reports", label: "Reports of new included studies", column: "included", map: false, meaning: "Reports of new included studies" },
  { id: "total_studies", label: "Total studies included in review", column: "included", map: false, meaning: "Total studies included in the review (previous and new)" },
  { id: "total_reports", label: "Reports of total included studies", column: "included", map: false, meaning: "Reports of total included studies" },
] as const;

/** The counts of the other-methods column (websites, organisations, citation searching): the diagram draws it when one is given. */
export const FLOW_OTHER_METHODS: readonly string[] = FLOW_FIELDS.filter((f) => f.column === "other").map((f) => f.id);

/**
 * The PRISMA 2020 flow's arithmetic (contract section 12): each box from the
 * ones before it. A term is added (+1) or taken away (−1); an equation is
 * checked when its left-hand count and its first term are given, any other
 * absent term counting 0; `when`: a group of terms counted only when that
 * count is given (the other-methods column).
 */
export const FLOW_EQUATIONS: readonly { total: string; terms: readonly { field: string; sign: 1 | -1; when?: string }[] }[] = [
  {
    total: "records_screened",
    terms: [
      { field: "database_results", sign: 1 },
      { field: "register_results", sign: 1 },
      { field: "duplicates", sign: -1 },
      { field: "excluded_automatic", sign: -1 },
      { field: "excluded_other", sign: -1 },
    ],
  },
  { total: "dbr_sought_reports", terms: [{ field: "records_screened", sign: 1 }, { field: "records_excluded", sign: -1 }] },
  { total: "dbr_assessed", terms: [{ field: "dbr_sought_reports", sign: 1 }, { field: "dbr_notretrieved_reports", sign: -1 }] },
  { total: "other_assessed", terms: [{ field: "other_sought_reports", sign: 1 }, { field: "other_notretrieved_reports", sign: -1 }] },
  {
    total: "new_reports",
    terms: [
      { field: "dbr_assessed", sign: 1 },
      { field: "dbr_excluded", sign: -1 },
      { field: "other_assessed", sign: 1, when: "other_assessed" },
      { field: "other_excluded", sign: -1, when: "other_assessed" },
    ],
  },
  { total: "total_studies", terms: [{ field: "previous_studies", sign: 1 }, { field: "new_studies", sign: 1 }] },
];

/** The counts of the full-text exclusion boxes: `excluded_studies` may not list more studies than they exclude. */
export const FLOW_FULL_TEXT_EXCLUDED = ["dbr_excluded", "other_excluded"] as const;

/**
 * When the data suggest a GRADE domain the ratings do not reflect
 * (`certainty-hint`, contract section 11), with the sources of each threshold.
 */
export const CERTAINTY_HINTS = {
  /** Risk of bias: more than this share of the analysis's weight from studies at high risk. */
  highRiskWeight: { share: 0.5, source: "GRADE Handbook 5.2.1: rate down when most of the weight comes from studies at high risk" },
  /** Inconsistency: I² at least this (percent). */
  i2: { atLeast: 50, source: "Cochrane Handbook 10.10.2: 50% to 90% may represent substantial heterogeneity" },
  /** Imprecision: a ratio's CI crosses no effect and one of these (appreciable benefit or harm). */
  ratioThresholds: { benefit: 0.75, harm: 1.25, source: "GRADE guidelines 6, Guyatt et al., J Clin Epidemiol 2011" },
  /** Imprecision: fewer events (dichotomous) or participants (continuous) than the optimal information size rule of thumb. */
  informationSize: { events: 300, participants: 400, source: "GRADE guidelines 6: the optimal information size rule of thumb" },
  /** Publication bias: Egger's P below this, with 10 or more estimable rows. */
  egger: { p: 0.1, source: "Egger et al., BMJ 1997; Cochrane Handbook 13.3.5.4" },
} as const;
