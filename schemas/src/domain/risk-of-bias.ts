/**
 * Risk-of-bias tools (../shared/design/risk-of-bias-tools.md): the study designs,
 * each tool's domains and judgements with what they mean and their severity, the
 * designs and review types each tool is made for, and the keys a block of
 * judgements uses.
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
  /** The name authors use for it in one word or two (the status bar: "RoB 1"). */
  readonly shortName: string;
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

/** Non-randomised designs: GRADE's certainty starts low for their evidence (contract section 11). */
export function isNonRandomised(design: string | undefined): boolean {
  return design !== undefined && NON_RANDOMISED.includes(design);
}
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
    shortName: "RoB 1",
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
    shortName: "RoB 2",
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
    shortName: "RoB 2 (cluster)",
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
    shortName: "RoB 2 (crossover)",
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
    shortName: "ROBINS-I",
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
    shortName: "ROBINS-E",
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
    shortName: "QUADAS-2",
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

export function toolById(id: string): ToolDef | undefined {
  return TOOLS.find((t) => t.id === id);
}

/** A tool's short name; a protocol's own tool (`custom`) is "own tool". */
export function toolShortName(id: string): string {
  return id === CUSTOM_TOOL_ID ? "own tool" : (toolById(id)?.shortName ?? id);
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
