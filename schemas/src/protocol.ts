/**
 * The review protocol format (contract sections 2-4) as zod schemas: the single
 * source of truth. `schemas/protocol.schema.json` is generated from these
 * (`npm run gen`), and the core validates with them.
 *
 * Judgement values and domain ids depend on the protocol's tool, so the schema
 * only fixes the shape of `risk_of_bias`; the tool-aware checks in the core
 * report `invalid-judgement` / `unknown-bias-domain` from the domain data.
 */
import { z } from "zod";
import {
  CERTAINTY_DOMAINS,
  CERTAINTY_LEVELS,
  CERTAINTY_STARTS,
  CERTAINTY_UPGRADES,
  CI_METHODS,
  EFFECT_MODELS,
  FLOW_FIELDS,
  MEASURES,
  ORBIT,
  OUTCOME_DIRECTIONS,
  OUTCOME_STATUSES,
  POOLING_METHODS,
  PRISMA_P,
  REVIEW_STAGES,
  STUDY_DESIGNS,
  TAU2_ESTIMATORS,
  TOOL_IDS,
  TOTALS,
} from "./domain";

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const DATE_PATTERN = /^\d{4}(-\d{2}(-\d{2})?)?$/;

const text = (description: string) => z.string().describe(description);
const slug = (description: string) =>
  z.string().regex(SLUG_PATTERN, { message: "a slug: lower-case letters, digits and hyphens" }).describe(description);
const date = (description: string) =>
  z.string().regex(DATE_PATTERN, { message: "a date: YYYY-MM-DD" }).describe(description);
const textOrList = (description: string) => z.union([z.string(), z.array(z.string())]).describe(description);
const ids = <T extends readonly { id: string }[]>(defs: T) => defs.map((d) => d.id) as unknown as [T[number]["id"], ...T[number]["id"][]];

const REVIEW_TYPES = ["intervention", "diagnostic-accuracy", "prognosis", "qualitative", "scoping", "other"] as const;
const OUTCOME_ROLES = ["primary", "secondary"] as const;
const OUTCOME_PARTICIPANTS = ["mother", "infant", "dyad", "participant", "other"] as const;
const OUTCOME_TYPES = ["dichotomous", "continuous", "count", "time-to-event", "ordinal", "qualitative"] as const;
const CONFIDENCE_FRAMEWORKS = ["GRADE", "other"] as const;
const STATUS_IDS = OUTCOME_STATUSES.map((s) => s.id) as [string, ...string[]];
const ORBIT_LETTERS = ORBIT.map((o) => o.letter) as [string, ...string[]];
const PRISMA_ITEMS = PRISMA_P.map((i) => i.item) as [string, ...string[]];
const PRISMA_NUMERIC_ITEMS = PRISMA_P.filter((i) => /^\d+$/.test(i.item)).map((i) => Number(i.item)) as [number, ...number[]];


const PicoItem = z
  .strictObject({
    id: slug("Identifier used by studies' `arms` (unique across interventions, comparators and outcomes)"),
    description: text("What the intervention or comparator is"),
  })
  .describe("An intervention or comparator");

const Question = z
  .strictObject({
    population: z
      .strictObject({
        description: text("Who the review is about").optional(),
        inclusion: z.array(z.string()).describe("Inclusion criteria").optional(),
        exclusion: z.array(z.string()).describe("Exclusion criteria").optional(),
      })
      .describe("Population (P)")
      .optional(),
    interventions: z.array(PicoItem).describe("Interventions (I)").optional(),
    comparators: z.array(PicoItem).describe("Comparators (C)").optional(),
    setting: text("Setting of the studies").optional(),
  })
  .describe("The review question as PICO (PRISMA-P item 7)");

const Outcome = z
  .strictObject({
    id: slug("Identifier used in studies' `outcomes` and `risk_of_bias`"),
    name: text("Outcome name"),
    description: text("What the outcome covers").optional(),
    role: z.enum(OUTCOME_ROLES).describe("primary or secondary (PRISMA-P item 13: prioritisation)"),
    participant: z
      .union([z.enum(OUTCOME_PARTICIPANTS), z.string()])
      .describe("Whose outcome it is: mother, infant, dyad, participant, other (free text for non-perinatal reviews)")
      .optional(),
    type: z.enum(OUTCOME_TYPES).describe("Data type of the outcome").optional(),
    harm: z.boolean().describe("true for adverse-effect outcomes").optional(),
    direction: z
      .enum(ids(OUTCOME_DIRECTIONS))
      .describe("Which way is good: lower-is-better or higher-is-better (sets the forest plot's labels)")
      .optional(),
    timepoints: z.array(z.string()).describe("Time points of measurement").optional(),
  })
  .describe("A protocol outcome (PRISMA-P item 13)");

const CustomDomain = z.strictObject({
  id: slug("Domain id used in studies' `risk_of_bias`"),
  name: text("Domain name"),
  judgements: z.array(z.string()).min(1).describe("Allowed judgement values"),
});

const Bias = z
  .strictObject({
    tool: z.enum(TOOL_IDS).describe("Risk-of-bias tool; fixes the domains, judgements and per-study/per-outcome judging"),
    by_design: z
      .partialRecord(z.enum(STUDY_DESIGNS), z.enum(TOOL_IDS))
      .describe("The tool for studies of a design, when it differs from `tool` (e.g. cluster-rct: rob2-cluster, nrsi: robins-i)")
      .optional(),
    key_domains: z
      .array(z.string())
      .describe("rob1: the domains the overall judgement rests on (Handbook 5.1 §8.7); all domains when not given")
      .optional(),
    domains: z.array(CustomDomain).describe("Only with tool: custom").optional(),
  })
  .describe("Risk-of-bias plan (PRISMA-P item 14)");

const sourceOverrides = {
  title: text("Title (overrides the file)").optional(),
  authors: z.array(z.string()).describe("Authors (overrides the file)").optional(),
  year: z.union([z.number().int(), z.string()]).describe("Year (overrides the file)").optional(),
  date: date("Publication date (overrides the file)").optional(),
  journal: text("Journal, publisher or organisation (overrides the file)").optional(),
  doi: text("DOI (overrides the file)").optional(),
  pmid: z.union([z.number().int(), z.string()]).describe("PubMed id (overrides the file)").optional(),
  pmcid: text("PubMed Central id (overrides the file)").optional(),
  registrations: z.array(z.string()).describe("Trial registrations (overrides the file)").optional(),
  abstract: text("Abstract (overrides the file)").optional(),
};

const FileSource = z
  .strictObject({
    key: z.string().describe("Citation key, cited as `cite: key` or `[@key]`"),
    file: text("Path of the source document, relative to the protocol"),
    ...sourceOverrides,
  })
  .describe("A source document in the workspace");

const BibliographySource = z
  .strictObject({
    bibliography: text("Path of a BibTeX (.bib), RIS (.ris) or CSL-JSON (.json) file, relative to the protocol"),
  })
  .describe("A bibliography export; keys come from the file");

const SourceEntry = z.union([FileSource, BibliographySource]);

const RobJudgement = z
  .strictObject({
    judgement: text("Judgement value of the study's tool; empty: not yet assessed").nullable(),
    support: text("Support for judgement: the reason, with a quote or page where possible").nullable().optional(),
    applicability: text("QUADAS-2: concerns regarding applicability").nullable().optional(),
  })
  .describe("A risk-of-bias judgement for one domain");

const RobGroupJudgement = z
  .strictObject({
    group: text("The group of outcomes, e.g. 'objective outcomes'"),
    outcomes: z.array(z.string()).describe("Outcome ids of the group (all outcomes when absent)").optional(),
    judgement: text("Judgement value; empty: not yet assessed").nullable(),
    support: text("Support for judgement").nullable().optional(),
  })
  .describe("rob1: a judgement for a group of outcomes");

const robDomains = z.record(z.string(), z.union([RobJudgement, z.string(), z.null()]));

const RiskOfBias = z
  .record(z.string(), z.union([RobJudgement, z.string(), z.null(), z.array(RobGroupJudgement), robDomains]))
  .describe(
    "Per-study tools: domain id -> {judgement, support}, plus `overall`. " +
      "Per-outcome tools: outcome id -> domain id -> {judgement, support}, plus `overall` per outcome.",
  );

const OutcomeReport = z.union([
  z.enum(STATUS_IDS),
  z.strictObject({
    status: z.enum(STATUS_IDS).describe("Outcome reporting status"),
    orbit: z.enum(ORBIT_LETTERS).describe("ORBIT classification (A-I) of a missing benefit outcome").optional(),
    note: text("Note").optional(),
  }),
]);

export const Study = z
  .strictObject({
    id: text("Study id, conventionally \"Author Year\"; unique in the file"),
    cite: z.string().describe("Citation key of the study report").optional(),
    design: z.enum(STUDY_DESIGNS).describe("Study design").optional(),
    country: text("Country").optional(),
    participants: z.number().int().positive().describe("Number of participants (a positive whole number)").optional(),
    registrations: z.array(z.string()).describe("Trial registrations (NCT…, ISRCTN…, CRD…)").optional(),
    doi: text("DOI of the study report").optional(),
    arms: z.array(z.string()).describe("Ids from question.interventions / comparators").optional(),
    outcomes: z.record(z.string(), OutcomeReport).describe("One entry per protocol outcome: its reporting status").optional(),
    risk_of_bias: RiskOfBias.optional(),
    characteristics: z
      .strictObject({
        methods: text("Methods").optional(),
        participants: text("Participants").optional(),
        interventions: text("Interventions").optional(),
        outcomes: text("Outcomes").optional(),
        notes: text("Notes").optional(),
      })
      .describe("The review's characteristics table for the study (free text)")
      .optional(),
  })
  .describe("An included study");

const pair = (description: string) => z.tuple([z.number(), z.number()]).describe(description);

const DataRow = z
  .strictObject({
    events: pair("Events [experimental, control] (RR, OR, RD, PETO-OR)").optional(),
    total: pair("Participants [experimental, control]").optional(),
    mean: pair("Means [experimental, control] (MD, SMD)").optional(),
    sd: pair("Standard deviations [experimental, control] (MD, SMD)").optional(),
    estimate: z.number().describe("GIV: the estimate (natural log for ratio measures with scale: log)").optional(),
    se: z.number().describe("GIV: its standard error").optional(),
    note: text("Footnote").optional(),
  })
  .describe("A study's data row, always [experimental, control]");

const analysisData = z
  .record(z.string(), z.union([DataRow, z.array(DataRow)]))
  .describe("Study id -> data row (a list of rows for a multi-arm study split against a shared control)");

const ANALYSIS_MEASURES = MEASURES.map((m) => m.id) as [string, ...string[]];

export const MetaAnalysis = z
  .strictObject({
    id: slug("Analysis id, unique among analyses"),
    outcome: z.string().describe("The outcome id this analysis is of"),
    compare: z.tuple([z.string(), z.string()]).describe("[experimental, control]: intervention / comparator ids"),
    name: text("Name (default: the outcome's name)").optional(),
    measure: z.enum(ANALYSIS_MEASURES).describe("Effect measure: RR, OR, RD, PETO-OR (dichotomous), MD, SMD (continuous), GIV (generic inverse variance)"),
    method: z.enum(POOLING_METHODS.map((m) => m.id) as [string, ...string[]]).describe("MH, IV or PETO; default MH for RR/OR/RD, PETO for PETO-OR, IV otherwise").optional(),
    model: z.enum(EFFECT_MODELS.map((m) => m.id) as [string, ...string[]]).describe("fixed or random; default fixed").optional(),
    tau2: z.enum(TAU2_ESTIMATORS.map((m) => m.id) as [string, ...string[]]).describe("Between-study variance estimator: DL (default, RevMan 5) or REML").optional(),
    label: text("GIV: what the estimate is (HR, rate ratio, MD …)").optional(),
    scale: z
      .union([z.enum(["log", "identity"]), z.number().positive()])
      .describe(
        "GIV: log (estimates and SEs are natural logs) or identity; required for GIV. " +
          "Otherwise a number: the forest plot's axis range (RevMan's SCALE: 100 → 0.01 to 100 for ratios, −100 to 100 for differences)",
      )
      .optional(),
    totals: z.enum(TOTALS.map((m) => m.id) as [string, ...string[]]).describe("overall, subgroups or none (RevMan's TOTALS YES, SUB, NO); default overall").optional(),
    ci: z.enum(ids(CI_METHODS)).describe("The pooled CI: wald (default, RevMan 5) or hksj (Hartung-Knapp-Sidik-Jonkman; random effects only)").optional(),
    prediction: z.boolean().describe("true: a 95% prediction interval (random effects, 3 or more studies)").optional(),
    labels: z
      .tuple([z.string(), z.string()])
      .describe("Forest-plot labels under the axis, [left, right], as written (left: effects below the line of no effect)")
      .optional(),
    data: analysisData.optional(),
    subgroups: z
      .array(z.strictObject({ name: text("Subgroup name"), data: analysisData.optional() }))
      .describe("Subgroups, each with its own rows (instead of `data`)")
      .optional(),
  })
  .describe("An analysis: two arms compared on one outcome, a data row per study");

const count = (description: string) => z.number().int().nonnegative().describe(description);

const rating = (domain: (typeof CERTAINTY_DOMAINS)[number]) =>
  z
    .strictObject({
      rating: z.enum(domain.ratings as unknown as [string, ...string[]]).describe(`${domain.ratings.join(" | ")}`),
      reason: text("Why: the footnote of the summary of findings table").optional(),
    })
    .describe(`${domain.name}: ${domain.meaning}`);

const Certainty = z
  .strictObject({
    analysis: z.string().describe("The analysis id this rating is of"),
    start: z.enum(ids(CERTAINTY_STARTS)).describe("high (randomised trials) or low (non-randomised); default from the studies' designs").optional(),
    ...Object.fromEntries(CERTAINTY_DOMAINS.map((d) => [d.id, rating(d).optional()])),
    upgrade: z
      .strictObject(
        Object.fromEntries(
          CERTAINTY_UPGRADES.map((u) => [u.id, z.number().int().min(0).max(u.max).describe(`${u.name}: 0–${u.max} levels (non-randomised start only)`).optional()]),
        ),
      )
      .describe("Levels rated up (non-randomised evidence only)")
      .optional(),
    assumed_risk: z.number().min(0).max(1).describe("Comparator risk for the absolute effects (0–1); default: the control arms' events / totals").optional(),
    certainty: z.enum(ids(CERTAINTY_LEVELS)).describe("The certainty as stated in the review: high, moderate, low or very-low").optional(),
    comment: text("Comment (the summary of findings table's last column)").optional(),
  })
  .describe("GRADE certainty of the evidence of one analysis (a summary of findings row)");

const flowCount = (f: (typeof FLOW_FIELDS)[number]) =>
  (f.map ? z.union([count(f.meaning), z.record(z.string(), count("A count"))]) : count(f.meaning)).describe(f.meaning).optional();

const Flow = z
  .strictObject(Object.fromEntries(FLOW_FIELDS.map((f) => [f.id, flowCount(f)])))
  .describe("PRISMA 2020 flow diagram counts (field names of the PRISMA2020 R package)");

export const Protocol = z
  .strictObject({
    protocol: z.literal(1).describe("Format version: 1"),
    stage: z
      .enum(ids(REVIEW_STAGES))
      .describe("protocol (default) or review: a completed review; PRISMA-P items are asked only of a protocol")
      .optional(),
    title: text("Review title; should say it is a systematic review protocol (PRISMA-P 1a)"),
    id: text("Review identifier (e.g. a Cochrane CD number)").optional(),
    type: z.enum(REVIEW_TYPES).describe("Review type"),
    update_of: z.string().describe("Citation key of the review this one updates (PRISMA-P 1b)").optional(),
    registration: z
      .strictObject({ registry: text("Registry, e.g. PROSPERO"), id: text("Registration number, e.g. CRD42…") })
      .describe("Registration (PRISMA-P 2)")
      .optional(),
    authors: z
      .array(
        z.strictObject({
          name: text("Author name"),
          affiliation: text("Affiliation").optional(),
          email: text("Contact e-mail").optional(),
          address: text("Postal address (PRISMA-P 3a asks it of the corresponding author)").optional(),
          orcid: text("ORCID iD").optional(),
          contribution: text("Contribution").optional(),
          guarantor: z.boolean().describe("Guarantor of the review").optional(),
          corresponding: z.boolean().describe("The corresponding author").optional(),
        }),
      )
      .describe("Authors (PRISMA-P 3a, 3b)")
      .optional(),
    amendments: z
      .union([
        z.array(z.strictObject({ date: date("Date of the amendment"), change: text("What changed"), reason: text("Why") })),
        z.string(),
      ])
      .describe("Amendments (PRISMA-P 4): a list of {date, change, reason}, or the plan for documenting them")
      .optional(),
    support: z
      .strictObject({
        sources: z.array(z.string()).describe("Sources of financial or other support"),
        sponsor: text("Sponsor").optional(),
        role: text("Role of the sponsor or funder").optional(),
      })
      .describe("Support (PRISMA-P 5a-5c)")
      .optional(),
    rationale: text("Rationale (PRISMA-P 6); may cite [@key]").optional(),
    objectives: text("Objectives (PRISMA-P 7)").optional(),
    question: Question,
    eligibility: z
      .union([
        z.strictObject({
          study_designs: z.array(z.enum(STUDY_DESIGNS)).describe("Eligible study designs"),
          setting: text("Setting").optional(),
          languages: textOrList("Languages").optional(),
          publication_status: text("Publication status").optional(),
          time_frame: text("Time frame").optional(),
        }),
        z.string(),
      ])
      .describe("Eligibility criteria (PRISMA-P 8): {study_designs, setting?, languages?, publication_status?, time_frame?}, or the criteria as text (a review's published selection criteria)")
      .optional(),
    search: z
      .strictObject({
        date: date("Date of the last search"),
        sources: z
          .array(z.strictObject({ name: text("Database or register"), searched: date("Date searched").optional() }))
          .describe("Information sources"),
        strategy: text("Search strategy (PRISMA-P 10)").optional(),
      })
      .describe("Search (PRISMA-P 9, 10)")
      .optional(),
    study_records: z
      .strictObject({
        data_management: text("Data management (PRISMA-P 11a)").optional(),
        selection: text("Selection process (PRISMA-P 11b)").optional(),
        data_collection: text("Data collection process (PRISMA-P 11c)").optional(),
      })
      .describe("Study records (PRISMA-P 11a-11c)")
      .optional(),
    data_items: textOrList("Data items (PRISMA-P 12)").optional(),
    outcomes: z.array(Outcome).min(1).describe("Outcomes (PRISMA-P 13); at least one"),
    bias: Bias,
    synthesis: z
      .strictObject({
        criteria: text("Criteria for quantitative synthesis (PRISMA-P 15a)").optional(),
        methods: text("Synthesis methods (PRISMA-P 15b)").optional(),
        heterogeneity: text("Exploring heterogeneity").optional(),
        additional_analyses: text("Additional analyses (PRISMA-P 15c)").optional(),
        if_no_meta_analysis: text("Summary if not pooled (PRISMA-P 15d)").optional(),
      })
      .describe("Data synthesis (PRISMA-P 15a-15d)")
      .optional(),
    meta_bias: text("Meta-bias(es) (PRISMA-P 16)").optional(),
    confidence: z
      .strictObject({ framework: z.enum(CONFIDENCE_FRAMEWORKS).describe("GRADE or other"), details: text("Details").optional() })
      .describe("Confidence in cumulative evidence (PRISMA-P 17)")
      .optional(),
    sources: z.array(SourceEntry).describe("Bibliography: source documents and bibliography files").optional(),
    studies: z.array(Study).describe("Included studies").optional(),
    excluded_studies: z
      .array(
        z.strictObject({
          cite: z.string().describe("Citation key").optional(),
          id: text("Study id, for a study without a source").optional(),
          reason: text("Reason for exclusion"),
        }),
      )
      .describe("Excluded studies")
      .optional(),
    analyses: z.array(MetaAnalysis).describe("Outcome data and meta-analyses (PRISMA-P 15b)").optional(),
    certainty: z.array(Certainty).describe("GRADE certainty of the evidence per analysis: the summary of findings (PRISMA-P 17)").optional(),
    flow: Flow.optional(),
    prisma_p: z
      .strictObject({
        not_applicable: z
          .array(z.union([z.enum(PRISMA_ITEMS), z.literal(PRISMA_NUMERIC_ITEMS)]))
          .describe("PRISMA-P items the authors declare not applicable (e.g. 5b, or 4)"),
      })
      .describe("PRISMA-P items declared not applicable")
      .optional(),
  })
  .describe("A systematic review protocol");

