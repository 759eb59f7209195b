/** Where each analysis of a protocol is (document offsets): the plots' picker and "the analysis under the cursor". */
import type { PlotPlace } from "../../../schemas/src/plot-places";
import type { ProtocolAnalysis } from "../core/analyzer/analyzer";

export function plotPlaces(analysis: ProtocolAnalysis): PlotPlace[] {
  return analysis.metaAnalyses.map((a) => ({ id: a.id, name: a.name, start: a.span.start, end: a.span.end }));
}
