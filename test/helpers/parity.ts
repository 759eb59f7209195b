/**
 * Parse-path parity: every editor feature must answer the same whichever reader
 * parsed the protocol — the fast reader (core/yaml-subset.ts, chunk by chunk),
 * `yaml` chunk by chunk, or `yaml` on the whole document (as a document with
 * anchors is read). Helpers to ask every feature everything at once, to compare
 * answers, and to write a fixture's anchors out so that it can take the fast path.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import { isAlias, isCollection, parseDocument, visit, type Node as YamlNode } from "yaml";
import type { ProtocolAnalysis as Analysis } from "../../server/src/core/analyzer/analyzer";
import { forestSvg } from "../../server/src/core/pictures/forest";
import { setParsePath, type ParsePath } from "../../server/src/core/syntax/parse";
import { forestContext, plotData, plots } from "../../server/src/core/pictures/plots";
import { funnelSvg } from "../../server/src/core/pictures/funnel";
import { summaryOfFindings } from "../../server/src/core/pictures/summary-of-findings";
import { resultsJson } from "../../server/src/core/model/results";
import { fixAll, quickFixes } from "../../server/src/service/code-actions";
import { complete } from "../../server/src/service/completion";
import { hover } from "../../server/src/service/hover";
import { definition, references } from "../../server/src/service/navigation";
import { prepareRename, rename } from "../../server/src/service/rename";
import { codeLenses, documentSymbols } from "../../server/src/service/symbols";
import { LineIndex } from "../../server/src/core/syntax/text";

export const PARSE_PATHS: readonly ParsePath[] = ["fast", "fast-packed", "yaml", "yaml-whole"];

/** The paths that read with the fast reader (the others must never use it). */
export const FAST_PATHS: ReadonlySet<ParsePath> = new Set(["fast", "fast-packed"]);

/** Runs `f` with every protocol parsed by `path`, then goes back to the fast path. */
export function onPath<T>(path: ParsePath, f: () => T): T {
  setParsePath(path);
  try {
    return f();
  } finally {
    setParsePath("fast");
  }
}

/**
 * A value as canonical text: keys sorted, Maps and Sets as lists, getters read,
 * functions and cycles named. Two answers are equal when their texts are.
 */
export function canonical(value: unknown): string {
  const seen = new Set<object>();
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === "number") return Number.isNaN(v) ? "NaN" : Number.isFinite(v) ? v : String(v);
    if (typeof v === "function") return "[function]";
    if (v === null || typeof v !== "object") return v;
    // A packed list item (core/syntax/packed.ts) as the node it stands for.
    if (typeof (v as { toJSON?: unknown }).toJSON === "function" && !(v instanceof Date)) return walk((v as { toJSON(): unknown }).toJSON(), depth);
    if (seen.has(v) || depth > 40) return "[cycle]";
    seen.add(v);
    try {
      if (v instanceof Map) return ["Map", ...[...v].map(([k, x]) => [walk(k, depth + 1), walk(x, depth + 1)])];
      if (v instanceof Set) return ["Set", ...[...v].map((x) => walk(x, depth + 1))];
      if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) {
        const x = (v as Record<string, unknown>)[key];
        if (x !== undefined) out[key] = walk(x, depth + 1);
      }
      return out;
    } finally {
      seen.delete(v);
    }
  };
  return JSON.stringify(walk(value, 0)) ?? "undefined";
}

export const digest = (text: string) => crypto.createHash("sha1").update(text).digest("hex").slice(0, 16);

/** What the hover's links need: the line of an offset in a source file (0 when it cannot be read, as in the server). */
function lineOf(path: string, offset: number): number {
  try {
    return new LineIndex(fs.readFileSync(path, "utf8")).positionAt(offset).line;
  } catch {
    return 0;
  }
}

/** The features asked at a cursor, by name. */
export const CURSOR_FEATURES: Record<string, (analysis: Analysis, offset: number) => unknown> = {
  hover: (a, o) => hover(a, o, lineOf),
  completion: (a, o) => complete(a, o),
  definition: (a, o) => definition(a, o),
  references: (a, o) => references(a, o, true),
  "prepare rename": (a, o) => prepareRename(a, o),
  rename: (a, o) => rename(a, o, "renamed-id"),
};

/** The features asked of a whole document, by name. */
export const DOCUMENT_FEATURES: Record<string, (analysis: Analysis) => unknown> = {
  diagnostics: (a) => a.diagnostics,
  "code actions": (a) => quickFixes(a, a.diagnostics),
  "fix all": (a) => fixAll(a),
  "document symbols": (a) => documentSymbols(a),
  "code lens": (a) => codeLenses(a),
  "plot data": (a) => plotData(a),
  plots: (a) => plots(a),
  // The certainty entries and flow counts as read (every value at its offsets), and the tables they give.
  "certainty and flow": (a) => ({ certainty: a.certainty, flow: a.flow && { keySpan: a.flow.keySpan, counts: [...a.flow.counts] }, tables: summaryOfFindings(a) }),
  "forest data": (a) => ({ results: resultsJson("fixture", a.metaAnalyses), forests: a.metaAnalyses.map((x) => forestSvg(x, forestContext(a, x))), funnels: a.metaAnalyses.map((x) => funnelSvg(x)) }),
};

/** Cursor positions worth asking at: the first character and the middle of every word or token. */
export function cursorPositions(text: string): number[] {
  const out: number[] = [];
  const token = /[^\s,:[\]{}#"']+/g;
  for (let m = token.exec(text); m; m = token.exec(text)) {
    out.push(m.index);
    if (m[0].length > 2) out.push(m.index + (m[0].length >> 1));
  }
  return out;
}

/** Whether the text defines a YAML anchor (such a document is read whole, by `yaml`). */
export function hasAnchors(text: string): boolean {
  return /(^|[\s:,[{-])&[^\s,[\]{}]/.test(text);
}

/**
 * The text with its YAML anchors written out: every alias replaced by a copy of
 * the text it stands for (re-indented), every anchor removed, so the document
 * takes the fast path. Undefined when the copy would not mean the same.
 */
export function withAnchorsWrittenOut(text: string): string | undefined {
  const doc = parseDocument(text);
  if (doc.errors.length) return undefined;
  const aliases: { start: number; end: number; replacement: string }[] = [];
  const anchors: { start: number; end: number }[] = [];
  visit(doc, {
    Node(_key, node) {
      const n = node as YamlNode;
      if (isAlias(n)) {
        const target = n.resolve(doc);
        if (!target?.range || !n.range) return;
        aliases.push({ start: n.range[0], end: n.range[1], replacement: copyAt(text, target, n.range[0]) });
      } else if (n.anchor && n.range) {
        const at = text.lastIndexOf(`&${n.anchor}`, n.range[0]);
        if (at >= 0) anchors.push({ start: at, end: at + n.anchor.length + 1 + (text[at + n.anchor.length + 1] === " " ? 1 : 0) });
      }
    },
  });
  if (!aliases.length && !anchors.length) return text;
  let out = text;
  for (const edit of [...aliases.map((a) => ({ ...a, text: a.replacement })), ...anchors.map((a) => ({ ...a, text: "" }))].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  const same = parseDocument(out);
  if (same.errors.length || hasAnchors(out)) return undefined;
  return canonical(same.toJS()) === canonical(doc.toJS()) ? out : undefined;
}

/** The anchored node's text to put where an alias stands (at `at`): a block collection starts on the next line, re-indented. */
function copyAt(text: string, target: YamlNode, at: number): string {
  const [start, end] = target.range!;
  const source = text.slice(start, end).replace(/\s+$/, "");
  if (!isCollection(target) || target.flow) return source;
  const column = (offset: number) => offset - text.lastIndexOf("\n", offset - 1) - 1;
  const aliasLineStart = text.lastIndexOf("\n", at - 1) + 1;
  const indent = /^ */.exec(text.slice(aliasLineStart))![0].length + 2;
  const shift = indent - column(start);
  const lines = (" ".repeat(column(start)) + source).split("\n");
  return "\n" + lines.map((l) => (shift >= 0 ? " ".repeat(shift) + l : l.slice(-shift))).join("\n");
}
