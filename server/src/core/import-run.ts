/**
 * One import as the command line and the editor run it: read the file, convert
 * it, recompute every analysis from the written protocol and compare with what
 * RevMan stored, and say what happened. Throws Rm5Error or ImportError (with the
 * line) for a file it cannot import.
 */
import * as nodePath from "node:path";
import { ProtocolAnalyzer } from "./analyse";
import { analysesPart, importRm5, verifyImport, type ImportResult } from "./import";
import { summaryLines, type ImportCheck } from "./import-summary";
import { decodeRm5, readRm5 } from "./rm5";
import { SourceLoader } from "./sources";

export interface ImportRun {
  result: ImportResult;
  check: ImportCheck;
  /** What to tell the author: references, what was not mapped, what was merged, the analyses. */
  summary: string[];
}

/** `name` is the output's base name; `dir` where it will be written (for the self-check's paths). */
export function runImport(bytes: Uint8Array, name: string, dir: string): ImportRun {
  const result = importRm5(readRm5(decodeRm5(bytes)), name);
  const analysis = new ProtocolAnalyzer().analyse(analysesPart(result.protocol), { path: nodePath.join(dir, `${name}.protocol.yaml`), root: dir, loader: new SourceLoader() });
  const check = verifyImport(result, analysis.analyses);
  return { result, check, summary: summaryLines(result.referencesSummary, result.notMapped, result.merged, check) };
}
