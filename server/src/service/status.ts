/**
 * A protocol's state at a glance (the status bar): its stage, its risk-of-bias
 * tools by their short names, how many studies, errors and warnings, and whether
 * a library it cites is still being indexed.
 */
import { toolShortName } from "../../../schemas/src/domain";
import type { ProtocolStatus } from "../../../schemas/src/status";
import type { ProtocolAnalysis } from "../core/analyzer/analyzer";

/** The status of one analysed version; `counts` are of the diagnostics as published (after the settings). */
export function protocolStatus(uri: string, version: number, analysis: ProtocolAnalysis, counts: { errors: number; warnings: number }): ProtocolStatus {
  const { main, byDesign } = analysis.context.tools;
  const ids = [...(main ? [main.id] : []), ...[...byDesign.values()].map((t) => t.id)];
  return {
    uri,
    version,
    stage: analysis.stage.review ? "review" : "protocol",
    tools: [...new Set(ids)].map(toolShortName),
    studies: analysis.studies.length,
    errors: counts.errors,
    warnings: counts.warnings,
    indexing: Boolean(analysis.indexing),
  };
}
