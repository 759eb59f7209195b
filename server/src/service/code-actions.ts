/**
 * Quick fixes as plain data. A diagnostic carries what its fixes need in
 * `data.fixes` (core/checks/fixes.ts); the edits are built here, when the
 * editor asks, from that description and the document as it is now — a pure
 * function of the two. A fix whose target has gone since is not offered.
 */
import type { Code, Diagnostic } from "../core/checks/diagnostics";
import { buildFix, type FixChunk, type FixDocument } from "../core/checks/fix-edits";
import { fixesOf } from "../core/checks/fixes";
import type { ProtocolAnalysis } from "../core/analyzer/analyzer";
import { appendAll } from "../core/syntax/arrays";
import type { TextEdit } from "../core/syntax/edits";
import { SourceText } from "../core/syntax/edits";
import type { StudyItem } from "../core/syntax/parse";
import { itemAt } from "./locate";

export interface CodeAction {
  title: string;
  kind: "quickfix" | "source.fixAll";
  /** Absolute offsets in the document. */
  edits: TextEdit[];
  /** The diagnostics it fixes (with their absolute start offsets). */
  fixes: { code: Code; start: number }[];
  preferred?: boolean;
}

/** What a diagnostic carries back from the editor: its code, start offset (now) and data. */
export interface DiagnosticRef {
  code: string;
  start: number;
  data?: unknown;
}

/** The document as fixes are built against it: its chunks, each with the text it was parsed from. */
function fixDocument(analysis: ProtocolAnalysis): FixDocument {
  const { parsed } = analysis;
  const item = (items: readonly StudyItem[], offset: number): FixChunk | undefined => {
    const found = items[itemAt(items, offset)];
    return found && { root: found.node, src: found.chunk ? new SourceText(found.chunk.text) : new SourceText(parsed.text, found.base), base: found.base };
  };
  const studyAt = (offset: number) => item(parsed.studies, offset);
  return {
    text: parsed.text,
    studyAt,
    chunkAt(offset) {
      const found = studyAt(offset) ?? item(parsed.analyses, offset);
      if (found) return found;
      for (const s of parsed.sections) {
        if (offset < s.base + s.keyNode.start || offset > s.base + (s.value?.end ?? s.keyNode.end)) continue;
        return { root: s.value ?? s.keyNode, src: new SourceText(parsed.text, s.base), base: s.base };
      }
      return undefined;
    },
    outcomes: [...new Set(analysis.context.outcomes.map((o) => o.id))],
  };
}

/** The quick fixes of the given diagnostics (those in the editor's range), best first, built against the analysis's document. */
export function quickFixes(analysis: ProtocolAnalysis, diagnostics: readonly DiagnosticRef[]): CodeAction[] {
  const out: CodeAction[] = [];
  const doc = fixDocument(analysis);
  for (const d of diagnostics) {
    let first = true;
    for (const description of fixesOf(d.data)) {
      const fix = buildFix(description, d.start, doc);
      if (!fix) continue;
      out.push({ title: fix.title, kind: "quickfix", edits: fix.edits, fixes: [{ code: d.code as Code, start: d.start }], preferred: first && fix.safe });
      first = false;
    }
  }
  return out;
}

/**
 * A diagnostic's data as it travels to the editor: without what its fix reads
 * again from the document and the domain (the CLI's JSON keeps it). An imported
 * review's 591 studies each lacking 110 outcome statuses would otherwise
 * publish every list on every edit.
 */
export function dataForTransport(code: string, data: Record<string, unknown>): Record<string, unknown> {
  const left = READ_AGAIN_BY_THE_FIX[code];
  if (!left) return data;
  // Cached per data object: a study's diagnostics keep theirs across edits elsewhere.
  let out = SENT.get(data);
  if (!out) {
    out = { ...data };
    for (const key of left) delete out[key];
    SENT.set(data, out);
  }
  return out;
}
const READ_AGAIN_BY_THE_FIX: Partial<Record<string, readonly string[]>> = { "missing-outcome-status": ["missing", "status"] };
const SENT = new WeakMap<object, Record<string, unknown>>();

/** Two edits conflict when their ranges overlap, or both insert at one point (their order would be a guess). */
function conflicts(a: TextEdit, b: TextEdit): boolean {
  if (a.from === a.to && b.from === b.to) return a.from === b.from;
  return a.from < b.to && b.from < a.to;
}

/** For each code with fixes for two or more diagnostics of the analysis: one action applying the first fix of each. */
export function fixAll(analysis: ProtocolAnalysis, codes?: ReadonlySet<string>): CodeAction[] {
  const doc = fixDocument(analysis);
  const byCode = new Map<Code, { d: Diagnostic; edits: TextEdit[] }[]>();
  for (const d of analysis.diagnostics) {
    if (codes && !codes.has(d.code)) continue;
    const description = fixesOf(d.data)[0];
    if (!description || (description.kind === "replace" && description.safe === false)) continue;
    const first = buildFix(description, d.start, doc);
    if (!first) continue;
    let list = byCode.get(d.code);
    if (!list) byCode.set(d.code, (list = []));
    list.push({ d, edits: first.edits });
  }
  const out: CodeAction[] = [];
  for (const [code, fixable] of byCode) {
    if (fixable.length < 2) continue;
    const edits: TextEdit[] = [];
    const fixes: CodeAction["fixes"] = [];
    for (const { d, edits: first } of fixable) {
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
