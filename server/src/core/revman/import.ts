/**
 * A RevMan 5 review as a protocol (contract section 9), `stage: review`: the
 * review's own parts (import-sections.ts), studies with their characteristics,
 * excluded studies, every reference as CSL-JSON (import-references.ts), the
 * risk-of-bias table (import-rob.ts), outcomes with the roles the methods give
 * them (import-outcomes.ts), arms, and every analysis with its rows, labels and
 * axis scale. Pure: text in, texts out; the command line writes them.
 */
import { FIXED_EFFECT, MEASURE, OUTCOME_STATUSES, OVERALL_TOTAL, RANDOM_EFFECTS, REVMAN_REFERENCE_KINDS, REVMAN_REVIEW_TYPES, USABLE_STATUS } from "../../../../schemas/src/domain";
import { SLUG_PATTERN } from "../../../../schemas/src/protocol";
import { referencesFile } from "../../../../schemas/src/files";
import type { MetaAnalysisModel } from "../model/meta-analyses";
import { outcomeRoles, type OutcomeRole } from "./import-outcomes";
import { cslItem, cslJson, referenceKeys } from "./import-references";
import { robImport, type RobImport } from "./import-rob";
import { reviewParts } from "./import-sections";
import { Tally, type ImportCheck } from "./import-summary";
import { YamlScalars } from "./import-yaml";
import { hasStoredResults, RM5_TOTALS, storedMismatches, type Rm5Outcome, type Rm5Reference, type Rm5Review, type Rm5Row, type Rm5Study } from "./rm5";
import { registrationsIn } from "../sources/source-index";
import { appendAll } from "../syntax/arrays";

export interface ImportResult {
  protocol: string;
  /** CSL-JSON of the references, when the review has any. */
  references?: string;
  /** "69 references: 17 to included studies, …", when the review has any. */
  referencesSummary?: string;
  /** Analysis id (in the protocol) -> RevMan's outcome, for the self-check. */
  analyses: { id: string; outcome: Rm5Outcome }[];
  /** What the file holds and the format has no place for. */
  notMapped: Tally;
  /** What was written once for several entries: "3 repeated risk-of-bias entries (identical)". */
  merged: string[];
  /** RevMan study id -> the study id in the protocol. */
  studyNames: Map<string, string>;
}

export class ImportError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

function slugify(text: string, fallback: string): string {
  const s = text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  // At most 48 characters, cut at a word boundary.
  const short = s.length <= 48 ? s : s.slice(0, 49).replace(/-[^-]*$/, "") || s.slice(0, 48);
  return SLUG_PATTERN.test(short) ? short : fallback;
}

function unique(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

const allRows = (o: Rm5Outcome) => [...o.rows, ...o.subgroups.flatMap((g) => g.rows)];
const outcomeName = (o: Rm5Outcome) => o.name.trim() || o.id;
const armLabel = (label: string, i: number) => label.trim() || (i === 0 ? "Experimental" : "Control");

type Arms = Map<string, { id: string; role: "intervention" | "comparator" }>;
type Outcomes = Map<string, { id: string; kind: Rm5Outcome["kind"] }>;

/** Ids for arms, outcomes (unique together) and analyses. */
function idsOf(review: Rm5Review): { arms: Arms; outcomes: Outcomes; analyses: { id: string; outcome: Rm5Outcome }[] } {
  const taken = new Set<string>();
  const arms: Arms = new Map();
  for (const o of review.outcomes) {
    o.groupLabels.forEach((label, i) => {
      const l = armLabel(label, i);
      if (!arms.has(l)) arms.set(l, { id: unique(slugify(l, i === 0 ? "experimental" : "control"), taken), role: i === 0 ? "intervention" : "comparator" });
    });
  }
  const outcomes: Outcomes = new Map();
  for (const o of review.outcomes) if (!outcomes.has(outcomeName(o))) outcomes.set(outcomeName(o), { id: unique(slugify(outcomeName(o), "outcome"), taken), kind: o.kind });
  const analysisIds = new Set<string>();
  const analyses = review.outcomes.map((o) => ({ id: unique(slugify(`${o.id.replace(/^CMP-/i, "")} ${o.name}`, "analysis"), analysisIds), outcome: o }));
  return { arms, outcomes, analyses };
}

/** RevMan study id -> the outcome ids it has usable data for. */
function reportedOutcomes(review: Rm5Review, outcomes: Outcomes): Map<string, Set<string>> {
  const reported = new Map<string, Set<string>>();
  for (const o of review.outcomes) {
    const oid = outcomes.get(outcomeName(o))!.id;
    for (const r of allRows(o)) if (rowNumbers(r, o)) reported.set(r.studyId, (reported.get(r.studyId) ?? new Set<string>()).add(oid));
  }
  return reported;
}

/** The comment at the top: what RevMan does not record, and what the import did about it. */
function headerLines(stage: string, primaries: number, custom: boolean, from: string): string[] {
  return [
    `# Imported from ${from} ${stage} by review-import${stage === "review" ? ": a completed review (stage: review)" : ""}.`,
    `# RevMan does not record what a protocol states about each outcome and study, so:`,
    primaries
      ? `# - the ${primaries === 1 ? "outcome" : `${primaries} outcomes`} the review's methods name as primary ${primaries === 1 ? "is" : "are"} 'role: primary'; the others are 'role: secondary';`
      : `# - every outcome is 'role: secondary' (the review's methods name none of them as primary): mark the primary outcomes;`,
    `# - a study's outcome status is '${USABLE_STATUS}' where it has a data row; statuses of outcomes`,
    `#   without data (${OUTCOME_STATUSES.filter((s) => !s.usable).map((s) => s.id).join(", ")}) are not in the file:`,
    `#   the missing-outcome-status diagnostics list them for the author to fill in.`,
    ...(custom ? [`# - the risk-of-bias items are not all RoB 1's: they are a custom tool (bias.domains).`] : []),
  ];
}

/** Converts a review; `name` is the output's base name (`<name>.protocol.yaml`); `from` says what it was read from. */
export function importRm5(review: Rm5Review, name: string, from = "a RevMan 5"): ImportResult {
  const allStudies = [...review.included, ...review.excluded, ...review.awaiting, ...review.ongoing];
  const studies = new Map(allStudies.map((s) => [s.id, s]));
  const studyName = (id: string) => studies.get(id)?.name ?? id;
  // Every data row must name an included study.
  const included = new Set(review.included.map((s) => s.id));
  for (const o of review.outcomes) {
    for (const r of allRows(o)) if (!included.has(r.studyId)) throw new ImportError(`a data row of '${o.name || o.id}' names study '${r.studyId}', which the file does not define`, r.line);
  }
  // References, with derived keys; a study cites its primary reference.
  const studyOf = new Map<Rm5Reference, Rm5Study>();
  for (const s of allStudies) for (const r of s.references) studyOf.set(r, s);
  const keys = referenceKeys(review.references, studyOf);
  const primaryKey = (s: Rm5Study) => {
    const ref = s.references.find((r) => r.primary) ?? s.references[0];
    return ref ? keys.get(ref) : undefined;
  };
  const { arms, outcomes, analyses } = idsOf(review);
  const section = (element: string) => review.sections.find((s) => s.element === element)?.text;
  const roles = outcomeRoles([...outcomes.keys()], section("CRIT_OUTCOMES_PRIMARY"), section("CRIT_OUTCOMES_SECONDARY"));
  const reported = reportedOutcomes(review, outcomes);
  const y = new YamlScalars();
  const rob = robImport(review.qualityItems, included, slugify, y);
  const parts = reviewParts(review, y);
  // RevMan's protocols (STAGE="P") stay protocols; everything else is a completed review.
  const stage = review.stage === "P" ? "protocol" : "review";

  const L = headerLines(stage, [...roles.values()].filter((r) => r.role === "primary").length, rob.custom, from);
  L.push(`protocol: 1`, `stage: ${stage}`, `title: ${y.block(review.title || name)}`);
  if (review.doi) L.push(`id: ${y.block(review.doi)}`);
  L.push(`type: ${REVMAN_REVIEW_TYPES[review.type ?? "INTERVENTION"] ?? REVMAN_REVIEW_TYPES.INTERVENTION}`);
  appendAll(L, parts.front, questionLines(arms, y), parts.methods, outcomeLines(outcomes, roles, y), rob.bias, parts.synthesis);
  if (review.references.length) L.push(`sources:`, `  - bibliography: ${y.block(referencesFile(name))}`);
  L.push(`studies:`);
  for (const s of review.included) appendAll(L, studyLines(s, primaryKey(s), reported.get(s.id), rob.studyLines(s), y));
  if (review.excluded.length) L.push(`excluded_studies:`);
  for (const s of review.excluded) {
    const cite = primaryKey(s);
    L.push(`  - ${y.flowMap([cite ? ["cite", cite] : ["id", s.name], ["reason", s.excludedReason || "not recorded in the RevMan file"]])}`);
  }
  if (analyses.length) L.push(`analyses:`);
  for (const { id, outcome: o } of analyses) appendAll(L, analysisLines(id, o, outcomes.get(outcomeName(o))!.id, arms, studyName, y));

  const references = review.references.length ? cslJson(review.references.map((r) => cslItem(r, keys.get(r)!, studyOf.get(r)))) : undefined;
  return {
    protocol: y.resolve(L.join("\n") + "\n"),
    references,
    referencesSummary: references ? referencesSummary(review.references, referencesFile(name)) : undefined,
    analyses,
    notMapped: notMappedOf(review, rob, parts.notMapped),
    merged: rob.mergedRepeats ? [`${rob.mergedRepeats} repeated risk-of-bias ${rob.mergedRepeats === 1 ? "entry" : "entries"} (identical)`] : [],
    studyNames: new Map([...studies].map(([id, s]) => [id, s.name])),
  };
}

/** What the file holds that the format has no place for. */
function notMappedOf(review: Rm5Review, rob: RobImport, fromParts: Tally): Tally {
  const notMapped = new Tally();
  for (const e of review.extras) if (e.unit) notMapped.add(e.many, e.count, e.unit);
  else notMapped.count(e.count, e.one, e.many);
  notMapped.addAll(fromParts);
  tallyStudies(review, notMapped);
  notMapped.count(rob.conflictingRepeats, "repeated risk-of-bias entry that differs from the first", "repeated risk-of-bias entries that differ from the first", "the first is kept");
  notMapped.count(rob.strayEntries, "risk-of-bias entry of a study that is not included", "risk-of-bias entries of studies that are not included");
  notMapped.count(rob.descriptions, "risk-of-bias item description", "risk-of-bias item descriptions", "what each item asks");
  const givScales = review.outcomes.filter((o) => o.measure === MEASURE.GIV && o.scale !== undefined).length;
  notMapped.count(givScales, "axis scale of a GIV analysis", "axis scales of GIV analyses", "`scale` holds the data's log or identity; the axis follows the default rule");
  return notMapped;
}

function referencesSummary(refs: readonly Rm5Reference[], file: string): string {
  const counts = REVMAN_REFERENCE_KINDS.map((k) => [k.short, refs.filter((r) => r.kind === k.kind).length] as const).filter(([, n]) => n > 0);
  const ids = refs.filter((r) => r.doi).length;
  const pmids = refs.filter((r) => r.pmid).length;
  return `${refs.length} in ${file} (${counts.map(([what, n]) => `${n} ${what}`).join(", ")}); ${ids} with a DOI, ${pmids} with a PubMed id`;
}

/** What the studies hold that the format has no place for. */
function tallyStudies(review: Rm5Review, notMapped: Tally): void {
  const inBibliography = "the references are in the bibliography";
  notMapped.count(review.awaiting.length, "study awaiting classification", "studies awaiting classification", inBibliography);
  notMapped.count(review.ongoing.length, "ongoing study", "ongoing studies", inBibliography);
  for (const s of review.included) for (const u of s.userDefined) notMapped.add(`User-defined characteristic '${u.name}'`, 1, ["study", "studies"]);
  const identifiers = review.included.flatMap((s) => s.identifiers).filter((i) => !registrationsIn(i.value).length);
  notMapped.count(identifiers.length, "study identifier other than a trial registration", "study identifiers other than trial registrations");
}

function questionLines(arms: Arms, y: YamlScalars): string[] {
  const out = [`question:`];
  for (const role of ["intervention", "comparator"] as const) {
    const list = [...arms].filter(([, a]) => a.role === role);
    if (!list.length) continue;
    out.push(`  ${role}s:`);
    for (const [label, a] of list) out.push(`    - ${y.flowMap([["id", a.id], ["description", label]])}`);
  }
  if (out.length === 1) out.push(`  setting: ${y.block("not recorded in the RevMan file")}`);
  return out;
}

function outcomeLines(outcomes: Outcomes, roles: Map<string, OutcomeRole>, y: YamlScalars): string[] {
  const out = [`outcomes:`];
  if (!outcomes.size) out.push(`  - ${y.flowMap([["id", "outcome"], ["name", "Outcome (none recorded in the RevMan file)"], ["role", "secondary"]])}`);
  for (const [n, o] of outcomes) {
    const role = roles.get(n)!;
    const why = role.role === "primary" ? `  # named among the primary outcomes of the review's methods: ${role.item}` : "";
    out.push(`  - ${y.flowMap([["id", o.id], ["name", n], ["role", role.role], ["type", o.kind === "generic" ? undefined : o.kind]])}${why.replace(/\n/g, " ")}`);
  }
  return out;
}

function studyLines(s: Rm5Study, cite: string | undefined, withData: Set<string> | undefined, rob: string[], y: YamlScalars): string[] {
  const out = [`  - id: ${y.block(s.name)}`];
  if (cite) out.push(`    cite: ${cite}`);
  const registrations = [...new Set(s.identifiers.flatMap((i) => registrationsIn(i.value)))];
  if (registrations.length) out.push(`    registrations: [${registrations.map((t) => y.flow(t)).join(", ")}]`);
  const chars = Object.entries(s.characteristics);
  if (chars.length) appendAll(out, [`    characteristics:`], chars.map(([k, v]) => y.field("      ", k, v)));
  if (withData?.size) out.push(`    outcomes: { ${[...withData].map((o) => `${o}: ${USABLE_STATUS}`).join(", ")} }`);
  return [...out, ...rob];
}

function analysisLines(id: string, o: Rm5Outcome, outcome: string, arms: Map<string, { id: string }>, studyName: (id: string) => string, y: YamlScalars): string[] {
  const [e, c] = o.groupLabels.map((l, i) => arms.get(armLabel(l, i))!.id) as [string, string];
  const out = [`  - id: ${id}`, `    outcome: ${outcome}`, `    compare: [${e}, ${c}]`];
  if (o.comparison) out.push(`    name: ${y.block(`${o.comparison}: ${o.name}`)}`);
  out.push(`    measure: ${o.measure}`);
  if (o.measure !== MEASURE.GIV) out.push(`    method: ${o.measure === MEASURE.PETO_OR ? "PETO" : o.method}`);
  out.push(`    model: ${o.random ? RANDOM_EFFECTS : FIXED_EFFECT}`);
  if (o.measure === MEASURE.GIV) {
    if (o.label) out.push(`    label: ${y.block(o.label)}`);
    out.push(`    scale: ${o.logData ? "log" : "identity"}`);
  } else if (o.scale !== undefined) out.push(`    scale: ${o.scale}`);
  if (o.graphLabels) out.push(`    labels: [${o.graphLabels.map((t) => y.flow(t)).join(", ")}]`);
  const totals = RM5_TOTALS[o.totals] ?? OVERALL_TOTAL;
  if (totals !== OVERALL_TOTAL) out.push(`    totals: ${totals}`);
  if (o.subgroups.length) {
    out.push(`    subgroups:`);
    for (const g of o.subgroups) appendAll(out, [`      - name: ${y.block(g.name)}`], dataLines(g.rows, o, studyName, "        ", y));
  } else appendAll(out, dataLines(o.rows, o, studyName, "    ", y));
  return out;
}

const num = (n: number) => String(n);

/** A row's numbers as the protocol writes them, or undefined when RevMan has none to compute with. */
function rowNumbers(r: Rm5Row, o: Rm5Outcome): string | undefined {
  const pair = (p: [number, number] | undefined) => (p && p.every(Number.isFinite) ? `[${num(p[0])}, ${num(p[1])}]` : undefined);
  if (o.kind === "dichotomous") {
    const events = pair(r.events);
    const total = pair(r.total);
    if (!events || !total || r.total!.some((t) => t < 1)) return undefined;
    return `events: ${events}, total: ${total}`;
  }
  if (o.kind === "continuous") {
    const mean = pair(r.mean);
    const sd = pair(r.sd);
    const total = pair(r.total);
    if (!mean || !sd || !total || r.total!.some((t) => t < 1) || r.sd!.some((x) => x < 0)) return undefined;
    return `mean: ${mean}, sd: ${sd}, total: ${total}`;
  }
  if (r.estimate === undefined || r.se === undefined || !(r.se > 0)) return undefined;
  const total = pair(r.total);
  return `estimate: ${num(r.estimate)}, se: ${num(r.se)}${total && r.total!.every((t) => t >= 1) ? `, total: ${total}` : ""}`;
}

/** `data:` with one line per study (a list for a study with several rows); rows without numbers as comments. */
function dataLines(rows: Rm5Row[], o: Rm5Outcome, studyName: (id: string) => string, indent: string, y: YamlScalars): string[] {
  const out: string[] = [];
  const byStudy = new Map<string, Rm5Row[]>();
  for (const r of rows) byStudy.set(r.studyId, [...(byStudy.get(r.studyId) ?? []), r]);
  const written = [...byStudy].filter(([, rs]) => rs.some((r) => rowNumbers(r, o)));
  out.push(written.length ? `${indent}data:` : `${indent}data: {}`);
  for (const [studyId, rs] of byStudy) {
    const texts = rs.map((r) => {
      const n = rowNumbers(r, o);
      return n ? `{ ${n}${r.footnotes.length ? `, note: ${y.flow(r.footnotes.join(" "))}` : ""} }` : undefined;
    });
    const ok = texts.filter((t): t is string => t !== undefined);
    const k = y.key(studyName(studyId));
    if (!ok.length) out.push(`${indent}  # ${k}: no numbers in RevMan (not estimable)`);
    else if (ok.length === 1) out.push(`${indent}  ${k}: ${ok[0]}`);
    else appendAll(out, [`${indent}  ${k}:`], ok.map((t) => `${indent}    - ${t}`));
  }
  return out;
}

/**
 * The self-check: each imported analysis, as the core computes it from the
 * written protocol, against RevMan's stored results. An analysis RevMan stored
 * no results for is not compared: it is counted apart.
 */
export function verifyImport(result: ImportResult, analyses: readonly MetaAnalysisModel[]): ImportCheck {
  const failures: string[] = [];
  let unstored = 0;
  for (const { id, outcome } of result.analyses) {
    const model = analyses.find((a) => a.id === id);
    // All zeros in a data package: stored as "not estimable" only when nothing is estimable; else nothing was stored.
    const zerosAsNotEstimable = outcome.storedAsZeros === true && model?.result?.studies.every((s) => !s.estimable) === true;
    if (!hasStoredResults(outcome) && !zerosAsNotEstimable) {
      unstored++;
      continue;
    }
    const bad = model?.result ? storedMismatches(outcome, model.result, (sid) => result.studyNames.get(sid) ?? sid) : ["not computed"];
    if (bad.length) failures.push(`${id} (${outcome.name}): ${bad.slice(0, 4).join("; ")}`);
  }
  return { analyses: result.analyses.length, unstored, failures };
}

/**
 * The part of an imported protocol its numbers come from: the analyses (and the
 * outcomes and arms they name), without the studies' records, whose parse would
 * be most of the self-check's time on a large review.
 */
export function analysesPart(protocol: string): string {
  const keep = new Set(["protocol", "stage", "title", "type", "question", "outcomes", "bias", "analyses"]);
  let current = "";
  const out: string[] = [];
  for (const line of protocol.split("\n")) {
    const top = /^([a-z_]+):/.exec(line);
    if (top) current = top[1]!;
    if (keep.has(current) || (!top && current === "" && line.startsWith("#"))) out.push(line);
  }
  return out.join("\n");
}
