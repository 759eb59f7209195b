/**
 * The review's own parts as protocol keys (contract section 9): authors,
 * sources of support, background, objectives, selection criteria, search
 * methods, and the methods sections the format has a key for. Each key's text
 * is RevMan's as published; a key made of several RevMan sections gives each
 * its published heading. What the file holds and no key takes is listed for
 * the summary.
 */
import { REVMAN_SECTIONS } from "../../../../schemas/src/domain";
import { Tally } from "./import-summary";
import type { YamlScalars } from "./import-yaml";
import type { Rm5Review } from "./rm5";
import type { Rm5Person, Rm5Section } from "./rm5-sections";
import { appendAll } from "../syntax/arrays";

/** Protocol keys and the RevMan sections their text is made of (the first, when it is the parent, without a heading). */
const FIELDS: readonly { path: readonly string[]; parts: readonly string[] }[] = [
  { path: ["rationale"], parts: ["BACKGROUND", "CONDITION", "INTERVENTION", "THEORY", "IMPORTANCE"] },
  { path: ["objectives"], parts: ["OBJECTIVES"] },
  { path: ["eligibility"], parts: ["SELECTION_CRITERIA", "CRIT_STUDIES", "CRIT_PARTICIPANTS", "CRIT_INTERVENTIONS", "CRIT_OUTCOMES", "CRIT_OUTCOMES_PRIMARY", "CRIT_OUTCOMES_SECONDARY"] },
  { path: ["search", "strategy"], parts: ["SEARCH_METHODS", "ELECTRONIC_SEARCHES", "OTHER_SEARCHES"] },
  { path: ["study_records", "selection"], parts: ["STUDY_SELECTION"] },
  { path: ["study_records", "data_collection"], parts: ["DATA_EXTRACTION"] },
  { path: ["synthesis", "methods"], parts: ["EFFECT_MEASURES", "UNIT_OF_ANALYSIS", "MISSING_DATA", "DATA_SYNTHESIS"] },
  { path: ["synthesis", "heterogeneity"], parts: ["HETEROGENEITY_ASSESSMENT"] },
  { path: ["synthesis", "additional_analyses"], parts: ["SUBGROUP_ANALYSIS", "SENSITIVITY_ANALYSIS"] },
  { path: ["meta_bias"], parts: ["BIAS_ASSESSMENT"] },
];
const PARAGRAPHS = ["paragraph", "paragraphs"] as const;
/** Parents whose own text is the start of their key's text. */
const PARENTS = new Set(["BACKGROUND", "SELECTION_CRITERIA", "SEARCH_METHODS", "CRIT_OUTCOMES"]);

export interface ReviewParts {
  /** Lines before `question`: authors, support, rationale, objectives. */
  front: string[];
  /** Lines after `question`: eligibility, search, study records. */
  methods: string[];
  /** Lines after `bias`: synthesis, meta-bias. */
  synthesis: string[];
  /** What the file holds and no key takes. */
  notMapped: Tally;
}

/** Sections printed under a heading of their own parent's (RevMan's "Types of outcome measures"). */
const PARENT_OF: Readonly<Record<string, string>> = { CRIT_OUTCOMES_PRIMARY: "CRIT_OUTCOMES", CRIT_OUTCOMES_SECONDARY: "CRIT_OUTCOMES" };

/** The text of a key made of RevMan sections, or undefined when they are all empty. */
function composed(parts: readonly string[], sections: ReadonlyMap<string, Rm5Section>): string | undefined {
  const present = parts.filter((p) => sections.has(p));
  if (!present.length) return undefined;
  if (parts.length === 1) return sections.get(present[0]!)!.text;
  const out: string[] = [];
  for (const p of present) {
    const parent = PARENT_OF[p];
    // The parent's heading once, even when the parent has no text of its own.
    if (parent && !sections.has(parent) && !out.includes(REVMAN_SECTIONS[parent]!)) out.push(REVMAN_SECTIONS[parent]!);
    out.push(PARENTS.has(p) && p === parts[0] ? sections.get(p)!.text : `${REVMAN_SECTIONS[p]}\n${sections.get(p)!.text}`);
  }
  return out.join("\n");
}

/** The author RevMan names as contact: by id, else by name. */
function isContact(author: Rm5Person, contact: Rm5Person | undefined): boolean {
  if (!contact) return false;
  return author.id !== undefined && contact.id !== undefined ? author.id === contact.id : author.name === contact.name;
}

function authorLines(review: Rm5Review, notMapped: Tally, y: YamlScalars): string[] {
  if (!review.authors.length) return [];
  const out = ["authors:"];
  const contactFound = review.authors.some((a) => isContact(a, review.contact));
  if (review.contact && !contactFound) notMapped.count(1, "contact person who is not among the authors", "contact persons");
  for (const a of review.authors) {
    const corresponding = isContact(a, review.contact);
    // RevMan's contact entry holds the contact details of the same person: they come first.
    const c = corresponding ? review.contact : undefined;
    out.push(y.field("  - ", "name", a.name));
    for (const key of ["affiliation", "email", "address"] as const) {
      const v = c?.[key] ?? a[key];
      if (v) out.push(y.field("    ", key, v));
    }
    if (corresponding) out.push("    corresponding: true");
  }
  return out;
}

function supportLines(review: Rm5Review, y: YamlScalars): string[] {
  if (!review.support.length) return [];
  const out = ["support:", "  sources:"];
  for (const s of review.support) {
    const head = `${[s.name, s.country].filter(Boolean).join(", ")} (${s.internal ? "internal" : "external"} source)`;
    out.push(y.item("    ", s.description ? `${head}\n${s.description}` : head));
  }
  return out;
}

/** `key:` with nested text fields, for the keys of one parent that have text. */
function nested(y: YamlScalars, parent: string, fields: readonly [string, string | undefined][]): string[] {
  const present = fields.filter((f): f is [string, string] => f[1] !== undefined);
  if (!present.length) return [];
  return [`${y.key(parent)}:`, ...present.map(([k, v]) => y.field("  ", k, v))];
}

/** The protocol lines of the review's own parts. */
export function reviewParts(review: Rm5Review, y: YamlScalars): ReviewParts {
  const notMapped = new Tally();
  const sections = new Map(review.sections.map((s) => [s.element, s]));
  const text = new Map<string, string | undefined>(FIELDS.map((f) => [f.path.join("."), composed(f.parts, sections)]));
  const used = new Set(FIELDS.flatMap((f) => f.parts));
  const front = [...authorLines(review, notMapped, y), ...supportLines(review, y)];
  for (const key of ["rationale", "objectives"]) if (text.get(key)) front.push(y.field("", key, text.get(key)!));

  const methods: string[] = [];
  if (text.get("eligibility")) methods.push(y.field("", "eligibility", text.get("eligibility")!));
  const lastSearch = review.dates.get("LAST_SEARCH");
  const strategy = text.get("search.strategy");
  if (strategy && lastSearch) {
    // The databases are named in the strategy's text; `sources` lists none rather than guess them.
    methods.push("search:", `  date: ${lastSearch}`, "  sources: []", y.field("  ", "strategy", strategy));
  } else if (strategy) {
    for (const p of FIELDS.find((f) => f.path[0] === "search")!.parts) used.delete(p);
    notMapped.add("Search methods (no date of the last search in the file, which `search` needs)", strategy.split("\n").length, PARAGRAPHS);
  }
  appendAll(methods, nested(y, "study_records", [["selection", text.get("study_records.selection")], ["data_collection", text.get("study_records.data_collection")]]));

  const synthesis = [
    ...nested(y, "synthesis", [["methods", text.get("synthesis.methods")], ["heterogeneity", text.get("synthesis.heterogeneity")], ["additional_analyses", text.get("synthesis.additional_analyses")]]),
    ...(text.get("meta_bias") ? [y.field("", "meta_bias", text.get("meta_bias")!)] : []),
  ];

  // The sections no key takes, in paragraphs, under their heading (a methods section under its own).
  for (const s of review.sections) {
    if (used.has(s.element)) continue;
    const label = s.top === "METHODS" || s.top === s.element ? s.heading : (REVMAN_SECTIONS[s.top] ?? s.top);
    notMapped.add(label, s.text.split("\n").length, PARAGRAPHS);
  }
  const dates = [...review.dates.keys()].filter((d) => !(d === "LAST_SEARCH" && strategy)).map((d) => d.toLowerCase().replace(/_/g, " "));
  notMapped.count(dates.length, "date", "dates", dates.join(", "));
  return { front, methods, synthesis, notMapped };
}
