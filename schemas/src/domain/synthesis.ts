/**
 * Meta-analysis (contract section 8): effect measures and the form of their data
 * rows, pooling methods, effect models, τ² estimators, CI methods, totals, which
 * way an outcome is good, and the forest plot's names and axes.
 */

/** The measures by name, for the computations and texts that differ by measure (RevMan 5's EFFECT_MEASURE). */
export const MEASURE = { RR: "RR", OR: "OR", RD: "RD", PETO_OR: "PETO-OR", MD: "MD", SMD: "SMD", GIV: "GIV" } as const;

/** Effect measures of an analysis (contract section 8). */
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
  { id: MEASURE.RR, name: "Risk ratio", data: "dichotomous", ratio: true, methods: ["MH", "IV"], defaultMethod: "MH" },
  { id: MEASURE.OR, name: "Odds ratio", data: "dichotomous", ratio: true, methods: ["MH", "IV"], defaultMethod: "MH" },
  { id: MEASURE.RD, name: "Risk difference", data: "dichotomous", ratio: false, methods: ["MH", "IV"], defaultMethod: "MH" },
  { id: MEASURE.PETO_OR, name: "Peto odds ratio", data: "dichotomous", ratio: true, methods: ["PETO"], defaultMethod: "PETO" },
  { id: MEASURE.MD, name: "Mean difference", data: "continuous", ratio: false, methods: ["IV"], defaultMethod: "IV" },
  { id: MEASURE.SMD, name: "Standardised mean difference (Hedges' g)", data: "continuous", ratio: false, methods: ["IV"], defaultMethod: "IV" },
  { id: MEASURE.GIV, name: "Generic inverse variance", data: "generic", ratio: false, methods: ["IV"], defaultMethod: "IV" },
];

export const POOLING_METHODS = [
  { id: "MH", name: "Mantel-Haenszel" },
  { id: "IV", name: "Inverse variance" },
  { id: "PETO", name: "Peto" },
] as const;

/** The effect models, the first the default. */
export const FIXED_EFFECT = "fixed";
export const RANDOM_EFFECTS = "random";
export type EffectModel = typeof FIXED_EFFECT | typeof RANDOM_EFFECTS;

export const EFFECT_MODELS = [
  { id: FIXED_EFFECT, name: "Fixed effect" },
  { id: RANDOM_EFFECTS, name: "Random effects" },
] as const;

/**
 * A random-effects setting of an analysis (contract section 8.1): what each
 * value does and where the method comes from, for completion and hover.
 */
export interface RandomEffectsChoice {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly source: string;
}

/** τ² estimators, the first the default (RevMan 5's). */
export const TAU2_ESTIMATORS: readonly RandomEffectsChoice[] = [
  {
    id: "DL",
    name: "DerSimonian-Laird (RevMan 5)",
    description: "The method-of-moments τ² from Cochran's Q: τ² = max(0, (Q − df) / (Σw − Σw²/Σw)). The default, so every RevMan 5 review keeps its published numbers; with few studies it can underestimate τ².",
    source: "DerSimonian & Laird 1986, Controlled Clinical Trials 7:177–88; Deeks & Higgins, Statistical algorithms in Review Manager 5",
  },
  {
    id: "REML",
    name: "Restricted maximum likelihood",
    description: "The τ² ≥ 0 that maximises the restricted likelihood (Fisher scoring from the DL value, steps halved, to 1e-12); I² is then computed from τ². Endorsed by Cochrane in 2022, in RevMan since January 2025. Random effects only.",
    source: "Viechtbauer 2005, J Educ Behav Stat 30:261–93; Cochrane Methods, Random-effects meta-analysis methods in intervention reviews (2022, update May 2024)",
  },
];

/** The confidence interval of a random-effects pool (contract section 8.1), the first the default. */
export const CI_METHODS: readonly RandomEffectsChoice[] = [
  {
    id: "wald",
    name: "Wald (normal distribution; RevMan 5)",
    description: "μ̂ ± 1.96·SE with SE² = 1/Σw and the test Z = μ̂/SE. The default (RevMan 5); with few studies it can be too narrow, as it ignores the uncertainty in τ².",
    source: "Deeks & Higgins, Statistical algorithms in Review Manager 5",
  },
  {
    id: "hksj",
    name: "Hartung-Knapp-Sidik-Jonkman (t distribution, k − 1 df; random effects only)",
    description: "SE² = Σw(y − μ̂)² / ((k − 1)·Σw), the interval μ̂ ± t(0.975, k − 1)·SE and the test t = μ̂/SE with k − 1 df; no ad hoc widening. Endorsed by Cochrane in 2022. Needs model: random.",
    source: "Hartung & Knapp 2001, Stat Med 20:3875–89; Sidik & Jonkman 2002, Stat Med 21:3153–59; Cochrane Methods, Random-effects meta-analysis methods in intervention reviews (2022, update May 2024)",
  },
];

/** `prediction` (contract section 8.1): whether a random-effects analysis gives a 95% prediction interval. */
const PREDICTION_CHOICES: readonly RandomEffectsChoice[] = [
  {
    id: "true",
    name: "A 95% prediction interval (random effects, 3 or more studies)",
    description: "Where the effect of a new study like these would lie: μ̂ ± t(0.975, k − 2)·√(τ² + SE²), SE the pooled estimate's (HKSJ's under ci: hksj); drawn as a bar under the diamond. None with fewer than 3 studies. Needs model: random.",
    source: "Higgins, Thompson & Spiegelhalter 2009, J R Stat Soc A 172:137–59; Cochrane Handbook 10.10.4.3",
  },
  { id: "false", name: "No prediction interval (the default, RevMan 5)", description: "Only the pooled estimate and its confidence interval.", source: "Deeks & Higgins, Statistical algorithms in Review Manager 5" },
];

/** The analysis keys whose values are section 8.1's choices. */
export const RANDOM_EFFECTS_KEYS: Readonly<Record<string, readonly RandomEffectsChoice[]>> = { tau2: TAU2_ESTIMATORS, ci: CI_METHODS, prediction: PREDICTION_CHOICES };

/** Which way of an outcome is good (contract section 2): sets a forest plot's labels. */
export const OUTCOME_DIRECTIONS = [
  { id: "lower-is-better", name: "Lower is better (e.g. deaths, pain): effects below the line of no effect favour the experimental arm", experimentalSide: "left" },
  { id: "higher-is-better", name: "Higher is better (e.g. response, quality of life): effects above the line of no effect favour the experimental arm", experimentalSide: "right" },
] as const;

/** Which totals an analysis pools, the first the default (RevMan's TOTALS: YES, SUB, NO). */
export const OVERALL_TOTAL = "overall";
export const SUBGROUP_TOTALS = "subgroups";
export const NO_TOTALS = "none";
export type Totals = typeof OVERALL_TOTAL | typeof SUBGROUP_TOTALS | typeof NO_TOTALS;

export const TOTALS = [
  { id: OVERALL_TOTAL, name: "Subgroup and overall totals" },
  { id: SUBGROUP_TOTALS, name: "Subgroup totals only" },
  { id: NO_TOTALS, name: "No totals" },
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
