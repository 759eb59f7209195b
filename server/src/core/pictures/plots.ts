/**
 * Every picture of an analysed protocol, as SVG and pure functions of it (no
 * browser needed): the risk-of-bias traffic lights and summaries
 * (risk-of-bias.ts), the outcome-reporting matrix (outcome-matrix.ts), and a
 * forest and a funnel plot per analysis (forest.ts, funnel.ts), the summary of
 * findings tables (summary-of-findings.ts) and the PRISMA 2020 flow diagram
 * (prisma-flow.ts). What the first
 * two show is read from the model once (`plotData`).
 */
import type { Plots } from "../../../../schemas/src/replies";
import type { ProtocolAnalysis } from "../analyzer/analyzer";
import type { MetaAnalysisModel } from "../model/meta-analyses";
import { sameId } from "../model/ids";
import { toolFor, toolsInUse } from "../model/tools";
import { forestSvg, type ForestContext } from "./forest";
import { funnelSvg } from "./funnel";
import { outcomeMatrixSvg } from "./outcome-matrix";
import { prismaFlowSvg } from "./prisma-flow";
import { cellsOf, type PlotData, type PlotStudy } from "./plot-data";
import { summarySvg, trafficLightSvg } from "./risk-of-bias";
import { summaryOfFindings, summaryOfFindingsHtml, summaryOfFindingsPage } from "./summary-of-findings";

/** What the plots show, read from the analysed protocol's model. */
export function plotData(analysis: ProtocolAnalysis): PlotData {
  const tools = toolsInUse(analysis.context.tools);
  const outcomes = analysis.outcomes.map((o) => ({ id: o.id, name: o.name ?? "", role: o.role }));
  const studies: PlotStudy[] = analysis.studies.map(({ model }, i) => {
    const tool = toolFor(analysis.context.tools, model.design?.value);
    const study: PlotStudy = {
      id: model.id?.value ?? `Study ${i + 1}`,
      tool,
      participants: model.participants !== undefined && model.participants > 0 ? model.participants : undefined,
      offset: model.span.start,
      judgements: new Map(),
      perOutcome: new Map(),
      statuses: new Map(),
      data: new Map(),
    };
    if (model.bias?.perOutcome === false) study.judgements = cellsOf(model.bias.block, tool);
    else if (model.bias?.perOutcome) for (const b of model.bias.byOutcome) study.perOutcome.set(b.outcome, cellsOf(b, tool));
    for (const o of model.outcomes ?? []) study.statuses.set(o.id, { status: o.status?.value, orbit: o.orbit?.value, offset: o.span.start });
    return study;
  });
  // Which studies have data in which analyses (matched by id after Unicode normalisation).
  for (const a of analysis.metaAnalyses) {
    if (a.outcome === undefined) continue;
    for (const row of a.groups.flatMap((g) => g.rows)) {
      const study = studies.find((s) => sameId(s.id, row.study));
      if (!study) continue;
      const list = study.data.get(a.outcome) ?? [];
      if (!list.includes(a.id)) list.push(a.id);
      study.data.set(a.outcome, list);
    }
  }
  return { tools, studies, outcomes, review: analysis.stage.review };
}

/** What a forest plot needs beyond its analysis: the arms' descriptions and the outcome's direction. */
export function forestContext(analysis: Pick<ProtocolAnalysis, "arms" | "outcomes">, a: MetaAnalysisModel): ForestContext {
  const describe = (i: 0 | 1) => {
    const id = a.compare[i]?.id;
    const arm = analysis.arms.find((x) => x.id === id);
    return arm?.description?.trim() || id || (i === 0 ? "Experimental" : "Control");
  };
  return { arms: [describe(0), describe(1)], direction: analysis.outcomes.find((o) => o.id === a.outcome)?.direction };
}

export function plots(analysis: ProtocolAnalysis, weighted = false): Plots {
  const data = plotData(analysis);
  const rob = data.tools.map((tool) => ({ tool: tool.id, trafficLight: trafficLightSvg(data, tool), summary: summarySvg(data, weighted, tool) }));
  const forests = analysis.metaAnalyses.map((a) => ({ id: a.id, svg: forestSvg(a, forestContext(analysis, a)) }));
  const funnels = analysis.metaAnalyses.map((a) => ({ id: a.id, svg: funnelSvg(a) }));
  const summaries = summaryOfFindings(analysis).map((t) => ({ experimental: t.experimental, control: t.control, html: summaryOfFindingsHtml(t), page: summaryOfFindingsPage(t) }));
  const prismaFlow = analysis.flow ? prismaFlowSvg(analysis.flow) : null;
  return { trafficLight: rob[0]?.trafficLight ?? trafficLightSvg(data), summary: rob[0]?.summary ?? summarySvg(data, weighted), matrix: outcomeMatrixSvg(data), rob, forests, funnels, summaries, prismaFlow };
}
