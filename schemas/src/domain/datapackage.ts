/**
 * A Cochrane data package's vocabulary (contract section 10; version 1, RevMan
 * Web until September 2024, the columns R meta's read.cdir reads): the columns of
 * each CSV file, how RevMan Web names data types, measures, methods and models,
 * and its risk-of-bias judgements as RevMan 5 results (the import maps a package
 * as it maps a .rm5).
 */
import { MEASURE } from "./synthesis";

/** The overall file's columns (`-overall-estimates-and-settings.csv`), in RevMan Web's order. */
export const PACKAGE_OVERALL_COLUMNS = [
  "Analysis group", "Analysis number", "Analysis name", "Analysis group name", "Data source", "Data source eligibility",
  "Data type", "Log-scale data", "Outcome", "Intervention grouping", "Experimental intervention", "Control intervention",
  "Subgroup by", "Filter criteria", "Experimental group label", "Control group label", "Statistical method", "Effect measure",
  "Unit of effect measure", "Analysis model", "Subgroup estimates", "Overall estimates", "Test for subgroup differences",
  "Swap event and non-event", "Study CI", "Estimate CI", "Experimental cases", "Experimental N", "Control cases", "Control N",
  "Mean", "CI start", "CI end", "Heterogeneity Tau²", "Heterogeneity Chi²", "Heterogeneity df", "Heterogeneity P",
  "Heterogeneity I²", "Effect Z", "Effect P", "Subgroup Chi²", "Subgroup df", "Subgroup P", "Subgroup I²", "ID",
] as const;

/** The data-rows file's columns (`-data-rows.csv`). */
export const PACKAGE_ROW_COLUMNS = [
  "Analysis group", "Analysis number", "Analysis name", "Subgroup", "Applicability", "Study", "Study year", "GIV Mean", "GIV SE",
  "Experimental mean", "Experimental SD", "Experimental cases", "Experimental N", "Control mean", "Control SD", "Control cases",
  "Control N", "O-E", "Variance", "Weight", "Mean", "CI start", "CI end", "Footnotes",
] as const;

/** The subgroup file's columns (`-subgroup-estimates.csv`). */
export const PACKAGE_SUBGROUP_COLUMNS = [
  "Analysis group", "Analysis number", "Subgroup", "Subgroup number", "Experimental cases", "Experimental N", "Control cases",
  "Control N", "Weight", "Mean", "CI start", "CI end", "Heterogeneity Tau²", "Heterogeneity Chi²", "Heterogeneity df",
  "Heterogeneity P", "Heterogeneity I²", "Effect Z", "Effect P", "ID",
] as const;

/** The study-information file's fixed columns; characteristics follow as `Char: <name>`. */
export const PACKAGE_STUDY_COLUMNS = ["Study", "Year", "Data source"] as const;
export const PACKAGE_CHARACTERISTIC_PREFIX = "Char: ";
/** The characteristics RevMan writes for every included study, as `Char: <name>` columns -> the protocol's keys. */
export const PACKAGE_CHARACTERISTICS: Readonly<Record<string, string>> = { Methods: "methods", Participants: "participants", Interventions: "interventions", Outcomes: "outcomes", Notes: "notes" };

/** The risk-of-bias file: `Study`, then a judgement and a support column per domain. */
export const PACKAGE_ROB_JUDGEMENT_PREFIX = "Domain (judgement): ";
export const PACKAGE_ROB_SUPPORT_PREFIX = "Domain (support): ";

/** RevMan Web's judgements as RevMan 5's results (YES low, NO high, UNKNOWN unclear); "Not applicable" is left out. */
export const PACKAGE_ROB_RESULTS: Readonly<Record<string, string>> = { "Low risk": "YES", "High risk": "NO", "Unclear risk": "UNKNOWN" };
export const PACKAGE_ROB_NOT_APPLICABLE = "Not applicable";

/** `Data type` -> the form of the rows. "O-E and variance" rows become generic (ln OR = (O−E)/V, SE = 1/√V: Peto's own estimate). */
export const PACKAGE_DATA_TYPES: Readonly<Record<string, "dichotomous" | "continuous" | "generic" | "o-e">> = {
  Dichotomous: "dichotomous",
  Continuous: "continuous",
  "Contrast level": "generic",
  "O-E and variance": "o-e",
};

/** `Effect measure` -> the protocol's measure (a generic analysis keeps RevMan Web's text as its label). */
export const PACKAGE_MEASURES: Readonly<Record<string, string>> = {
  "Odds Ratio": MEASURE.OR,
  "Risk Ratio": MEASURE.RR,
  "Risk Difference": MEASURE.RD,
  "Peto Odds Ratio": MEASURE.PETO_OR,
  "Mean Difference": MEASURE.MD,
  "Std. Mean Difference": MEASURE.SMD,
  "Standardized Mean Difference": MEASURE.SMD,
};

/** `Statistical method` -> the protocol's method. */
export const PACKAGE_METHODS: Readonly<Record<string, string>> = { MH: "MH", IV: "IV", EXP_O_E_VAR: "PETO", PETO: "PETO" };

/** `Analysis model`: RevMan Web writes "Fixed effect" or "Random effect(s)". */
export const PACKAGE_RANDOM_MODEL = /^random/i;
export const PACKAGE_MODEL_NAMES = { fixed: "Fixed effect", random: "Random effects" } as const;
