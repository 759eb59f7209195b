/**
 * Every `[@key]` citation and `cite:` names a key some source defines (contract
 * section 6). A key no source defines gets the keys whose author and year it
 * spells, then the nearest by spelling, as fixes a reviewer chooses between; a
 * key a bibliography that cannot be read may define is information, not a
 * second error.
 */
import { transliterate } from "transliteration";
import type { SourceDefinition, UnreadBibliography } from "../sources/definitions";
import type { CitationRef } from "../syntax/citations";
import { shift } from "../syntax/span";
import { didYouMean, nearest } from "../syntax/suggest";
import { diagnostic, type Diagnostic } from "./diagnostics";
import { replaceWith, withFixes } from "./fixes";
import type { StudyAt } from "./studies";

/**
 * Suggestions by the defined keys' signature and the wrong key: a 50,000-key
 * library is searched once per wrong key, not per edit (the analyzer keeps it).
 */
export type SuggestionCache = Map<string, string[]>;

/** What the citation checks compare against. */
export interface CitationSources {
  definitions: ReadonlyMap<string, SourceDefinition>;
  signature: string;
  unread: readonly UnreadBibliography[];
}

/**
 * A citation no readable source defines, while a bibliography that may define it
 * cannot be read: information, not a second error for the bibliography's one cause.
 * No fix: the key may well be right.
 */
function mayBeInUnread(ref: CitationRef, unread: readonly UnreadBibliography[]): Diagnostic | undefined {
  const where = unread.find((u) => u.keys === undefined || u.keys.has(ref.key));
  if (!where) return undefined;
  const why = where.keys
    ? `it is the key of an entry of '${where.written}' that cannot be read`
    : `it may be defined in '${where.written}', which cannot be read`;
  return diagnostic("unresolved-citation", ref.start, ref.end, `No readable source defines the citation key '${ref.key}': ${why} (see the error on that source)`, { key: ref.key, suggestions: [], unread: where.written }, "information");
}

/** Every citation (those outside the studies, then each study's) whose key no source defines. */
export function unresolvedCitations(outside: readonly CitationRef[], studies: readonly StudyAt[], sources: CitationSources, cache: SuggestionCache): Diagnostic[] {
  const refs: CitationRef[] = [...outside];
  for (const { base, checked } of studies) {
    const { cite, citations } = checked.model;
    if (cite) refs.push(shift({ key: cite.value, start: cite.start, end: cite.end }, base));
    for (const c of citations) refs.push(shift(c, base));
  }
  const out: Diagnostic[] = [];
  for (const ref of refs) {
    if (sources.definitions.has(ref.key)) continue;
    const maybe = sources.unread.length ? mayBeInUnread(ref, sources.unread) : undefined;
    if (maybe) {
      out.push(maybe);
      continue;
    }
    const cacheKey = `${sources.signature}\u0001${ref.key}`;
    let suggestions = cache.get(cacheKey);
    if (!suggestions) {
      if (cache.size > 1000) cache.clear();
      cache.set(cacheKey, (suggestions = citationSuggestions(ref.key, sources.definitions)));
    }
    // Each fix says which work it points to; none is preferred or applied by "fix all": it could make a study cite another trial.
    const fixes = suggestions.map((c) => replaceWith({ ...ref, value: ref.key }, c, `Use ${c} — ${workOf(sources.definitions.get(c)!)}`, false));
    const d = diagnostic(
      "unresolved-citation",
      ref.start,
      ref.end,
      `No source defines the citation key '${ref.key}'${didYouMean(suggestions)}${suggestions.length ? "" : "; add it to `sources` (a file or a bibliography)"}`,
      { key: ref.key, suggestions },
    );
    out.push(withFixes(d, fixes));
  }
  return out;
}

/** "McMurray 2019, Dapagliflozin in patients with heart failure…" */
function workOf(def: SourceDefinition): string {
  const m = def.meta;
  const author = m.authors[0]?.split(/[\s,]+/).filter(Boolean);
  const family = author ? (m.authors[0]!.includes(",") ? author[0] : author[author.length - 1]) : undefined;
  const title = m.title ? (m.title.length > 60 ? `${m.title.slice(0, 59).trimEnd()}…` : m.title) : undefined;
  return [[family, m.year].filter(Boolean).join(" "), title].filter(Boolean).join(", ") || def.key;
}

/**
 * Keys to suggest for a missing one: first those whose first author and year the
 * missing key spells (`mcmurray_dapagliflozin_2019` → the McMurray 2019 entry),
 * then the nearest by spelling. At most three.
 */
function citationSuggestions(key: string, sources: ReadonlyMap<string, SourceDefinition>): string[] {
  const lower = transliterate(key).toLowerCase();
  const year = /(?:19|20)\d\d/.exec(lower)?.[0];
  const byWork: string[] = [];
  if (year) {
    // Keys that spell the year first (reading an entry's fields parses it: a library has tens of thousands).
    let looked = 0;
    for (const [k, def] of sources) {
      if (!k.includes(year) || ++looked > 500) continue;
      if (def.meta.year !== year) continue;
      const first = def.meta.authors[0];
      if (!first) continue;
      const parts = transliterate(first).toLowerCase().split(/[^a-z]+/).filter((p) => p.length > 2);
      if (parts.some((p) => lower.includes(p))) byWork.push(k);
      if (byWork.length >= 3) break;
    }
  }
  const near = nearest(key, [...sources.keys()].filter((k) => !byWork.includes(k)));
  return [...byWork, ...near].slice(0, 3);
}
