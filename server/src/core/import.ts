/**
 * A RevMan 5 review as a protocol (contract section 9): studies with their
 * characteristics, excluded studies, references as CSL-JSON with derived keys,
 * RoB 1 items as rob1 judgements (or a custom tool), outcomes, arms, and every
 * analysis with its rows. Pure: text in, texts out; the command line writes them.
 */
import { CUSTOM_TOOL_ID, OUTCOME_STATUSES, REVMAN_REVIEW_TYPES, REVMAN_ROB_TOOL, REVMAN_ROB1_ITEMS, REVMAN_ROB1_RESULTS, USABLE_STATUS } from "../../../schemas/src/domain";
import { SLUG_PATTERN } from "../../../schemas/src/protocol";
import { derivedKeyBase } from "./bibliography";
import { yamlScalar } from "./edits";
import type { AnalysisModel } from "./analyses";
import { RM5_TOTALS, storedMismatches, type Rm5Outcome, type Rm5QualityItem, type Rm5Reference, type Rm5Review, type Rm5Row, type Rm5Study } from "./rm5";

export interface ImportResult {
  protocol: string;
  /** CSL-JSON of the references, when the review has any. */
  references?: string;
  /** Analysis id (in the protocol) -> RevMan's outcome, for the self-check. */
  analyses: { id: string; outcome: Rm5Outcome }[];
  /** Elements skipped (narrative sections, figures…): name -> count. */
  skipped: Map<string, number>;
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

/** A mapping key as YAML reads it back: plain when safe, double-quoted otherwise. */
function key(text: string): string {
  return /^[\p{L}\p{N}_][\p{L}\p{N}_ ().'&/+-]*$/u.test(text) && !/ $/.test(text) && !/^(true|false|null|yes|no|on|off|~)$/i.test(text) && !/^[\d.+-]+$/.test(text) ? text : JSON.stringify(text);
}

/** A text value: plain when safe, double-quoted otherwise (one line). */
function value(text: string): string {
  const t = text.replace(/\s+/g, " ").trim();
  return yamlScalar(t) === t && !/[:#]/.test(t) ? t : JSON.stringify(t);
}

const num = (n: number) => (Number.isInteger(n) ? String(n) : String(n));

function splitAuthors(authors: string[]): { family?: string; given?: string; literal?: string }[] {
  return authors.map((a) => {
    const m = /^(.+?)\s+([A-Z][A-Z.\-]*)$/.exec(a.trim());
    return m ? { family: m[1]!, given: m[2]! } : { literal: a.trim() };
  });
}

function cslOf(ref: Rm5Reference, id: string): Record<string, unknown> {
  const item: Record<string, unknown> = { id, type: ref.type === "BOOK" ? "book" : ref.type === "JOURNAL_ARTICLE" ? "article-journal" : "article" };
  const authors = splitAuthors(ref.authors);
  if (authors.length) item.author = authors;
  if (ref.title) item.title = ref.title;
  if (ref.journal) item["container-title"] = ref.journal;
  const year = ref.year && /^\d{4}/.exec(ref.year)?.[0];
  if (year) item.issued = { "date-parts": [[Number(year)]] };
  if (ref.volume) item.volume = ref.volume;
  if (ref.issue) item.issue = ref.issue;
  if (ref.pages) item.page = ref.pages;
  if (ref.doi) item.DOI = ref.doi;
  if (ref.pmid) item.PMID = ref.pmid;
  return item;
}

/** Keys as section 3 derives them: first author's family name and year, `a`, `b`… when shared. */
function referenceKeys(refs: Rm5Reference[], studyOf: Map<Rm5Reference, Rm5Study>): Map<Rm5Reference, string> {
  const bases = refs.map((r) => {
    const authors = splitAuthors(r.authors).map((a) => ({ family: a.family, literal: a.literal, text: a.family ?? a.literal ?? "" }));
    const year = (r.year && /^\d{4}/.exec(r.year)?.[0]) ?? studyOf.get(r)?.year;
    if (!authors.length) {
      // No authors in RevMan: the study's name ("Brink 1951") stands for them.
      const name = studyOf.get(r)?.name.split(/\s+/)[0];
      return derivedKeyBase(name ? [{ family: name }] : [], year);
    }
    return derivedKeyBase(authors, year);
  });
  const counts = new Map<string, number>();
  for (const b of bases) counts.set(b, (counts.get(b) ?? 0) + 1);
  const next = new Map<string, number>();
  const out = new Map<Rm5Reference, string>();
  refs.forEach((r, i) => {
    const base = bases[i]!;
    if (counts.get(base) === 1) out.set(r, base);
    else {
      const n = next.get(base) ?? 0;
      next.set(base, n + 1);
      out.set(r, base + String.fromCharCode(97 + (n % 26)) + (n >= 26 ? String(Math.floor(n / 26)) : ""));
    }
  });
  return out;
}

/** Converts a review; `name` is the output's base name (`<name>.protocol.yaml`). */
export function importRm5(review: Rm5Review, name: string): ImportResult {
  const studies = new Map<string, Rm5Study>();
  for (const s of [...review.included, ...review.excluded]) studies.set(s.id, s);
  const studyName = (id: string) => studies.get(id)?.name ?? id;
  // Every data row must name a study the file defines.
  const included = new Set(review.included.map((s) => s.id));
  for (const o of review.outcomes) {
    for (const r of [...o.rows, ...o.subgroups.flatMap((g) => g.rows)]) {
      if (!included.has(r.studyId)) throw new ImportError(`a data row of '${o.name || o.id}' names study '${r.studyId}', which the file does not define`, r.line);
    }
  }

  // References, with derived keys.
  const refs: Rm5Reference[] = [];
  const studyOf = new Map<Rm5Reference, Rm5Study>();
  for (const s of [...review.included, ...review.excluded]) {
    for (const r of s.references) {
      refs.push(r);
      studyOf.set(r, s);
    }
  }
  const keys = referenceKeys(refs, studyOf);
  const primaryKey = (s: Rm5Study) => {
    const ref = s.references.find((r) => r.primary) ?? s.references[0];
    return ref ? keys.get(ref) : undefined;
  };

  // Arms and outcomes: ids unique across interventions, comparators and outcomes.
  const taken = new Set<string>();
  const arms = new Map<string, { id: string; role: "intervention" | "comparator" }>();
  for (const o of review.outcomes) {
    o.groupLabels.forEach((label, i) => {
      const l = label.trim() || (i === 0 ? "Experimental" : "Control");
      if (!arms.has(l)) arms.set(l, { id: unique(slugify(l, i === 0 ? "experimental" : "control"), taken), role: i === 0 ? "intervention" : "comparator" });
    });
  }
  const outcomes = new Map<string, { id: string; kind: Rm5Outcome["kind"] }>();
  for (const o of review.outcomes) {
    const n = o.name.trim() || o.id;
    if (!outcomes.has(n)) outcomes.set(n, { id: unique(slugify(n, "outcome"), taken), kind: o.kind });
  }
  const analysisIds = new Set<string>();
  const analyses = review.outcomes.map((o) => ({ id: unique(slugify(`${o.id.replace(/^CMP-/i, "")} ${o.name}`, "analysis"), analysisIds), outcome: o }));

  // Which studies have data for which outcome.
  const reported = new Map<string, Set<string>>();
  for (const o of review.outcomes) {
    const oid = outcomes.get(o.name.trim() || o.id)!.id;
    for (const r of [...o.rows, ...o.subgroups.flatMap((g) => g.rows)]) {
      if (!rowNumbers(r, o)) continue;
      const set = reported.get(r.studyId) ?? new Set<string>();
      set.add(oid);
      reported.set(r.studyId, set);
    }
  }

  // Risk of bias: rob1 when every item is RoB 1's, else custom with all items.
  const items = review.qualityItems.filter((q) => q.entries.length);
  const domainOf = (q: Rm5QualityItem) => REVMAN_ROB1_ITEMS.find(([re]) => re.test(q.name.trim()))?.[1];
  const rob1 = items.every((q) => domainOf(q) !== undefined) && new Set(items.map(domainOf)).size === items.length;
  const customIds = new Map<Rm5QualityItem, string>();
  if (!rob1) {
    const used = new Set<string>();
    for (const q of items) customIds.set(q, unique(slugify(q.name, "item"), used));
  }
  const domainId = (q: Rm5QualityItem) => (rob1 ? domainOf(q)! : customIds.get(q)!);

  // Each item's entries by study, once (a review has hundreds of studies).
  const entriesByStudy = new Map<Rm5QualityItem, Map<string, Rm5QualityItem["entries"]>>();
  for (const q of items) {
    const byStudy = new Map<string, Rm5QualityItem["entries"]>();
    for (const e of q.entries) byStudy.set(e.studyId, [...(byStudy.get(e.studyId) ?? []), e]);
    entriesByStudy.set(q, byStudy);
  }
  const L: string[] = [];
  const line = (s = "") => L.push(s);
  line(`# Imported from a RevMan 5 review by review-import.`);
  line(`# RevMan does not record what a protocol states about each outcome and study, so:`);
  line(`# - every outcome is 'role: secondary': mark the primary outcomes;`);
  line(`# - a study's outcome status is '${USABLE_STATUS}' where it has a data row; statuses of outcomes`);
  line(`#   without data (${OUTCOME_STATUSES.filter((s) => !s.usable).map((s) => s.id).join(", ")}) are not in the file:`);
  line(`#   the missing-outcome-status warnings list them for the author to fill in.`);
  if (!rob1 && items.length) line(`# - the risk-of-bias items are not all RoB 1's: they are a custom tool (bias.domains).`);
  line(`protocol: 1`);
  line(`title: ${value(review.title || name)}`);
  if (review.doi) line(`id: ${value(review.doi)}`);
  line(`type: ${REVMAN_REVIEW_TYPES[review.type ?? "INTERVENTION"] ?? REVMAN_REVIEW_TYPES.INTERVENTION}`);
  line(`question:`);
  const interventions = [...arms].filter(([, a]) => a.role === "intervention");
  const comparators = [...arms].filter(([, a]) => a.role === "comparator");
  if (interventions.length) {
    line(`  interventions:`);
    for (const [label, a] of interventions) line(`    - { id: ${a.id}, description: ${value(label)} }`);
  }
  if (comparators.length) {
    line(`  comparators:`);
    for (const [label, a] of comparators) line(`    - { id: ${a.id}, description: ${value(label)} }`);
  }
  if (!interventions.length && !comparators.length) line(`  setting: ${value("not recorded in the RevMan file")}`);
  line(`outcomes:`);
  if (!outcomes.size) line(`  - { id: outcome, name: ${value("Outcome (none recorded in the RevMan file)")}, role: secondary }`);
  for (const [n, o] of outcomes) line(`  - { id: ${o.id}, name: ${value(n)}, role: secondary${o.kind === "generic" ? "" : `, type: ${o.kind}`} }`);
  line(`bias:`);
  if (rob1 || !items.length) line(`  tool: ${REVMAN_ROB_TOOL}`);
  else {
    line(`  tool: ${CUSTOM_TOOL_ID}`);
    line(`  domains:`);
    for (const q of items) line(`    - { id: ${customIds.get(q)}, name: ${value(q.name)}, judgements: [${Object.values(REVMAN_ROB1_RESULTS).join(", ")}] }`);
  }
  if (refs.length) {
    line(`sources:`);
    line(`  - bibliography: ${key(`${name}.references.json`)}`);
  }
  line(`studies:`);
  for (const s of review.included) {
    line(`  - id: ${key(s.name)}`);
    const cite = primaryKey(s);
    if (cite) line(`    cite: ${cite}`);
    const chars = Object.entries(s.characteristics).filter(([, v]) => v.trim());
    if (chars.length) {
      line(`    characteristics:`);
      for (const [k, v] of chars) line(`      ${k}: ${value(v)}`);
    }
    const withData = reported.get(s.id);
    if (withData?.size) line(`    outcomes: { ${[...withData].map((o) => `${o}: ${USABLE_STATUS}`).join(", ")} }`);
    const rob = robLines(s, items, domainId, entriesByStudy);
    if (rob.length) {
      line(`    risk_of_bias:`);
      rob.forEach((l) => line(l));
    }
  }
  if (review.excluded.length) {
    line(`excluded_studies:`);
    for (const s of review.excluded) {
      const cite = primaryKey(s);
      line(`  - { ${cite ? `cite: ${cite}` : `id: ${key(s.name)}`}, reason: ${value(s.excludedReason || "not recorded in the RevMan file")} }`);
    }
  }
  if (analyses.length) line(`analyses:`);
  for (const { id, outcome: o } of analyses) {
    const [e, c] = o.groupLabels.map((l, i) => arms.get(l.trim() || (i === 0 ? "Experimental" : "Control"))!.id) as [string, string];
    line(`  - id: ${id}`);
    line(`    outcome: ${outcomes.get(o.name.trim() || o.id)!.id}`);
    line(`    compare: [${e}, ${c}]`);
    if (o.comparison) line(`    name: ${value(`${o.comparison}: ${o.name}`)}`);
    line(`    measure: ${o.measure}`);
    if (o.measure !== "GIV") line(`    method: ${o.measure === "PETO-OR" ? "PETO" : o.method}`);
    line(`    model: ${o.random ? "random" : "fixed"}`);
    if (o.measure === "GIV") {
      if (o.label) line(`    label: ${value(o.label)}`);
      line(`    scale: ${o.logData ? "log" : "identity"}`);
    }
    const totals = RM5_TOTALS[o.totals] ?? "overall";
    if (totals !== "overall") line(`    totals: ${totals}`);
    if (o.subgroups.length) {
      line(`    subgroups:`);
      for (const g of o.subgroups) {
        line(`      - name: ${value(g.name || "Subgroup")}`);
        dataLines(g.rows, o, studyName, "        ").forEach((l) => line(l));
      }
    } else dataLines(o.rows, o, studyName, "    ").forEach((l) => line(l));
  }
  const references = refs.length ? JSON.stringify(refs.map((r) => cslOf(r, keys.get(r)!)), null, 2) + "\n" : undefined;
  return { protocol: L.join("\n") + "\n", references, analyses, skipped: review.skipped, studyNames: new Map([...studies].map(([id, s]) => [id, s.name])) };
}

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
function dataLines(rows: Rm5Row[], o: Rm5Outcome, studyName: (id: string) => string, indent: string): string[] {
  const out: string[] = [];
  const byStudy = new Map<string, Rm5Row[]>();
  for (const r of rows) byStudy.set(r.studyId, [...(byStudy.get(r.studyId) ?? []), r]);
  const written = [...byStudy].filter(([, rs]) => rs.some((r) => rowNumbers(r, o)));
  out.push(written.length ? `${indent}data:` : `${indent}data: {}`);
  for (const [studyId, rs] of byStudy) {
    const texts = rs.map((r) => {
      const n = rowNumbers(r, o);
      return n ? `{ ${n}${r.footnotes.length ? `, note: ${value(r.footnotes.join(" "))}` : ""} }` : undefined;
    });
    const ok = texts.filter((t): t is string => t !== undefined);
    const k = key(studyName(studyId));
    if (!ok.length) out.push(`${indent}  # ${k}: no numbers in RevMan (not estimable)`);
    else if (ok.length === 1) out.push(`${indent}  ${k}: ${ok[0]}`);
    else {
      out.push(`${indent}  ${k}:`);
      for (const t of ok) out.push(`${indent}    - ${t}`);
    }
  }
  return out;
}

function robLines(s: Rm5Study, items: readonly Rm5QualityItem[], domainId: (q: Rm5QualityItem) => string, entriesByStudy: Map<Rm5QualityItem, Map<string, Rm5QualityItem["entries"]>>): string[] {
  const out: string[] = [];
  for (const q of items) {
    const entries = entriesByStudy.get(q)?.get(s.id) ?? [];
    if (!entries.length) continue;
    const judgement = (result: string) => REVMAN_ROB1_RESULTS[result] ?? "";
    const support = (d: string) => (d.trim() ? value(d) : '""');
    if (q.level === "GROUP" && q.groups.length) {
      out.push(`      ${domainId(q)}:`);
      for (const e of entries) {
        const group = q.groups.find((g) => g.id === e.groupId)?.name || "All outcomes";
        out.push(`        - { group: ${value(group)}, judgement: ${judgement(e.result)}, support: ${support(e.description)} }`);
      }
    } else {
      const e = entries[0]!;
      out.push(`      ${domainId(q)}: { judgement: ${judgement(e.result)}, support: ${support(e.description)} }`);
    }
  }
  return out;
}

/** The self-check: each imported analysis, as the core computes it from the written protocol, against RevMan's stored results. */
export function verifyImport(result: ImportResult, analyses: readonly AnalysisModel[]): { analyses: number; failures: string[] } {
  const failures: string[] = [];
  for (const { id, outcome } of result.analyses) {
    const model = analyses.find((a) => a.id === id);
    const bad = model?.result ? storedMismatches(outcome, model.result, (sid) => result.studyNames.get(sid) ?? sid) : ["not computed"];
    if (bad.length) failures.push(`${id} (${outcome.name}): ${bad.slice(0, 4).join("; ")}`);
  }
  return { analyses: result.analyses.length, failures };
}

/**
 * The part of an imported protocol its numbers come from: the analyses (and the
 * outcomes and arms they name), without the studies' records, whose parse would
 * be most of the self-check's time on a large review.
 */
export function analysesPart(protocol: string): string {
  const keep = new Set(["protocol", "title", "type", "question", "outcomes", "bias", "analyses"]);
  let current = "";
  const out: string[] = [];
  for (const line of protocol.split("\n")) {
    const top = /^([a-z_]+):/.exec(line);
    if (top) current = top[1]!;
    if (keep.has(current) || (!top && current === "" && line.startsWith("#"))) out.push(line);
  }
  return out.join("\n");
}
