/**
 * "Import RevMan review (.rm5)" for the editor, as plain data: the client reads
 * the file the author picked and writes what comes back beside it, so the
 * server reads nothing outside the workspace.
 */
import * as nodePath from "node:path";
import { ProtocolAnalyzer } from "../core/analyse";
import { analysesPart, ImportError, importRm5, verifyImport } from "../core/import";
import { decodeRm5, readRm5, Rm5Error } from "../core/rm5";
import { SourceLoader } from "../core/sources";

export type ImportedReview =
  | { protocol: string; references?: string; analyses: number; failures: string[]; skipped: string[] }
  | { error: string; line?: number };

/** `name` is the output's base name; `dir` where it will be written (for the self-check's paths). */
export function importReview(bytes: Uint8Array, name: string, dir: string): ImportedReview {
  try {
    const result = importRm5(readRm5(decodeRm5(bytes)), name);
    const analysis = new ProtocolAnalyzer().analyse(analysesPart(result.protocol), { path: nodePath.join(dir, `${name}.protocol.yaml`), root: dir, loader: new SourceLoader() });
    const { analyses, failures } = verifyImport(result, analysis.analyses);
    return { protocol: result.protocol, references: result.references, analyses, failures, skipped: [...result.skipped.keys()] };
  } catch (e) {
    if (e instanceof Rm5Error || e instanceof ImportError) return { error: e.message, line: e.line };
    return { error: (e as Error).message };
  }
}
