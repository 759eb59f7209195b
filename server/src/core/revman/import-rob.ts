/**
 * RevMan's risk-of-bias table (QUALITY_ITEMS) as the protocol's (contract
 * section 9): RoB 1 items by name as rob1 domains, else every item as a custom
 * domain; per-group items as per-group lists. An entry RevMan repeats for the
 * same study (and group) is written once: identical repeats are merged and
 * counted, differing ones keep the first and are counted as not mapped.
 */
import { CUSTOM_TOOL_ID, REVMAN_ROB_TOOL, REVMAN_ROB1_ITEMS, REVMAN_ROB1_RESULTS } from "../../../../schemas/src/domain";
import type { YamlScalars } from "./import-yaml";
import type { Rm5QualityItem, Rm5Study } from "./rm5";
import { appendAll } from "../syntax/arrays";

type Entry = Rm5QualityItem["entries"][number];

export interface RobImport {
  /** The `bias:` section's lines. */
  bias: string[];
  custom: boolean;
  /** A study's `risk_of_bias` lines (empty when RevMan judged nothing for it). */
  studyLines(study: Rm5Study): string[];
  /** Repeated entries, identical to the first: merged. */
  mergedRepeats: number;
  /** Repeated entries that differ from the first: only the first is kept. */
  conflictingRepeats: number;
  /** Entries for studies that are not included studies. */
  strayEntries: number;
  /** Items' descriptions (what each item asks): the format has no place for them. */
  descriptions: number;
}

/** Slugs for custom domains; `slug` is the import's. */
export function robImport(items: readonly Rm5QualityItem[], included: ReadonlySet<string>, slug: (text: string, fallback: string) => string, y: YamlScalars): RobImport {
  const judged = items.filter((q) => q.entries.length);
  const domainOf = (q: Rm5QualityItem) => REVMAN_ROB1_ITEMS.find(([re]) => re.test(q.name.trim()))?.[1];
  const rob1 = judged.every((q) => domainOf(q) !== undefined) && new Set(judged.map(domainOf)).size === judged.length;
  const ids = new Map<Rm5QualityItem, string>();
  const used = new Set<string>();
  for (const q of judged) {
    let id = rob1 ? domainOf(q)! : slug(q.name, "item");
    for (let n = 2; !rob1 && used.has(id); n++) id = `${slug(q.name, "item")}-${n}`;
    used.add(id);
    ids.set(q, id);
  }
  let mergedRepeats = 0;
  let conflictingRepeats = 0;
  let strayEntries = 0;
  // Each item's entries by study, repeats resolved once (a review has hundreds of studies).
  const byStudy = new Map<Rm5QualityItem, Map<string, Entry[]>>();
  for (const q of judged) {
    const map = new Map<string, Entry[]>();
    for (const e of q.entries) {
      if (!included.has(e.studyId)) {
        strayEntries++;
        continue;
      }
      const list = map.get(e.studyId) ?? [];
      const same = list.find((x) => (x.groupId ?? "") === (e.groupId ?? ""));
      if (!same) list.push(e);
      else if (same.result === e.result && same.description === e.description) mergedRepeats++;
      else conflictingRepeats++;
      map.set(e.studyId, list);
    }
    byStudy.set(q, map);
  }
  const bias = ["bias:"];
  if (rob1 || !judged.length) bias.push(`  tool: ${REVMAN_ROB_TOOL}`);
  else {
    bias.push(`  tool: ${CUSTOM_TOOL_ID}`, "  domains:");
    for (const q of judged) bias.push(`    - { id: ${ids.get(q)}, name: ${y.flow(q.name)}, judgements: [${Object.values(REVMAN_ROB1_RESULTS).join(", ")}] }`);
  }
  return {
    bias,
    custom: !rob1 && judged.length > 0,
    mergedRepeats,
    conflictingRepeats,
    strayEntries,
    descriptions: items.filter((q) => q.description).length,
    studyLines: (s) => {
      const out: string[] = [];
      for (const q of judged) {
        const entries = byStudy.get(q)?.get(s.id);
        if (entries?.length) appendAll(out, domainLines(ids.get(q)!, q, entries, y));
      }
      return out.length ? ["    risk_of_bias:", ...out] : [];
    },
  };
}

const judgementOf = (result: string) => REVMAN_ROB1_RESULTS[result] ?? "";

/** One judgement: a flow mapping on one line, or a block when the support has several paragraphs. */
function judgementLines(indent: string, key: string | undefined, group: string | undefined, e: Entry, y: YamlScalars): string[] {
  const judgement = judgementOf(e.result);
  const head = key !== undefined ? `${key}: ` : "- ";
  if (!e.description.includes("\n")) {
    const g = group !== undefined ? `group: ${y.flow(group)}, ` : "";
    return [`${indent}${head}{ ${g}judgement: ${judgement}, support: ${y.flow(e.description)} }`];
  }
  const inner = `${indent}  `;
  const first = group !== undefined ? [`${indent}- group: ${y.flow(group)}`] : [`${indent}${key}:`];
  return [...first, `${inner}judgement:${judgement ? ` ${judgement}` : ""}`, y.field(inner, "support", e.description)];
}

function domainLines(id: string, q: Rm5QualityItem, entries: readonly Entry[], y: YamlScalars): string[] {
  const key = y.key(id);
  if (q.level === "GROUP" && q.groups.length) {
    return [`      ${key}:`, ...entries.flatMap((e) => judgementLines("        ", undefined, q.groups.find((g) => g.id === e.groupId)?.name || "All outcomes", e, y))];
  }
  return judgementLines("      ", key, undefined, entries[0]!, y);
}
