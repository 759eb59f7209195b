/**
 * Quick fixes as plain data. A fix is a pure function of its diagnostic: the
 * edits travel in `diagnostic.data.fixes`, relative to the diagnostic's start,
 * so applying one needs only where the diagnostic starts now.
 */
import type { Code, Diagnostic } from "../core/checks/diagnostics";
import { isPackedEdit, packEdit, unpackEdit, type TextEdit } from "../core/syntax/edits";
import { appendAll } from "../core/syntax/arrays";

export interface CodeAction {
  title: string;
  kind: "quickfix" | "source.fixAll";
  /** Absolute offsets in the document. */
  edits: TextEdit[];
  /** The diagnostics it fixes (with their absolute start offsets). */
  fixes: { code: Code; start: number }[];
  preferred?: boolean;
}

/** What a diagnostic carries back from the editor: its code, start offset and data. */
export interface DiagnosticRef {
  code: string;
  start: number;
  data?: unknown;
}

interface FixData {
  title: string;
  edits: TextEdit[];
  /** false: never the preferred fix, never applied by "fix all" or on save (it could change what a study cites). */
  safe?: boolean;
}

/** The fixes in a diagnostic's data as it comes back from the editor (packed edits unpacked; malformed ones dropped). */
function fixesOf(data: unknown): FixData[] {
  const fixes = (data as { fixes?: unknown } | undefined)?.fixes;
  if (!Array.isArray(fixes)) return [];
  return fixes
    .filter((f): f is FixData => Boolean(f) && typeof (f as FixData).title === "string" && Array.isArray((f as FixData).edits) && (f as FixData).edits.every(isPackedEdit))
    .map((f) => ({ ...f, edits: f.edits.map(unpackEdit) }));
}

/**
 * A diagnostic's data as it travels to the editor: the same, with the repeated
 * lines of its fixes' edits packed (`fixesOf` unpacks them).
 */
export function dataForTransport(code: string, data: Record<string, unknown>): Record<string, unknown> {
  const fixes = data.fixes;
  if (!Array.isArray(fixes) || !fixes.some((f: FixData) => f?.edits?.some((e) => e.text.length > 200))) return data;
  // Cached per data object: a study's diagnostics are reused across edits elsewhere.
  let packed = PACKED.get(data);
  if (!packed) {
    packed = { ...data, fixes: fixes.map((f: FixData) => ({ ...f, edits: f.edits.map(packEdit) })) };
    for (const key of CARRIED_BY_THE_FIX[code] ?? []) delete packed[key];
    PACKED.set(data, packed);
  }
  return packed;
}
/**
 * Lists the fix already writes out, left out of the data on the wire (the CLI's
 * JSON keeps them): an imported review's 591 studies each lacking 110 outcome
 * statuses would otherwise publish every list twice on every edit.
 */
const CARRIED_BY_THE_FIX: Partial<Record<string, readonly string[]>> = { "missing-outcome-status": ["missing"] };
const PACKED = new WeakMap<object, Record<string, unknown>>();

function absolute(start: number, edits: readonly TextEdit[]): TextEdit[] {
  return edits.map((e) => ({ from: start + e.from, to: start + e.to, text: e.text }));
}

/** The quick fixes of the given diagnostics (those in the editor's range), best first. */
export function quickFixes(diagnostics: readonly DiagnosticRef[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    fixesOf(d.data).forEach((f, i) => {
      out.push({ title: f.title, kind: "quickfix", edits: absolute(d.start, f.edits), fixes: [{ code: d.code as Code, start: d.start }], preferred: i === 0 && f.safe !== false });
    });
  }
  return out;
}

/** Two edits conflict when their ranges overlap, or both insert at one point (their order would be a guess). */
function conflicts(a: TextEdit, b: TextEdit): boolean {
  if (a.from === a.to && b.from === b.to) return a.from === b.from;
  return a.from < b.to && b.from < a.to;
}

/** For each code with fixes for two or more diagnostics: one action applying the first fix of each. */
export function fixAll(all: readonly Diagnostic[], codes?: ReadonlySet<string>): CodeAction[] {
  const byCode = new Map<Code, Diagnostic[]>();
  for (const d of all) {
    if (codes && !codes.has(d.code)) continue;
    const first = fixesOf(d.data)[0];
    if (!first || first.safe === false) continue;
    byCode.set(d.code, [...(byCode.get(d.code) ?? []), d]);
  }
  const out: CodeAction[] = [];
  for (const [code, diagnostics] of byCode) {
    if (diagnostics.length < 2) continue;
    const edits: TextEdit[] = [];
    const fixes: CodeAction["fixes"] = [];
    for (const d of diagnostics) {
      const first = absolute(d.start, fixesOf(d.data)[0]!.edits);
      if (first.some((e) => edits.some((x) => conflicts(x, e)))) continue;
      appendAll(edits, first);
      fixes.push({ code, start: d.start });
    }
    out.push({ title: `Fix all '${code}' problems in this file (${fixes.length})`, kind: "source.fixAll", edits: edits.sort((a, b) => a.from - b.from), fixes });
  }
  return out;
}

/** Applies edits to a text (for tests and for computing the result of a fix). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.from - a.from || b.to - a.to);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}

/**
 * The text of an edit as a snippet with a tab stop in each empty judgement it
 * writes (for clients that take snippet edits), or undefined when it writes none.
 * The judgements stay empty: the tab stop only puts the cursor where one goes.
 */
export function withJudgementTabStops(text: string): string | undefined {
  if (!/judgement: ,|judgement:(\r?\n|$)/.test(text)) return undefined;
  let n = 0;
  // Outside placeholders only `$` and `\` are special in snippet syntax.
  const escaped = text.replace(/[\\$]/g, (c) => `\\${c}`);
  return escaped.replace(/judgement: ,|judgement:(?=\r?\n|$)/g, (m) => (m.endsWith(",") ? `judgement: \${${++n}},` : `judgement: \${${++n}}`));
}
