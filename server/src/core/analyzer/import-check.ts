/**
 * One import as the command line and the editor run it: read the file, convert
 * it, recompute every analysis from the written protocol and compare with what
 * RevMan stored, and say what happened. Throws Rm5Error or ImportError (with the
 * line) for a file it cannot import.
 */
import * as nodePath from "node:path";
import { protocolFile } from "../../../../schemas/src/files";
import { ProtocolAnalyzer } from "./analyzer";
import { analysesPart, importRm5, verifyImport, type ImportResult } from "../revman/import";
import { summaryLines, type ImportCheck } from "../revman/import-summary";
import { decodeRm5, readRm5, Rm5Error } from "../revman/rm5";
import { SourceLoader } from "../sources/loader";

export interface ImportRun {
  result: ImportResult;
  check: ImportCheck;
  /** What to tell the author: references, what was not mapped, what was merged, the analyses. */
  summary: string[];
}

/** Far larger than any RevMan review (the largest public one is about 4 MB). */
const MAX_BYTES = 100 * 1024 * 1024;

/** Told before each step of an import: how far it is (0–1) and what comes next (progress on a terminal). */
export type ImportSteps = (fraction: number, step: string) => void;

/**
 * `name` is the output's base name; `dir` where it will be written (for the
 * self-check's paths); `loader` the caller's (its file system), else Node's.
 */
export function runImport(bytes: Uint8Array, name: string, dir: string, loader: SourceLoader = new SourceLoader(), steps: ImportSteps = () => undefined): ImportRun {
  if (bytes.length > MAX_BYTES) throw new Rm5Error(`${(bytes.length / 1024 / 1024).toFixed(0)} MB: larger than any RevMan review (files over ${MAX_BYTES / 1024 / 1024} MB are not read)`, 1);
  steps(0, "reading the RevMan file");
  const review = readRm5(decodeRm5(bytes));
  steps(0.3, "converting");
  const result = importRm5(review, name);
  steps(0.5, "recomputing the analyses");
  const analysis = new ProtocolAnalyzer().analyse(analysesPart(result.protocol), { path: nodePath.join(dir, protocolFile(name)), root: dir, loader });
  steps(0.9, "comparing with the stored results");
  const check = verifyImport(result, analysis.metaAnalyses);
  return { result, check, summary: summaryLines(result.referencesSummary, result.notMapped, result.merged, check) };
}
