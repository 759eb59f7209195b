/** The outline (document symbols) and code lenses, as plain data. */
import type { Analysis } from "../core/analyse";
import { scalarText, stringOf, valueOf, type TreeNode } from "../core/tree";
import { analysisSummary } from "../core/results";
import { missingDomains } from "../core/tool";
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

function listSymbols(list: TreeNode | null | undefined, base: number, kind: DocumentSymbol["kind"], name: (item: TreeNode) => string | undefined, detail?: (item: TreeNode) => string | undefined): DocumentSymbol[] {
  if (list?.kind !== "seq") return [];
  const out: DocumentSymbol[] = [];
  for (const item of list.items) {
    const n = name(item);
    if (n === undefined) continue;
    const idNode = valueOf(item, "id") ?? valueOf(item, "key") ?? valueOf(item, "bibliography") ?? item;
    out.push({ name: n, detail: detail?.(item), kind, start: base + item.start, end: base + item.end, selectionStart: base + idNode.start, selectionEnd: base + idNode.end, children: [] });
  }
  return out;
}

export function documentSymbols(analysis: Analysis): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const s of analysis.parsed.sections) {
    const start = s.base + s.keyNode.start;
    const end = s.key === "studies" && analysis.parsed.studies.length ? Math.max(...analysis.parsed.studies.map((x) => x.base + x.node.end)) : s.base + (s.value?.end ?? s.keyNode.end);
    const symbol: DocumentSymbol = { name: s.key, kind: "section", start, end, selectionStart: start, selectionEnd: s.base + s.keyNode.end, children: [] };
    const v = s.value;
    if (s.key === "question" && v?.kind === "map") {
      for (const p of v.pairs) {
        const k = String(p.key.value);
        const child: DocumentSymbol = { name: k, kind: "field", start: s.base + p.key.start, end: s.base + (p.value?.end ?? p.key.end), selectionStart: s.base + p.key.start, selectionEnd: s.base + p.key.end, children: [] };
        if (k === "interventions" || k === "comparators") child.children = listSymbols(p.value, s.base, "arm", (i) => scalarText(valueOf(i, "id")), (i) => scalarText(valueOf(i, "description")));
        symbol.children.push(child);
      }
    }
    if (s.key === "outcomes") symbol.children = listSymbols(v, s.base, "outcome", (i) => scalarText(valueOf(i, "id")), (i) => [scalarText(valueOf(i, "name")), scalarText(valueOf(i, "role"))].filter(Boolean).join(" · "));
    if (s.key === "bias") symbol.detail = stringOf(valueOf(v, "tool"));
    if (s.key === "sources") symbol.children = listSymbols(v, s.base, "source", (i) => scalarText(valueOf(i, "key")) ?? scalarText(valueOf(i, "bibliography")), (i) => scalarText(valueOf(i, "file")) ?? (valueOf(i, "bibliography") ? "bibliography" : undefined));
    if (s.key === "studies") {
      for (const item of analysis.parsed.studies) {
        const idNode = valueOf(item.node, "id");
        const name = scalarText(idNode) ?? "(study without id)";
        const detail = [scalarText(valueOf(item.node, "design")), scalarText(valueOf(item.node, "country"))].filter(Boolean).join(" · ");
        const sel = idNode ?? item.node;
        symbol.children.push({ name, detail: detail || undefined, kind: "study", start: item.base + item.node.start, end: item.base + item.node.end, selectionStart: item.base + sel.start, selectionEnd: item.base + sel.end, children: [] });
      }
    }
    if (s.key === "analyses") {
      for (const a of analysis.analyses) {
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
function robSummary(analysis: Analysis, node: TreeNode, index: number): string | undefined {
  const tool = toolOfStudy(analysis, index);
  const rob = valueOf(node, "risk_of_bias");
  if (!tool || rob?.kind !== "map") return undefined;
  const judgementsOf = (v: TreeNode | null): (string | undefined)[] =>
    v?.kind === "seq" ? v.items.map((g) => stringOf(valueOf(g, "judgement"))) : [stringOf(v) ?? stringOf(valueOf(v, "judgement"))];
  if (tool.per === "study") {
    const counts = new Map<string, number>();
    let notAssessed = 0;
    for (const p of rob.pairs) {
      if (p.key.value === "overall") continue;
      for (const j of judgementsOf(p.value)) {
        if (j) counts.set(j, (counts.get(j) ?? 0) + 1);
        else notAssessed++;
      }
    }
    const order = [...tool.judgements, ...[...counts.keys()].filter((k) => !tool.judgements.includes(k))];
    const parts = order.filter((j) => counts.has(j)).map((j) => `${counts.get(j)} ${j}`);
    if (notAssessed) parts.push(`${notAssessed} not assessed`);
    const missing = missingDomains(tool, new Set(rob.pairs.map((p) => String(p.key.value)))).length;
    if (missing) parts.push(`${missing} missing`);
    return parts.length ? `RoB: ${parts.join(" · ")}` : undefined;
  }
  const parts = rob.pairs.filter((p) => p.value?.kind === "map").map((p) => `${p.key.value} ${stringOf(valueOf(p.value, "overall")) ?? "—"}`);
  return parts.length ? `RoB (overall): ${parts.join(" · ")}` : undefined;
}

export function codeLenses(analysis: Analysis): CodeLens[] {
  const out: CodeLens[] = [];
  const outcomes = analysis.parsed.sections.find((s) => s.key === "outcomes");
  if (outcomes?.value?.kind === "seq" && analysis.parsed.studies.length) {
    for (const item of outcomes.value.items) {
      const id = scalarText(valueOf(item, "id"));
      if (id !== undefined) out.push({ offset: outcomes.base + item.start, title: `${id}: ${reportingLine(analysis, id)}` });
    }
  }
  for (const [index, item] of analysis.parsed.studies.entries()) {
    const summary = robSummary(analysis, item.node, index);
    if (summary) out.push({ offset: item.base + item.node.start, title: summary });
  }
  // "RR 0.68 [0.59, 0.79] · 15 studies · I² 42%" on each analysis.
  for (const a of analysis.analyses) out.push({ offset: a.span.start, title: analysisSummary(a) });
  return out;
}
