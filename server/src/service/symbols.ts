/** The outline (document symbols) and code lenses, as plain data. */
import { OVERALL_KEY } from "../../../schemas/src/domain";
import type { ProtocolAnalysis } from "../core/analyzer/analyzer";
import { analysisSummary } from "../core/pictures/format";
import { judgementsOf, type StudyModel } from "../core/model/studies";
import { missingDomains } from "../core/model/tools";
import { reportingLine } from "./hover";
import { toolOfStudy } from "./locate";

export interface DocumentSymbol {
  name: string;
  detail?: string;
  kind: "section" | "outcome" | "arm" | "source" | "study" | "field" | "analysis";
  start: number;
  end: number;
  selectionStart: number;
  selectionEnd: number;
  children: DocumentSymbol[];
}

/**
 * Where a list of studies or analyses ends: at its last item. Read item by item,
 * such a list has no value of its own past its header; read whole it has, and
 * the outline must not depend on how it was read.
 */
function sectionEnd(analysis: ProtocolAnalysis, key: string): number | undefined {
  const spans = key === "studies" ? analysis.studies.map((x) => x.model.span) : key === "analyses" ? analysis.metaAnalyses.map((x) => x.span) : [];
  let end: number | undefined;
  for (const span of spans) if (end === undefined || span.end > end) end = span.end;
  return end;
}

export function documentSymbols(analysis: ProtocolAnalysis): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const s of analysis.parsed.sections) {
    const start = s.base + s.keyNode.start;
    const end = sectionEnd(analysis, s.key) ?? s.base + (s.value?.end ?? s.keyNode.end);
    const symbol: DocumentSymbol = { name: s.key, kind: "section", start, end, selectionStart: start, selectionEnd: s.base + s.keyNode.end, children: [] };
    const v = s.value;
    if (s.key === "question" && v?.kind === "map") {
      for (const p of v.pairs) {
        const k = String(p.key.value);
        const child: DocumentSymbol = { name: k, kind: "field", start: s.base + p.key.start, end: s.base + (p.value?.end ?? p.key.end), selectionStart: s.base + p.key.start, selectionEnd: s.base + p.key.end, children: [] };
        if (k === "interventions" || k === "comparators") {
          child.children = analysis.arms.filter((a) => a.list === k).map((a) => ({ name: a.id, detail: a.description, kind: "arm", start: a.span.start, end: a.span.end, selectionStart: a.idSpan.start, selectionEnd: a.idSpan.end, children: [] }));
        }
        symbol.children.push(child);
      }
    }
    if (s.key === "outcomes") {
      symbol.children = analysis.outcomes.map((o) => ({
        name: o.id,
        detail: [o.name, o.role].filter(Boolean).join(" · "),
        kind: "outcome",
        start: o.span.start,
        end: o.span.end,
        selectionStart: o.idSpan.start,
        selectionEnd: o.idSpan.end,
        children: [],
      }));
    }
    if (s.key === "bias") symbol.detail = analysis.context.tools.main?.id;
    if (s.key === "sources") {
      for (const e of analysis.sourceEntries) {
        const name = e.key ?? e.bibliography;
        if (name === undefined) continue;
        const detail = e.file ?? (e.bibliography !== undefined ? "bibliography" : undefined);
        symbol.children.push({ name, detail, kind: "source", start: e.span.start, end: e.span.end, selectionStart: e.nameSpan.start, selectionEnd: e.nameSpan.end, children: [] });
      }
    }
    if (s.key === "studies") {
      for (const { model } of analysis.studies) {
        const detail = [model.design?.value, model.country].filter(Boolean).join(" · ");
        const sel = model.id ?? model.span;
        symbol.children.push({ name: model.id?.value ?? "(study without id)", detail: detail || undefined, kind: "study", start: model.span.start, end: model.span.end, selectionStart: sel.start, selectionEnd: sel.end, children: [] });
      }
    }
    if (s.key === "analyses") {
      for (const a of analysis.metaAnalyses) {
        symbol.children.push({
          name: a.id || "(analysis without id)",
          detail: analysisSummary(a),
          kind: "analysis",
          start: a.span.start,
          end: a.span.end,
          selectionStart: a.idSpan.start,
          selectionEnd: a.idSpan.end,
          children: [],
        });
      }
    }
    out.push(symbol);
  }
  return out;
}

export interface CodeLens {
  offset: number;
  title: string;
}

/** "RoB: 5 low · 1 unclear · 1 high" (per-outcome tools: the overall of each outcome). */
function robSummary(analysis: ProtocolAnalysis, model: StudyModel, index: number): string | undefined {
  const tool = toolOfStudy(analysis, index);
  if (!tool || !model.bias) return undefined;
  if (!model.bias.perOutcome) {
    const block = model.bias.block;
    const counts = new Map<string, number>();
    let notAssessed = 0;
    for (const j of judgementsOf(block)) {
      if (j.value) counts.set(j.value, (counts.get(j.value) ?? 0) + 1);
      else notAssessed++;
    }
    const order = [...tool.judgements, ...[...counts.keys()].filter((k) => !tool.judgements.includes(k))];
    const parts = order.filter((j) => counts.has(j)).map((j) => `${counts.get(j)} ${j}`);
    if (notAssessed) parts.push(`${notAssessed} not assessed`);
    const missing = missingDomains(tool, new Set([...block.domains.map((d) => d.domain), ...(block.overall ? [OVERALL_KEY] : [])])).length;
    if (missing) parts.push(`${missing} missing`);
    return parts.length ? `RoB: ${parts.join(" · ")}` : undefined;
  }
  const parts = model.bias.byOutcome.map((b) => `${b.outcome} ${b.overall?.value ?? "—"}`);
  return parts.length ? `RoB (overall): ${parts.join(" · ")}` : undefined;
}

export function codeLenses(analysis: ProtocolAnalysis): CodeLens[] {
  const out: CodeLens[] = [];
  if (analysis.studies.length) for (const o of analysis.outcomes) out.push({ offset: o.span.start, title: `${o.id}: ${reportingLine(analysis, o.id)}` });
  for (const [index, { model }] of analysis.studies.entries()) {
    const summary = robSummary(analysis, model, index);
    if (summary) out.push({ offset: model.span.start, title: summary });
  }
  // "RR 0.68 [0.59, 0.79] · 15 studies · I² 42%" on each analysis.
  for (const a of analysis.metaAnalyses) out.push({ offset: a.span.start, title: analysisSummary(a) });
  return out;
}
