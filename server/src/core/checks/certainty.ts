/**
 * GRADE certainty (contract section 11): a stated certainty against what its
 * ratings give (`certainty-inconsistent`, fixed to the computed level), domains
 * not rated and upgrades of randomised evidence (`certainty-hint`), the data
 * hints (certainty-hints.ts), and each entry's analysis: declared, once.
 */
import { CERTAINTY_UPGRADES } from "../../../../schemas/src/domain";
import { computeCertainty, startOf, type ComputedCertainty } from "../model/certainty";
import type { CertaintyEntry } from "../model/evidence";
import { appendAll } from "../syntax/arrays";
import { didYouMean, listOf, nearest } from "../syntax/suggest";
import { certaintyHints, type CertaintyContext } from "./certainty-hints";

export type { CertaintyContext };
import { diagnostic, type Diagnostic } from "./diagnostics";
import { replacements, withFixes } from "./fixes";

/** Every `certainty` entry's diagnostics (document offsets). */
export function checkCertainty(entries: readonly CertaintyEntry[], ctx: CertaintyContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byId = new Map(ctx.metaAnalyses.map((a) => [a.id, a]));
  const seen = new Set<string>();
  for (const entry of entries) {
    const id = entry.analysis;
    const analysis = id ? byId.get(id.value) : undefined;
    if (id && !analysis) out.push(unknownAnalysis(id, byId.keys()));
    if (id && analysis && seen.has(id.value)) {
      // The first entry is the analysis's row; a second is reported, not rated again.
      out.push(diagnostic("duplicate-id", id.start, id.end, `Analysis '${id.value}' already has a certainty entry above: one entry per analysis (one row of the summary of findings)`, { id: id.value }));
      continue;
    }
    if (id) seen.add(id.value);
    const computed = computeCertainty(entry, startOf(entry, analysis, ctx.studies));
    ratingHints(entry, computed, out);
    const inconsistent = statedVsComputed(entry, computed);
    if (inconsistent) out.push(inconsistent);
    if (analysis) appendAll(out, certaintyHints(entry, analysis, ctx));
  }
  return out;
}

function unknownAnalysis(id: NonNullable<CertaintyEntry["analysis"]>, ids: Iterable<string>): Diagnostic {
  const suggestions = nearest(id.value, ids);
  const d = diagnostic("unknown-reference", id.start, id.end, `Analysis '${id.value}' is not declared in \`analyses\`${didYouMean(suggestions)}`, { kind: "analysis", id: id.value, suggestions });
  return withFixes(d, replacements(id, suggestions));
}

/** Domains not rated (not assumed `no`), and upgrades under a high start (randomised evidence is not rated up). */
function ratingHints(entry: CertaintyEntry, computed: ComputedCertainty, out: Diagnostic[]): void {
  // A rating the schema rejects is reported there, not as "not rated".
  const unrated = computed.unrated.filter((d) => !entry.ratings.get(d)?.invalid);
  if (unrated.length) {
    out.push(
      diagnostic(
        "certainty-hint",
        entry.keySpan.start,
        entry.keySpan.end,
        `Not rated: ${listOf(unrated)}. A domain without a rating is not assumed \`no\`: rate ${unrated.length === 1 ? "it" : "each"} no, serious or very-serious (publication_bias: no or serious)`,
        { unrated },
      ),
    );
  }
  for (const id of computed.ignoredUpgrades) {
    const v = entry.upgrades.get(id)!;
    const name = CERTAINTY_UPGRADES.find((u) => u.id === id)!.name;
    out.push(
      diagnostic(
        "certainty-hint",
        v.start,
        v.end,
        `${name} is not counted: the evidence starts high (${computed.startFromDesigns ? "randomised trials, from the studies' designs" : "`start: high`"}), and randomised evidence is not rated up (GRADE Handbook 5.3); only a low start is`,
        { upgrade: id },
      ),
    );
  }
}

/** A stated certainty that differs from the computed one, when all five domains are rated; the fix writes the computed level. */
function statedVsComputed(entry: CertaintyEntry, computed: ComputedCertainty): Diagnostic | undefined {
  const stated = entry.certainty;
  if (!stated || !computed.complete || stated.value === computed.level.id) return undefined;
  const d = diagnostic(
    "certainty-inconsistent",
    stated.start,
    stated.end,
    `Stated certainty '${stated.value}' differs from what the ratings give: ${computed.arithmetic}${computed.startFromDesigns ? " (start from the studies' designs)" : ""}. Set it to '${computed.level.id}', or revise the ratings`,
    { stated: stated.value, computed: computed.level.id },
  );
  return withFixes(d, certaintyFix(stated, computed.level.id));
}

/** The quick fix of `certainty-inconsistent`: the stated level replaced by the computed one, in its quoting style. */
function certaintyFix(stated: NonNullable<CertaintyEntry["certainty"]>, computed: string) {
  return replacements(stated, [computed], (c) => `Set certainty to '${c}' (what the ratings give)`);
}
