/** Lints one protocol file with the core, for the command line. */
import * as fs from "node:fs";
import * as nodePath from "node:path";
import { ProtocolAnalyzer, type ProtocolAnalysis } from "../core/analyzer/analyzer";
import type { Diagnostic } from "../core/checks/diagnostics";
import { SourceLoader } from "../core/sources/loader";
import { LineIndex } from "../core/syntax/text";
import { diagnostic } from "../core/checks/diagnostics";
import { applySettings, DEFAULT_SETTINGS, mergeSettings, parseSettingsFile, SETTINGS_FILE, type Settings } from "../service/settings";

export interface FileReport {
  /** The path as given or found. */
  file: string;
  text: string;
  lines: LineIndex;
  diagnostics: Diagnostic[];
  analysis: ProtocolAnalysis;
}

const loader = new SourceLoader();

/**
 * The workspace's `review-protocol.json`, as the editor reads it: its settings
 * under `overrides` (the command line's, as the editor's own settings are over
 * it), or a report with one diagnostic on the file when it is malformed.
 */
export function workspaceSettings(root: string, overrides: Settings = DEFAULT_SETTINGS): { settings: Settings; problem?: FileReport } {
  const file = nodePath.join(root, SETTINGS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return { settings: overrides };
  }
  const parsed = parseSettingsFile(text);
  if ("settings" in parsed) return { settings: mergeSettings(parsed.settings, overrides) };
  const lines = new LineIndex(text);
  const problem: FileReport = {
    file,
    text,
    lines,
    diagnostics: [diagnostic("schema-type", parsed.offset, Math.min(text.length, parsed.offset + 1), parsed.error)],
    analysis: undefined as unknown as ProtocolAnalysis,
  };
  return { settings: overrides, problem };
}

export function lintFile(file: string, root: string, settings: Settings = DEFAULT_SETTINGS): FileReport | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const analysis = new ProtocolAnalyzer().analyse(text, { path: nodePath.resolve(file), root, loader });
  return { file, text, lines: new LineIndex(text), diagnostics: applySettings(analysis.diagnostics, settings), analysis };
}
