/**
 * A new protocol: every top-level key of the format, each PRISMA-P 2015 item
 * named beside the key that addresses it. Built from the schema and the
 * PRISMA-P data, so it follows them when they change.
 */
import { DEFAULT_TOOL, PRISMA_P, STUDY_DESIGNS } from "../../../schemas/src/domain";

/** Example values: valid, and obviously to be replaced. */
const TEXT = (what: string) => `"TODO: ${what}"`;

function itemsFor(path: string): string {
  const items = PRISMA_P.filter((i) => i.paths.some((p) => p.filter((x) => x !== "*").join(".") === path));
  return items.length ? `  # PRISMA-P ${items.map((i) => `${i.item} ${i.title}`).join("; ")}` : "";
}

export function protocolSkeleton(tool = DEFAULT_TOOL): string {
  const l: string[] = [];
  const line = (text: string, path?: string) => l.push(path ? `${text}${itemsFor(path)}` : text);
  line("# A systematic review protocol. Replace every TODO; `review-lint` and the editor say what is missing.");
  line("protocol: 1");
  line(`title: ${TEXT("<intervention> for <condition> in <population> - a systematic review protocol")}`, "title");
  line(`type: intervention`);
  line(`# update_of: key-of-the-review-this-updates`, "update_of");
  line("registration:", "registration");
  line("  registry: PROSPERO");
  line(`  id: ${TEXT("CRD number")}`);
  line("authors:", "authors");
  line(`  - name: ${TEXT("name")}`);
  line(`    affiliation: ${TEXT("affiliation")}`);
  line(`    email: ${TEXT("e-mail")}`, "authors.email");
  line(`    address: ${TEXT("postal address of the corresponding author")}`);
  line("    corresponding: true");
  line(`    contribution: ${TEXT("what this author did")}`, "authors.contribution");
  line("    guarantor: true");
  line(
    `amendments: ${TEXT("how amendments will be documented: date, what changed and why; a new protocol has none yet")}`,
    "amendments",
  );
  line("support:");
  line(`  sources: [${TEXT("funders, or none")}]`, "support.sources");
  line(`  sponsor: ${TEXT("sponsor, or none")}`, "support.sponsor");
  line(`  role: ${TEXT("role of the funders or sponsor")}`, "support.role");
  line(`rationale: ${TEXT("what is known and why this review is needed (cite a source as @ and its key, in brackets)")}`, "rationale");
  line(`objectives: ${TEXT("the question, in terms of PICO")}`, "objectives");
  line("question:", "question");
  line("  population:");
  line(`    description: ${TEXT("participants")}`);
  line(`    inclusion: [${TEXT("inclusion criterion")}]`);
  line(`    exclusion: [${TEXT("exclusion criterion")}]`);
  line("  interventions:");
  line("    - id: intervention");
  line(`      description: ${TEXT("the intervention")}`);
  line("  comparators:");
  line("    - id: comparator");
  line(`      description: ${TEXT("the comparator")}`);
  line("eligibility:", "eligibility");
  line(`  study_designs: [${STUDY_DESIGNS[0]}]`);
  line(`  languages: ${TEXT("languages")}`);
  line(`  publication_status: ${TEXT("published and unpublished")}`);
  line(`  time_frame: ${TEXT("dates covered")}`);
  line("search:");
  line("  date: 2026-01-01");
  line("  sources:", "search.sources");
  line(`    - name: ${TEXT("database or register")}`);
  line("      searched: 2026-01-01");
  line(`  strategy: ${TEXT("the full search strategy of one database")}`, "search.strategy");
  line("study_records:");
  line(`  data_management: ${TEXT("how records are managed")}`, "study_records.data_management");
  line(`  selection: ${TEXT("who screens, independently, how disagreements are resolved")}`, "study_records.selection");
  line(`  data_collection: ${TEXT("how data are extracted")}`, "study_records.data_collection");
  line(`data_items: [${TEXT("variables to collect")}]`, "data_items");
  line("outcomes:", "outcomes");
  line("  - id: primary-outcome");
  line(`    name: ${TEXT("primary outcome")}`);
  line("    role: primary");
  line("    type: dichotomous");
  line("bias:", "bias");
  line(`  tool: ${tool}`);
  line("synthesis:");
  line(`  criteria: ${TEXT("when data will be pooled")}`, "synthesis.criteria");
  line(`  methods: ${TEXT("effect measures and model")}`, "synthesis.methods");
  line(`  heterogeneity: ${TEXT("how heterogeneity is explored")}`);
  line(`  additional_analyses: ${TEXT("subgroup and sensitivity analyses")}`, "synthesis.additional_analyses");
  line(`  if_no_meta_analysis: ${TEXT("how results are summarised if not pooled")}`, "synthesis.if_no_meta_analysis");
  line(`meta_bias: ${TEXT("publication bias and selective reporting across studies")}`, "meta_bias");
  line("confidence:", "confidence");
  line("  framework: GRADE");
  line(`  details: ${TEXT("how certainty will be assessed")}`);
  line("sources: []");
  line("studies: []");
  return l.join("\n") + "\n";
}
