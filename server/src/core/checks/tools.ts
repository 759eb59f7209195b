/**
 * The risk-of-bias tools of a protocol: each study is judged with a tool made
 * for its design (with a fix that adds the right one to `bias.by_design`), and
 * `bias.key_domains` names domains of the tool.
 */
import { CUSTOM_TOOL_ID } from "../../../../schemas/src/domain";
import { designMismatch, toolFor, type ToolSet } from "../model/tools";
import type { Section } from "../syntax/parse";
import { shift } from "../syntax/span";
import { didYouMean, nearest } from "../syntax/suggest";
import { pairOf, stringOf, type TreeNode } from "../syntax/tree";
import { diagnostic, type Diagnostic } from "./diagnostics";
import { replaceWith, withFixes, type FixDescription } from "./fixes";
import type { StudyAt } from "./studies";

/** A study judged with a tool not made for its design: say which tool to use, and offer the `by_design` entry. */
export function toolDesignMismatches(studies: readonly StudyAt[], tools: ToolSet, bias: Section | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { base, checked } of studies) {
    const design = checked.model.design;
    if (!design) continue;
    const tool = toolFor(tools, design.value);
    if (!tool) continue;
    const { fits, use } = designMismatch(tool, design.value, tools.reviewType);
    if (fits) continue;
    const start = base + design.start;
    const fromByDesign = tools.byDesign.get(design.value) === tool;
    const how = use
      ? `; use ${use}${fromByDesign ? ` (bias.by_design.${design.value})` : `: add \`by_design: { ${design.value}: ${use} }\` under \`bias\``}`
      : "; judge it with a tool made for its design (`bias.by_design`), or `custom`";
    const made = tool.def?.reviewTypes ? `${tool.id} is made for diagnostic-accuracy reviews` : `${tool.id} is not made for ${design.value} studies`;
    const fix = use && bias ? byDesignFix(bias, design.value, use) : undefined;
    const d = diagnostic("tool-design-mismatch", start, base + design.end, `${made}${how}`, { design: design.value, tool: tool.id, use });
    out.push(withFixes(d, fix ? [fix] : []));
  }
  return out;
}

/** The fix (absolute offsets) that makes `bias.by_design[design]` be `tool`. */
function byDesignFix(bias: Section, design: string, tool: string): FixDescription | undefined {
  const title = `Judge ${design} studies with ${tool} (bias.by_design)`;
  const map = bias.value;
  if (map?.kind !== "map" || (!map.pairs.length && !map.flow)) return undefined;
  const byDesign = pairOf(map, "by_design");
  if (byDesign) {
    const v = byDesign.value;
    const existing = pairOf(v, design);
    if (existing?.value) return replaceWith(shift(existing.value, bias.base), tool, title);
    if (v?.kind === "map" && (v.pairs.length || v.flow)) return { kind: "add-pairs", title, into: [{ map: bias.base + v.start, pairs: [{ key: design, flow: tool, after: String(v.pairs[v.pairs.length - 1]?.key.value) }] }] };
    return undefined;
  }
  const anchor = pairOf(map, "tool") ? "tool" : String(map.pairs[map.pairs.length - 1]?.key.value);
  return { kind: "add-pairs", title, into: [{ map: bias.base + map.start, pairs: [{ key: "by_design", flow: `{ ${design}: ${tool} }`, block: [`${design}: ${tool}`], after: anchor }] }] };
}

/** `bias.key_domains` must name domains of the tool. */
export function keyDomainReferences(list: TreeNode | null | undefined, bias: Section | undefined, tools: ToolSet): Diagnostic[] {
  const tool = tools.main;
  if (!bias || list?.kind !== "seq" || !tool || tool.id === CUSTOM_TOOL_ID) return [];
  const out: Diagnostic[] = [];
  const ids = tool.domains.map((d) => d.id);
  for (const item of list.items) {
    const id = stringOf(item);
    if (id === undefined || ids.includes(id)) continue;
    const suggestions = nearest(id, ids);
    const { start: s, end: e } = shift(item, bias.base);
    out.push(diagnostic("unknown-bias-domain", s, e, `'${id}' in bias.key_domains is not a domain of ${tool.id}${didYouMean(suggestions)}`, { domain: id, tool: tool.id, suggestions }));
  }
  return out;
}
