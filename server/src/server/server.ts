/**
 * LSP glue only: documents in, diagnostics out. All analysis is in ../core, all
 * editor features as plain data in ../service; offsets become positions through
 * the core's LineIndex.
 */
import * as fs from "node:fs";
import * as nodePath from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  createConnection,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type InitializeParams,
  type InitializeResult,
  type Location,
  CodeActionKind,
  type CodeAction,
  type TextEdit,
  CompletionItemKind,
  InsertTextFormat,
  type CompletionItem,
  type DocumentSymbol,
  ResponseError,
  SymbolKind,
  TextDocumentContentChangeEvent,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { ProtocolAnalyzer, type Analysis } from "../core/analyse";
import type { Edit } from "../core/parse";
import { diagnostic, DIAGNOSTIC_SOURCE, type Diagnostic, type Severity } from "../core/diagnostics";
import { SourceLoader } from "../core/sources";
import { nodeFileSystem } from "../core/workspace";
import { LibraryIndexer } from "./library-indexer";
import { LineIndex } from "../core/text";
import { isInside } from "../core/workspace";
import { dataForTransport, fixAll, quickFixes, withJudgementTabStops, type CodeAction as FixAction } from "../service/code-actions";
import { complete, type CompletionItem as Item } from "../service/completion";
import { prepareRename, rename } from "../service/rename";
import { SERVER_COMMANDS } from "../../../schemas/src/commands";
import { protocolSkeleton } from "../service/skeleton";
import { importReview } from "../service/import";
import { plots } from "../core/plots";
import { codeLenses, documentSymbols, type DocumentSymbol as Symbol } from "../service/symbols";
import { hover } from "../service/hover";
import { definition, references, type Place } from "../service/navigation";
import { applySettings, DEFAULT_SETTINGS, mergeSettings, parseSettings, parseSettingsFile, SETTINGS_FILE, SETTINGS_SECTION, type Settings } from "../service/settings";

const PROTOCOL_FILE = /\.protocol\.ya?ml$/;

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

interface DocumentState {
  analyzer: ProtocolAnalyzer;
  analysis?: Analysis;
  lines?: LineIndex;
  /** The document version the analysis is of. */
  version?: number;
  scheduled?: NodeJS.Immediate;
}

function toLspDiagnostic(d: Diagnostic, lines: LineIndex): LspDiagnostic {
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

function filePath(uri: string): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  /** The edit since the last analysis, per document, when it is one incremental change (else undefined). */
  const pendingEdits = new Map<string, Edit | undefined>();
  const documents = new TextDocuments({
    create: TextDocument.create,
    update(doc, changes, version) {
      const state = states.get(doc.uri);
      const change = changes.length === 1 ? changes[0] : undefined;
      const single = change && TextDocumentContentChangeEvent.isIncremental(change) && state?.version === doc.version && !pendingEdits.has(doc.uri);
      if (single && change && TextDocumentContentChangeEvent.isIncremental(change)) {
        const start = doc.offsetAt(change.range.start);
        pendingEdits.set(doc.uri, { start, deleted: doc.offsetAt(change.range.end) - start, inserted: change.text.length });
      } else pendingEdits.set(doc.uri, undefined);
      return TextDocument.update(doc, changes, version);
    },
  });
  const states = new Map<string, DocumentState>();
  const log = (message: string) => connection.console.log(message);
  // Whole libraries are indexed in a worker thread; when one is ready, the protocols naming it are checked again.
  const loader = new SourceLoader(nodeFileSystem, new LibraryIndexer(log), (path) => {
    for (const [uri, state] of states) if (state.analysis?.dependencies.includes(path)) schedule(uri);
  });
  let roots: string[] = [];
  let settings: Settings = DEFAULT_SETTINGS;
  let canPullConfiguration = false;
  let canWatchFiles = false;
  let snippets = false;
  /** The client takes snippet edits in workspace edits (LSP 3.18): fixes get tab stops. */
  let snippetEdits = false;
  let canTrackFolders = false;

  /** A document is a protocol by its name, whatever languageId the client sends. */
  const isProtocol = (uri: string) => PROTOCOL_FILE.test(decodeURIComponent(uri.split(/[?#]/)[0] ?? ""));

  /** Folders already announced as a single file's workspace. */
  const announced = new Set<string>();
  /** The workspace folder that holds a file; a file outside every folder is its own workspace (said once). */
  const rootOf = (path: string) => {
    const inside = roots.filter((r) => isInside(path, r)).sort((a, b) => b.length - a.length);
    if (inside[0]) return inside[0];
    const folder = nodePath.dirname(path);
    if (!announced.has(folder)) {
      announced.add(folder);
      void connection.sendNotification("window/showMessage", {
        type: 3, // Info
        message: `${nodePath.basename(path)} is open without a workspace folder: its own folder (${folder}) is the workspace, and sources outside it are not read. Open the folder that holds the protocol and its sources to include them.`,
      });
    }
    return folder;
  };

  /** `review-protocol.json` per workspace root, by its text; a malformed one is reported on the file once per version. */
  const settingsFiles = new Map<string, { text: string | undefined; settings?: Partial<Settings> }>();
  function fileSettings(root: string): Partial<Settings> | undefined {
    const file = nodePath.join(root, SETTINGS_FILE);
    let text: string | undefined;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      text = undefined;
    }
    const known = settingsFiles.get(root);
    if (known && known.text === text) return known.settings;
    const uri = pathToFileURL(file).href;
    if (text === undefined) {
      settingsFiles.set(root, { text });
      if (known?.text !== undefined) void connection.sendDiagnostics({ uri, diagnostics: [] });
      return undefined;
    }
    const parsed = parseSettingsFile(text);
    if ("settings" in parsed) {
      settingsFiles.set(root, { text, settings: parsed.settings });
      void connection.sendDiagnostics({ uri, diagnostics: [] });
      return parsed.settings;
    }
    settingsFiles.set(root, { text });
    const lines = new LineIndex(text);
    void connection.sendDiagnostics({ uri, diagnostics: [toLspDiagnostic(diagnostic("schema-type", parsed.offset, Math.min(text.length, parsed.offset + 1), parsed.error), lines)] });
    return undefined;
  }

  function validate(uri: string): void {
    const doc = documents.get(uri);
    const state = states.get(uri);
    if (!doc || !state) return;
    state.scheduled = undefined;
    const path = filePath(uri) ?? nodePath.resolve(decodeURIComponent(uri.replace(/^[a-z]+:\/*/i, "/")));
    const text = doc.getText();
    const started = performance.now();
    let analysis: Analysis;
    try {
      const edit = pendingEdits.get(uri);
      pendingEdits.delete(uri);
      analysis = state.analyzer.analyse(text, { path, root: rootOf(path), loader }, edit);
    } catch (e) {
      log(`analysis failed for ${uri}: ${(e as Error).stack ?? e}`);
      return;
    }
    state.analysis = analysis;
    state.lines = new LineIndex(text);
    state.version = doc.version;
    const lines = state.lines;
    // The workspace's review-protocol.json under the editor's settings (the editor wins).
    const effective = mergeSettings(fileSettings(rootOf(path)), settings);
    const diagnostics = applySettings(analysis.diagnostics, effective).map((d) => toLspDiagnostic(d, lines));
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
    const ms = performance.now() - started;
    if (ms > 200) log(`${nodePath.basename(path)} v${doc.version}: ${diagnostics.length} diagnostics in ${ms.toFixed(0)} ms`);
  }

  /** Coalesces bursts of changes: only the newest version is analysed. */
  function schedule(uri: string): void {
    if (!isProtocol(uri)) return;
    let state = states.get(uri);
    if (!state) states.set(uri, (state = { analyzer: new ProtocolAnalyzer() }));
    if (state.scheduled) return;
    state.scheduled = setImmediate(() => validate(uri));
  }

  /** The analysis of a document's current version (analysed now if an edit is pending). */
  function current(uri: string): { analysis: Analysis; lines: LineIndex } | undefined {
    const doc = documents.get(uri);
    let state = states.get(uri);
    if (!doc || !isProtocol(uri)) return undefined;
    if (!state) states.set(uri, (state = { analyzer: new ProtocolAnalyzer() }));
    if (state.version !== doc.version || !state.analysis) {
      if (state.scheduled) clearImmediate(state.scheduled);
      validate(uri);
    }
    return state.analysis && state.lines ? { analysis: state.analysis, lines: state.lines } : undefined;
  }

  /** Line indexes of source files, for links and locations; rebuilt when the file changes. */
  const sourceLines = new Map<string, { stamp: string; lines: LineIndex }>();
  function linesOfSource(path: string): LineIndex | undefined {
    try {
      const stat = fs.statSync(path);
      const stamp = `${stat.size}:${stat.mtimeMs}`;
      const hit = sourceLines.get(path);
      if (hit?.stamp === stamp) return hit.lines;
      // Paths here come from the analysis, which only names files inside the workspace.
      const lines = new LineIndex(fs.readFileSync(path, "utf8"));
      sourceLines.set(path, { stamp, lines });
      return lines;
    } catch {
      return undefined;
    }
  }

  function location(uri: string, lines: LineIndex, place: Place): Location | undefined {
    if (place.path === undefined) return { uri, range: lines.rangeOf(place.start, place.end) };
    const source = linesOfSource(place.path);
    if (!source) return undefined;
    return { uri: pathToFileURL(place.path).href, range: source.rangeOf(place.start, place.end) };
  }

  /**
   * Features made to fail on purpose, for the isolation tests only:
   * REVIEW_PROTOCOL_FAULTS=hover,completion makes those throw.
   */
  const faults = new Set((process.env.REVIEW_PROTOCOL_FAULTS ?? "").split(",").filter(Boolean));

  /** A feature that fails answers empty and is logged once; it never takes the server down. */
  const failed = new Set<string>();
  function guard<T>(feature: string, fallback: T, run: () => T): T {
    try {
      if (faults.has(feature)) throw new Error(`injected fault in ${feature}`);
      return run();
    } catch (e) {
      if (!failed.has(feature)) {
        failed.add(feature);
        log(`${feature} failed: ${(e as Error).stack ?? e}`);
      }
      return fallback;
    }
  }

  connection.onHover((params) =>
    guard("hover", null, () => {
      const c = current(params.textDocument.uri);
      if (!c) return null;
      const h = hover(c.analysis, c.lines.offsetAt(params.position), (path, offset) => linesOfSource(path)?.positionAt(offset).line ?? 0);
      return h ? { contents: { kind: "markdown" as const, value: h.markdown }, range: c.lines.rangeOf(h.start, h.end) } : null;
    }),
  );

  connection.onDefinition((params) =>
    guard("definition", null, () => {
      const c = current(params.textDocument.uri);
      if (!c) return null;
      const place = definition(c.analysis, c.lines.offsetAt(params.position));
      return place ? (location(params.textDocument.uri, c.lines, place) ?? null) : null;
    }),
  );

  connection.onReferences((params) =>
    guard("references", null, () => {
      const c = current(params.textDocument.uri);
      if (!c) return null;
      const places = references(c.analysis, c.lines.offsetAt(params.position), params.context.includeDeclaration);
      return places ? places.map((p) => location(params.textDocument.uri, c.lines, p)).filter((l): l is Location => Boolean(l)) : null;
    }),
  );

  function toCodeAction(uri: string, version: number, lines: LineIndex, action: FixAction, diagnostics: LspDiagnostic[]): CodeAction {
    // A quick fix that writes empty judgements puts a tab stop in each, where the client takes snippet edits.
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

  connection.onCodeAction((params) =>
    guard("code actions", [] as CodeAction[], () => {
      const uri = params.textDocument.uri;
      const doc = documents.get(uri);
      const c = current(uri);
      if (!c || !doc) return [];
      const only = params.context.only;
      const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
      const out: CodeAction[] = [];
      if (wants(CodeActionKind.QuickFix)) {
        for (const d of params.context.diagnostics) {
          if (d.source !== DIAGNOSTIC_SOURCE || typeof d.code !== "string") continue;
          // Pure function of the diagnostic: its start and the fixes in its data.
          for (const action of quickFixes([{ code: d.code, start: c.lines.offsetAt(d.range.start), data: d.data }])) {
            out.push(toCodeAction(uri, doc.version, c.lines, action, [d]));
          }
        }
        const codes = new Set(params.context.diagnostics.map((d) => String(d.code)));
        for (const action of fixAll(c.analysis.diagnostics, codes)) out.push({ ...toCodeAction(uri, doc.version, c.lines, action, []), kind: CodeActionKind.QuickFix });
      }
      if (wants(CodeActionKind.SourceFixAll)) {
        for (const action of fixAll(c.analysis.diagnostics)) out.push(toCodeAction(uri, doc.version, c.lines, action, []));
      }
      return out;
    }),
  );

  const ITEM_KIND: Record<Item["kind"], CompletionItemKind> = {
    key: CompletionItemKind.Property,
    value: CompletionItemKind.EnumMember,
    reference: CompletionItemKind.Reference,
    citation: CompletionItemKind.Reference,
    snippet: CompletionItemKind.Snippet,
  };

  connection.onCompletion((params) =>
    guard("completion", [] as CompletionItem[], () => {
      const c = current(params.textDocument.uri);
      if (!c) return [];
      return complete(c.analysis, c.lines.offsetAt(params.position), snippets).map((item): CompletionItem => {
        const asSnippet = item.snippet && snippets;
        return {
          label: item.label,
          kind: ITEM_KIND[item.kind],
          detail: item.detail,
          documentation: item.documentation ? { kind: "markdown", value: item.documentation } : undefined,
          sortText: item.sortText,
          filterText: item.label,
          insertTextFormat: asSnippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
          // The service gives plain text to clients without snippet support.
          textEdit: { range: c.lines.rangeOf(item.start, item.end), newText: item.insertText },
        };
      });
    }),
  );

  connection.onPrepareRename((params) => {
    const c = current(params.textDocument.uri);
    if (!c) return null;
    const prepared = guard("rename", { error: "rename failed" } as ReturnType<typeof prepareRename>, () => prepareRename(c.analysis, c.lines.offsetAt(params.position)));
    // The reason goes back to the editor, which shows it where the user asked.
    if ("error" in prepared) throw new ResponseError(-32803, prepared.error);
    return { range: c.lines.rangeOf(prepared.start, prepared.end), placeholder: prepared.placeholder };
  });

  connection.onRenameRequest((params) => {
    const c = current(params.textDocument.uri);
    if (!c) return null;
    const result = guard("rename", { error: "rename failed" } as ReturnType<typeof rename>, () => rename(c.analysis, c.lines.offsetAt(params.position), params.newName));
    if ("error" in result) throw new ResponseError(-32803, result.error);
    const doc = documents.get(params.textDocument.uri)!;
    return {
      documentChanges: [{ textDocument: { uri: params.textDocument.uri, version: doc.version }, edits: result.map((e) => ({ range: c.lines.rangeOf(e.from, e.to), newText: e.text })) }],
    };
  });

  const SYMBOL_KIND: Record<Symbol["kind"], SymbolKind> = {
    section: SymbolKind.Namespace,
    outcome: SymbolKind.Event,
    arm: SymbolKind.Variable,
    source: SymbolKind.File,
    study: SymbolKind.Object,
    field: SymbolKind.Field,
    analysis: SymbolKind.Function,
  };

  connection.onDocumentSymbol((params) =>
    guard("document symbols", [] as DocumentSymbol[], () => {
      const c = current(params.textDocument.uri);
      if (!c) return [];
      const convert = (s: Symbol): DocumentSymbol => ({
        name: s.name,
        detail: s.detail,
        kind: SYMBOL_KIND[s.kind],
        range: c.lines.rangeOf(s.start, s.end),
        selectionRange: c.lines.rangeOf(s.selectionStart, s.selectionEnd),
        children: s.children.map(convert),
      });
      return documentSymbols(c.analysis).map(convert);
    }),
  );

  connection.onCodeLens((params) =>
    guard("code lens", [], () => {
      const c = current(params.textDocument.uri);
      if (!c) return [];
      return codeLenses(c.analysis).map((l) => ({ range: c.lines.rangeOf(l.offset, l.offset), command: { title: l.title, command: "" } }));
    }),
  );

  /** The text of a new protocol (the client's "New review protocol" command writes it to a file). */
  const SKELETON_COMMAND = SERVER_COMMANDS.skeleton;
  const PLOTS_COMMAND = SERVER_COMMANDS.plots;
  const IMPORT_COMMAND = SERVER_COMMANDS.importRm5;
  connection.onExecuteCommand((params) =>
    guard("commands", null, () => {
      if (params.command === SKELETON_COMMAND) {
        const tool = typeof params.arguments?.[0] === "string" ? params.arguments[0] : undefined;
        return protocolSkeleton(tool);
      }
      if (params.command === IMPORT_COMMAND) {
        // [base64 of the .rm5 file, output name, output folder]: the client read the file the author picked.
        const [data, name, dir] = params.arguments ?? [];
        if (typeof data !== "string" || typeof name !== "string" || typeof dir !== "string") return { error: "expected the file's bytes, a name and a folder" };
        return importReview(Buffer.from(data, "base64"), name, dir);
      }
      if (params.command === PLOTS_COMMAND) {
        // The pictures of a protocol, for the extension's webviews: [uri, weighted?].
        const uri = params.arguments?.[0];
        const c = typeof uri === "string" ? current(uri) : undefined;
        return c ? plots(c.analysis, params.arguments?.[1] === true) : null;
      }
      return null;
    }),
  );

  async function refreshSettings(): Promise<void> {
    if (!canPullConfiguration) return;
    try {
      const raw = await connection.workspace.getConfiguration(SETTINGS_SECTION);
      settings = parseSettings(raw);
    } catch (e) {
      log(`could not read settings: ${(e as Error).message}`);
    }
    for (const uri of states.keys()) schedule(uri);
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    roots = folders.map(filePath).filter((p): p is string => Boolean(p));
    if (!roots.length && params.rootPath) roots = [params.rootPath];
    const caps = params.capabilities;
    canPullConfiguration = Boolean(caps.workspace?.configuration);
    canWatchFiles = Boolean(caps.workspace?.didChangeWatchedFiles?.dynamicRegistration);
    snippets = Boolean(caps.textDocument?.completion?.completionItem?.snippetSupport);
    snippetEdits = Boolean((caps.workspace?.workspaceEdit as { snippetEditSupport?: boolean } | undefined)?.snippetEditSupport);
    canTrackFolders = Boolean(caps.workspace?.workspaceFolders);
    settings = parseSettings((params.initializationOptions as Record<string, unknown> | undefined)?.settings);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll] },
        completionProvider: { triggerCharacters: [":", " ", "@", "[", "{", ","] },
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: Object.values(SERVER_COMMANDS) },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: "review-protocol-server", version: "0.1.0" },
    };
  });

  connection.onInitialized(() => {
    if (canPullConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    if (canWatchFiles) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: "**/*" }] });
    void refreshSettings();
    if (canTrackFolders) connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(e.removed.map((f) => filePath(f.uri)));
      roots = roots.filter((r) => !removed.has(r)).concat(e.added.map((f) => filePath(f.uri)).filter((p): p is string => Boolean(p)));
      for (const uri of states.keys()) schedule(uri);
    });
  });

  connection.onDidChangeConfiguration((change) => {
    const raw = (change.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION];
    if (raw !== undefined) {
      settings = parseSettings(raw);
      for (const uri of states.keys()) schedule(uri);
    } else void refreshSettings();
  });

  // Source files and bibliographies changed on disk: revalidate the protocols that name them.
  connection.onDidChangeWatchedFiles((params) => {
    const changed = new Set<string>();
    for (const change of params.changes) {
      const path = filePath(change.uri);
      if (!path) continue;
      loader.invalidate(path);
      changed.add(path);
    }
    const settingsChanged = [...changed].some((p) => nodePath.basename(p) === SETTINGS_FILE);
    // A deleted or renamed folder comes as one event for the folder: every file below it changed.
    const affected = (d: string) => changed.has(d) || [...changed].some((p) => d.startsWith(p + nodePath.sep));
    for (const [uri, state] of states) {
      const hit = state.analysis?.dependencies.filter(affected) ?? [];
      for (const d of hit) loader.invalidate(d);
      if (settingsChanged || hit.length) schedule(uri);
    }
  });

  documents.onDidOpen((e) => schedule(e.document.uri));
  documents.onDidChangeContent((e) => schedule(e.document.uri));
  documents.onDidClose((e) => {
    const state = states.get(e.document.uri);
    if (state?.scheduled) clearImmediate(state.scheduled);
    states.delete(e.document.uri);
    if (isProtocol(e.document.uri)) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}


