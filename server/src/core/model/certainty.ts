/**
 * GRADE certainty as the contract computes it (section 11; GRADE Handbook 5,
 * Cochrane Handbook 14.2): where an entry starts, what its ratings give, and
 * which studies count as at high risk of bias for an analysis. Read by the
 * certainty check, the summary of findings table and the hovers.
 */
import { CERTAINTY_DOMAINS, CERTAINTY_LEVELS, CERTAINTY_RATINGS, CERTAINTY_STARTS, CERTAINTY_UPGRADES, isNonRandomised, NON_RANDOMISED_START, RANDOMISED_START } from "../../../../schemas/src/domain";
import type { CertaintyEntry } from "./evidence";
import { normaliseId } from "./ids";
import type { MetaAnalysisModel } from "./meta-analyses";
import type { BiasBlock, DomainJudgements, StudyModel } from "./studies";
import type { ToolView } from "./tools";

export type CertaintyLevel = (typeof CERTAINTY_LEVELS)[number];

export interface ComputedCertainty {
  /** `high` or `low`, as written or from the designs. */
  start: string;
  /** The start was not written: it comes from the designs of the studies with rows. */
  startFromDesigns: boolean;
  /** All five domains are rated: the level is the computed one. */
  complete: boolean;
  /** Domains without a rating. */
  unrated: string[];
  level: CertaintyLevel;
  /** Upgrades written under a high start: not counted. */
  ignoredUpgrades: string[];
  /** "high (4) − 1 imprecision = moderate (3)" */
  arithmetic: string;
}

const levelOf = (n: number): CertaintyLevel => CERTAINTY_LEVELS.find((l) => l.level === Math.min(4, Math.max(1, n)))!;

/** The level a certainty id names. */
export function certaintyLevel(id: string | undefined): CertaintyLevel | undefined {
  return CERTAINTY_LEVELS.find((l) => l.id === id);
}

/** The studies by their id as compared (`normaliseId`): built once per analysis, read by every entry. */
export function studiesByKey(studies: readonly StudyModel[]): Map<string, StudyModel> {
  const out = new Map<string, StudyModel>();
  for (const s of studies) if (s.id !== undefined && !out.has(normaliseId(s.id.value))) out.set(normaliseId(s.id.value), s);
  return out;
}

/** The entry's start: as written, else low when a study with a row in the analysis has a non-randomised design, else high. */
export function startOf(entry: CertaintyEntry, analysis: MetaAnalysisModel | undefined, studies: ReadonlyMap<string, StudyModel>): { start: string; fromDesigns: boolean } {
  if (entry.start) return { start: entry.start.value, fromDesigns: false };
  const rows = analysis?.groups.flatMap((g) => g.rows) ?? [];
  const nonRandomised = rows.some((r) => isNonRandomised(studies.get(r.studyKey)?.design?.value));
  return { start: nonRandomised ? NON_RANDOMISED_START : RANDOMISED_START, fromDesigns: true };
}

const domainName = (id: string) => CERTAINTY_DOMAINS.find((d) => d.id === id)?.name.toLowerCase() ?? id;
const upgradeName = (id: string) => CERTAINTY_UPGRADES.find((u) => u.id === id)?.name.toLowerCase() ?? id;

/** What an entry's ratings give: start − 1 per serious, − 2 per very serious, + upgrades (low start only), clamped to 1…4. */
export function computeCertainty(entry: CertaintyEntry, start: { start: string; fromDesigns: boolean }): ComputedCertainty {
  const startLevel = CERTAINTY_STARTS.find((s) => s.id === start.start)?.level ?? 4;
  let n = startLevel;
  const steps: string[] = [`${start.start} (${startLevel})`];
  const unrated: string[] = [];
  for (const d of CERTAINTY_DOMAINS) {
    const r = entry.ratings.get(d.id)?.rating?.value;
    if (r === undefined) {
      unrated.push(d.id);
      continue;
    }
    const down = CERTAINTY_RATINGS.find((x) => x.id === r)?.levels ?? 0;
    if (down) steps.push(`− ${down} ${domainName(d.id)}`);
    n -= down;
  }
  const ignoredUpgrades: string[] = [];
  for (const [id, v] of entry.upgrades) {
    if (!v.value) continue;
    if (startLevel === 4) ignoredUpgrades.push(id);
    else {
      steps.push(`+ ${v.value} ${upgradeName(id)}`);
      n += v.value;
    }
  }
  const level = levelOf(n);
  return { start: start.start, startFromDesigns: start.fromDesigns, complete: unrated.length === 0, unrated, level, ignoredUpgrades, arithmetic: `${steps.join(" ")} = ${level.id} (${level.level})` };
}

/** The most severe judgement of a tool (rob1 `high`, ROBINS-I `critical`…); undefined for a tool without an order (custom). */
function mostSevere(tool: ToolView): string | undefined {
  let worst: string | undefined;
  for (const [id, rank] of tool.severity) if (worst === undefined || rank > tool.severity.get(worst)!) worst = id;
  return worst;
}

/** A domain's judgements that apply to an outcome (rob1 per group: the group that covers it). */
function judgementsFor(d: DomainJudgements, outcome: string | undefined): (string | undefined)[] {
  if (!d.perGroup) return d.entries.map((j) => j.value);
  return d.entries.filter((j) => !j.outcomes || (outcome !== undefined && j.outcomes.some((o) => o.value === outcome))).map((j) => j.value);
}

function blockAtHighRisk(block: BiasBlock, worst: string, outcome: string | undefined, keyDomains: ReadonlySet<string> | undefined): boolean {
  if (block.overall?.value !== undefined) return block.overall.value === worst;
  return block.domains.some((d) => (!keyDomains || keyDomains.has(d.domain)) && judgementsFor(d, outcome).includes(worst));
}

/**
 * A study is at high risk of bias for an outcome when its `overall` is its
 * tool's most severe level or, without an overall, any domain is (rob1 with
 * `key_domains`: any key domain; per-outcome tools: that outcome's judgements).
 */
export function atHighRisk(study: StudyModel, tool: ToolView | undefined, outcome: string | undefined, keyDomains?: readonly string[]): boolean {
  const worst = tool ? mostSevere(tool) : undefined;
  if (!worst || !study.bias) return false;
  const keys = tool?.def?.keyDomains && keyDomains?.length ? new Set(keyDomains) : undefined;
  if (!study.bias.perOutcome) return blockAtHighRisk(study.bias.block, worst, outcome, keys);
  const block = study.bias.byOutcome.find((b) => b.outcome === outcome);
  return block ? blockAtHighRisk(block, worst, outcome, undefined) : false;
}
