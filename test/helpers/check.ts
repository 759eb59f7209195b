/**
 * checkDiagnostics(fixture, expected): analyses a marked fixture with the core
 * and asserts that the diagnostics are exactly the marked ones (every error and
 * warning must be marked; information diagnostics are compared for the codes
 * the fixture marks), then that each expected message fragment appears.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { ProtocolAnalyzer, type ProtocolAnalysis as Analysis } from "../../server/src/core/analyzer/analyzer";
import type { Diagnostic } from "../../server/src/core/checks/diagnostics";
import { SourceLoader } from "../../server/src/core/sources/loader";
import { LineIndex } from "../../server/src/core/syntax/text";
import { parseFixture } from "./markers";

export const FIXTURES = path.resolve(__dirname, "../../../test/fixtures");

export interface CheckOptions {
  /** Folder of the (virtual) protocol file; sources are relative to it. Default: fixtures/diagnostics. */
  dir?: string;
  /** Workspace root. Default: the fixtures folder. */
  root?: string;
  /** Message fragments (or patterns) that must each appear in some diagnostic's message, by code. */
  messages?: Partial<Record<string, string | RegExp>>;
}

function show(d: { code: string; start: number; end: number }, lines: LineIndex): string {
  const r = lines.rangeOf(d.start, d.end);
  return `${d.code} ${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
}

export function analyseText(text: string, options: CheckOptions = {}): Analysis {
  const dir = options.dir ?? path.join(FIXTURES, "diagnostics");
  const root = options.root ?? FIXTURES;
  return new ProtocolAnalyzer().analyse(text, { path: path.join(dir, "fixture.protocol.yaml"), root, loader: new SourceLoader() });
}

export function checkDiagnostics(fixture: string, options: CheckOptions = {}): Diagnostic[] {
  const { text, marks } = parseFixture(fixture);
  const analysis = analyseText(text, options);
  const lines = new LineIndex(text);
  const markedCodes = new Set(marks.map((m) => m.code));
  const actual = analysis.diagnostics
    .filter((d) => d.severity === "error" || d.severity === "warning" || markedCodes.has(d.code))
    .map((d) => show(d, lines))
    .sort();
  const expected = marks.map((m) => show(m, lines)).sort();
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    const detail = analysis.diagnostics.map((d) => `  ${show(d, lines)} ${d.severity}: ${d.message}`).join("\n");
    assert.deepEqual(actual, expected, `diagnostics differ; all diagnostics:\n${detail}`);
  }
  for (const [code, fragment] of Object.entries(options.messages ?? {})) {
    const messages = analysis.diagnostics.filter((d) => d.code === code).map((d) => d.message);
    const ok = messages.some((m) => (typeof fragment === "string" ? m.includes(fragment) : fragment!.test(m)));
    assert.ok(ok, `no ${code} message matches ${String(fragment)}; got:\n${messages.join("\n")}`);
  }
  return analysis.diagnostics;
}

/** The head of a minimal valid protocol with one primary outcome (`death`), up to and including `bias`. */
export function minimalHead(tool = "rob1"): string {
  return `protocol: 1
title: T - a systematic review protocol
type: intervention
question: {}
outcomes: [{ id: death, name: Death, role: primary }]
bias: { tool: ${tool} }
`;
}
