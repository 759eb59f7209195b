/** Lints one protocol file with the core, for the command line. */
import * as fs from "node:fs";
import * as nodePath from "node:path";
import { ProtocolAnalyzer, type Analysis } from "../core/analyse";
import type { Diagnostic } from "../core/diagnostics";
import { SourceLoader } from "../core/sources";
import { LineIndex } from "../core/text";

export interface FileReport {
  /** The path as given or found. */
  file: string;
  text: string;
  lines: LineIndex;
  diagnostics: Diagnostic[];
  analysis: Analysis;
}

const loader = new SourceLoader();

export function lintFile(file: string, root: string): FileReport | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const analysis = new ProtocolAnalyzer().analyse(text, { path: nodePath.resolve(file), root, loader });
  return { file, text, lines: new LineIndex(text), diagnostics: analysis.diagnostics, analysis };
}
