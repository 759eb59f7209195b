/**
 * The one place the server turns the service's plain data (offsets) into LSP
 * values (positions) and back: diagnostics, code actions, completion items,
 * symbols, locations. Offsets become positions only through the core's LineIndex.
 */
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  InsertTextFormat,
  SymbolKind,
  type CodeAction,
  type CompletionItem,
  type Diagnostic as LspDiagnostic,
  type DocumentSymbol,
  type Location,
  type TextEdit,
} from "vscode-languageserver/node";
import { DIAGNOSTIC_SOURCE, type Diagnostic, type Severity } from "../core/checks/diagnostics";
import type { LineIndex } from "../core/syntax/text";
import { dataForTransport, withJudgementTabStops, type CodeAction as FixAction } from "../service/code-actions";
import type { CompletionItem as Item } from "../service/completion";
import type { Place } from "../service/navigation";
import type { DocumentSymbol as Symbol } from "../service/symbols";

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspDiagnostic(d: Diagnostic, lines: LineIndex): LspDiagnostic {
  const out: LspDiagnostic = {
    range: lines.rangeOf(d.start, d.end),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: DIAGNOSTIC_SOURCE,
    message: d.message,
  };
  if (d.data) out.data = dataForTransport(d.code, d.data);
  return out;
}

/** The file path of a `file:` URI (undefined for other schemes). */
export function filePath(uri: string): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/**
 * A fix as an LSP code action on a document version. A quick fix that writes
 * empty judgements puts a tab stop in each, where the client takes snippet edits.
 */
export function toCodeAction(uri: string, version: number, lines: LineIndex, action: FixAction, diagnostics: LspDiagnostic[], snippetEdits: boolean): CodeAction {
  const snippet = (text: string) => (snippetEdits && action.kind === "quickfix" && action.edits.length === 1 ? withJudgementTabStops(text) : undefined);
  return {
    title: action.title,
    kind: action.kind === "quickfix" ? CodeActionKind.QuickFix : CodeActionKind.SourceFixAll,
    isPreferred: action.preferred,
    diagnostics,
    edit: {
      documentChanges: [
        {
          textDocument: { uri, version },
          edits: action.edits.map((e) => {
            const value = snippet(e.text);
            return value !== undefined ? ({ range: lines.rangeOf(e.from, e.to), snippet: { kind: "snippet", value } } as unknown as TextEdit) : { range: lines.rangeOf(e.from, e.to), newText: e.text };
          }),
        },
      ],
    },
  };
}

const ITEM_KIND: Record<Item["kind"], CompletionItemKind> = {
  key: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  reference: CompletionItemKind.Reference,
  citation: CompletionItemKind.Reference,
  snippet: CompletionItemKind.Snippet,
};

export function toCompletionItem(item: Item, lines: LineIndex, snippets: boolean): CompletionItem {
  return {
    label: item.label,
    kind: ITEM_KIND[item.kind],
    detail: item.detail,
    documentation: item.documentation ? { kind: "markdown", value: item.documentation } : undefined,
    sortText: item.sortText,
    filterText: item.label,
    insertTextFormat: item.snippet && snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    // The service gives plain text to clients without snippet support.
    textEdit: { range: lines.rangeOf(item.start, item.end), newText: item.insertText },
  };
}

const SYMBOL_KIND: Record<Symbol["kind"], SymbolKind> = {
  section: SymbolKind.Namespace,
  outcome: SymbolKind.Event,
  arm: SymbolKind.Variable,
  source: SymbolKind.File,
  study: SymbolKind.Object,
  field: SymbolKind.Field,
  analysis: SymbolKind.Function,
};

export function toDocumentSymbol(s: Symbol, lines: LineIndex): DocumentSymbol {
  return {
    name: s.name,
    detail: s.detail,
    kind: SYMBOL_KIND[s.kind],
    range: lines.rangeOf(s.start, s.end),
    selectionRange: lines.rangeOf(s.selectionStart, s.selectionEnd),
    children: s.children.map((c) => toDocumentSymbol(c, lines)),
  };
}

/** A place in the protocol (no path) or in a source file (with the file's line index). */
export function toLocation(uri: string, lines: LineIndex, place: Place, sourceLines: (path: string) => LineIndex | undefined): Location | undefined {
  if (place.path === undefined) return { uri, range: lines.rangeOf(place.start, place.end) };
  const source = sourceLines(place.path);
  if (!source) return undefined;
  return { uri: pathToFileURL(place.path).href, range: source.rangeOf(place.start, place.end) };
}
