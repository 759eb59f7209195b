/**
 * The keys that shape a forest plot — an analysis's `labels` and `scale`, an
 * outcome's `direction` (contract section 8) — in the editor: completion values
 * that say what each gives, and what a key's hover adds about this analysis.
 */
import { measureById, OUTCOME_DIRECTIONS, RATIO_AXES, TOTALS } from "../../../schemas/src/domain";
import type { ProtocolAnalysis } from "../core/analyzer/analyzer";
import type { MetaAnalysisModel } from "../core/model/meta-analyses";
import { favoursLabels, forestAxis } from "../core/pictures/forest-axis";
import { forestContext } from "../core/pictures/plots";
import { escapeMarkdown } from "./markdown";

export interface ValueItem {
  label: string;
  detail: string;
  insertText: string;
}

/** The analysis whose item holds `offset`. */
function analysisAt(analysis: ProtocolAnalysis, offset: number): MetaAnalysisModel | undefined {
  return analysis.metaAnalyses.find((a) => a.span.start <= offset && offset <= a.span.end);
}

/** A flow-sequence item, quoted when YAML would read it otherwise. */
function flowItem(text: string): string {
  return /^[^\s\-?:,\[\]{}#&*!|>'"%@`][^,\[\]{}#:]*$/.test(text) && !/\s$/.test(text) ? text : JSON.stringify(text);
}

/** "0.5 to 2" (ratios) or "−2 to 2" (differences). */
function range(scale: number, ratio: boolean): string {
  const axis = forestAxis([], ratio, scale);
  const ends = [axis.ticks[0]!.label, axis.ticks[axis.ticks.length - 1]!.label];
  return `${ends[0]} to ${ends[1]}`;
}

/** Completion values of `analyses[].labels`, `analyses[].scale`, `analyses[].totals` and `outcomes[].direction`; undefined elsewhere. */
export function plotKeyValues(analysis: ProtocolAnalysis, offset: number, path: readonly string[], measureId: string | undefined): ValueItem[] | undefined {
  const key = path[path.length - 1];
  if (path.length === 3 && path[0] === "outcomes" && key === "direction") {
    return OUTCOME_DIRECTIONS.map((d) => ({ label: d.id, detail: d.name, insertText: d.id }));
  }
  if (path.length !== 3 || path[0] !== "analyses") return undefined;
  if (key === "totals") return TOTALS.map((t) => ({ label: t.id, detail: t.name, insertText: t.id }));
  if (key === "scale") {
    const measure = measureById(measureId ?? "");
    if (measure?.data === "generic") {
      return [
        { label: "log", detail: "The estimates and SEs are natural logs (hazard ratios, rate ratios…): shown exponentiated", insertText: "log" },
        { label: "identity", detail: "The estimates are on their own scale (mean differences…)", insertText: "identity" },
      ];
    }
    const ratio = measure?.ratio ?? true;
    const values = ratio ? RATIO_AXES.map((a) => a.max) : [1, 2, 5, 10, 100];
    return values.map((v) => ({ label: String(v), detail: `The forest plot's axis from ${range(v, ratio)}`, insertText: String(v) }));
  }
  if (key === "labels") {
    const a = analysisAt(analysis, offset);
    const ctx = a ? forestContext(analysis, a) : { arms: ["[experimental]", "[control]"] as [string, string] };
    const [experimental, control] = ctx.arms;
    const pairs: [string, string, string][] = [
      [`Favours ${experimental}`, `Favours ${control}`, "Lower is better: effects below the line of no effect favour the experimental arm"],
      [`Favours ${control}`, `Favours ${experimental}`, "Higher is better: effects above the line of no effect favour the experimental arm"],
    ];
    // The outcome's direction first.
    if (OUTCOME_DIRECTIONS.find((d) => d.id === ctx.direction)?.experimentalSide === "right") pairs.reverse();
    return pairs.map(([l, r, detail]) => {
      const text = `[${flowItem(l)}, ${flowItem(r)}]`;
      return { label: text, detail, insertText: text };
    });
  }
  return undefined;
}

/** What a key's hover adds for this analysis or outcome: the labels, the axis, the direction's effect on the plots. */
export function plotKeyNote(analysis: ProtocolAnalysis, path: readonly (string | number)[], offset: number): string | undefined {
  const key = path[path.length - 1];
  if (path[0] === "outcomes" && key === "direction" && path.length === 3) {
    return `\n\n${OUTCOME_DIRECTIONS.map((d) => `\`${d.id}\`: ${escapeMarkdown(d.name)}`).join("  \n")}  \nAn analysis's own \`labels\` win over the direction.`;
  }
  if (path[0] !== "analyses" || path.length !== 3 || (key !== "labels" && key !== "scale")) return undefined;
  const a = analysisAt(analysis, offset);
  if (!a) return undefined;
  const ctx = forestContext(analysis, a);
  if (key === "labels") {
    const [left, right] = favoursLabels(a.labels, ctx.direction, ctx.arms);
    const from = a.labels ? "as written" : ctx.direction ? `from the outcome's direction (\`${ctx.direction}\`)` : "RevMan's default (the outcome has no `direction`)";
    return `\n\nThis plot: left **${escapeMarkdown(left)}**, right **${escapeMarkdown(right)}** (${from}).`;
  }
  if (a.measure?.data === "generic") return `\n\nThis analysis: ${a.spec ? (a.spec.logScale ? "natural logs, shown exponentiated" : "on the estimates' own scale") : "no data scale yet"}; its axis follows the default rule.`;
  const ratio = Boolean(a.measure?.ratio);
  if (a.axisScale !== undefined) return `\n\nThis plot's axis: ${range(a.axisScale, ratio)}.`;
  const r = a.result;
  const cis = r ? [...r.studies.flatMap((s) => (s.ci ? [s.ci] : [])), ...(r.pooled ? [r.pooled.ci] : [])] : [];
  const axis = forestAxis(cis, ratio);
  return `\n\nNot given: the smallest standard range that holds every CI (this plot: ${axis.ticks[0]!.label} to ${axis.ticks[axis.ticks.length - 1]!.label}).`;
}
