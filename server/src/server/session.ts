/**
 * What every handler shares: the open documents and their analyses, the source
 * loader, the workspace roots, settings and the client's capabilities, and the
 * one guard every handler runs in. Files are read through the core's FileSystem
 * and only inside the workspace.
 */
import * as nodePath from "node:path";
import { pathToFileURL } from "node:url";
import { PROTOCOL_FILE } from "../../../schemas/src/files";
import { ResponseError, TextDocuments, TextDocumentContentChangeEvent, type Connection } from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { ProtocolAnalyzer, type ProtocolAnalysis } from "../core/analyzer/analyzer";
import { diagnostic } from "../core/checks/diagnostics";
import type { Edit } from "../core/syntax/parse";
import { SourceLoader } from "../core/sources/loader";
import { LineIndex } from "../core/syntax/text";
import { isInside, nodeFileSystem, type FileSystem } from "../core/sources/workspace";
import { applySettings, DEFAULT_SETTINGS, mergeSettings, parseSettingsFile, SETTINGS_FILE, type Settings } from "../service/settings";
import { filePath, toLspDiagnostic } from "./convert";
import { LibraryIndexer } from "./library-indexer";
import { withRoomToGrow } from "./memory";


interface DocumentState {
  analyzer: ProtocolAnalyzer;
  analysis?: ProtocolAnalysis;
  lines?: LineIndex;
  /** The document version the analysis is of. */
  version?: number;
  scheduled?: NodeJS.Immediate;
}

/** What the client can do, read at initialize. */
export interface ClientCapabilities {
  pullConfiguration: boolean;
  watchFiles: boolean;
  snippets: boolean;
  /** Snippet edits in workspace edits (LSP 3.18): fixes get tab stops. */
  snippetEdits: boolean;
  trackFolders: boolean;
}

export class Session {
  readonly documents: TextDocuments<TextDocument>;
  readonly states = new Map<string, DocumentState>();
  readonly loader: SourceLoader;
  roots: string[] = [];
  settings: Settings = DEFAULT_SETTINGS;
  capabilities: ClientCapabilities = { pullConfiguration: false, watchFiles: false, snippets: false, snippetEdits: false, trackFolders: false };
  /** The edit since the last analysis, per document, when it is one incremental change (else undefined). */
  private readonly pendingEdits = new Map<string, Edit | undefined>();
  /** Folders already announced as a single file's workspace. */
  private readonly announced = new Set<string>();
  /** `review-protocol.json` per workspace root, by its text. */
  private readonly settingsFiles = new Map<string, { text: string | undefined; settings?: Partial<Settings> }>();
  /** Line indexes of source files, for locations; rebuilt when the file changes. */
  private readonly sourceLines = new Map<string, { stamp: string; lines: LineIndex }>();
  /** Features made to fail on purpose, for the isolation tests only: REVIEW_PROTOCOL_FAULTS=hover,completion. */
  private readonly faults = new Set((process.env.REVIEW_PROTOCOL_FAULTS ?? "").split(",").filter(Boolean));
  private readonly failed = new Set<string>();

  constructor(
    readonly connection: Connection,
    readonly fs: FileSystem = nodeFileSystem,
  ) {
    const pendingEdits = this.pendingEdits;
    const states = this.states;
    this.documents = new TextDocuments({
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
    // Whole libraries are indexed in a worker thread; when one is ready, the protocols naming it are checked again.
    this.loader = new SourceLoader(fs, new LibraryIndexer((m) => this.log(m)), (path) => {
      for (const [uri, state] of this.states) if (state.analysis?.dependencies.includes(path)) this.schedule(uri);
    });
  }

  log(message: string): void {
    this.connection.console.log(message);
  }

  /**
   * Runs a handler: a feature that fails answers `fallback` and is logged once; it
   * never takes the server down. A ResponseError is an answer (e.g. why a rename
   * cannot be done) and goes back to the client.
   */
  guard<T>(feature: string, fallback: T, run: () => T): T {
    try {
      if (this.faults.has(feature)) throw new Error(`injected fault in ${feature}`);
      return run();
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      if (!this.failed.has(feature)) {
        this.failed.add(feature);
        this.log(`${feature} failed: ${(e as Error).stack ?? e}`);
      }
      return fallback;
    }
  }

  /** A document is a protocol by its name, whatever languageId the client sends. */
  isProtocol(uri: string): boolean {
    return PROTOCOL_FILE.test(decodeURIComponent(uri.split(/[?#]/)[0] ?? ""));
  }

  /** The workspace folder that holds a file; a file outside every folder is its own workspace (said once). */
  rootOf(path: string): string {
    const inside = this.roots.filter((r) => isInside(path, r)).sort((a, b) => b.length - a.length);
    if (inside[0]) return inside[0];
    const folder = nodePath.dirname(path);
    if (!this.announced.has(folder)) {
      this.announced.add(folder);
      void this.connection.sendNotification("window/showMessage", {
        type: 3, // Info
        message: `${nodePath.basename(path)} is open without a workspace folder: its own folder (${folder}) is the workspace, and sources outside it are not read. Open the folder that holds the protocol and its sources to include them.`,
      });
    }
    return folder;
  }

  /** The root's `review-protocol.json`; a malformed one is reported on the file, once per version of its text. */
  private fileSettings(root: string): Partial<Settings> | undefined {
    const file = nodePath.join(root, SETTINGS_FILE);
    let text: string | undefined;
    try {
      text = this.fs.lstat(file)?.isFile ? this.fs.readFile(file) : undefined;
    } catch {
      text = undefined;
    }
    const known = this.settingsFiles.get(root);
    if (known && known.text === text) return known.settings;
    const uri = pathToFileURL(file).href;
    if (text === undefined) {
      this.settingsFiles.set(root, { text });
      if (known?.text !== undefined) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
      return undefined;
    }
    const parsed = parseSettingsFile(text);
    if ("settings" in parsed) {
      this.settingsFiles.set(root, { text, settings: parsed.settings });
      void this.connection.sendDiagnostics({ uri, diagnostics: [] });
      return parsed.settings;
    }
    this.settingsFiles.set(root, { text });
    const problem = diagnostic("schema-type", parsed.offset, Math.min(text.length, parsed.offset + 1), parsed.error);
    void this.connection.sendDiagnostics({ uri, diagnostics: [toLspDiagnostic(problem, new LineIndex(text))] });
    return undefined;
  }

  private validate(uri: string): void {
    const doc = this.documents.get(uri);
    const state = this.states.get(uri);
    if (!doc || !state) return;
    state.scheduled = undefined;
    const path = filePath(uri) ?? nodePath.resolve(decodeURIComponent(uri.replace(/^[a-z]+:\/*/i, "/")));
    const text = doc.getText();
    const started = performance.now();
    let analysis: ProtocolAnalysis;
    try {
      const edit = this.pendingEdits.get(uri);
      this.pendingEdits.delete(uri);
      analysis = withRoomToGrow(text.length, () => state.analyzer.analyse(text, { path, root: this.rootOf(path), loader: this.loader }, edit));
    } catch (e) {
      this.log(`analysis failed for ${uri}: ${(e as Error).stack ?? e}`);
      return;
    }
    state.analysis = analysis;
    state.lines = new LineIndex(text);
    state.version = doc.version;
    const lines = state.lines;
    // The workspace's review-protocol.json under the editor's settings (the editor wins).
    const effective = mergeSettings(this.fileSettings(this.rootOf(path)), this.settings);
    const diagnostics = applySettings(analysis.diagnostics, effective).map((d) => toLspDiagnostic(d, lines));
    void this.connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
    const ms = performance.now() - started;
    if (ms > 200) this.log(`${nodePath.basename(path)} v${doc.version}: ${diagnostics.length} diagnostics in ${ms.toFixed(0)} ms`);
  }

  /** Coalesces bursts of changes: only the newest version is analysed. */
  schedule(uri: string): void {
    if (!this.isProtocol(uri)) return;
    let state = this.states.get(uri);
    if (!state) this.states.set(uri, (state = { analyzer: new ProtocolAnalyzer() }));
    if (state.scheduled) return;
    state.scheduled = setImmediate(() => this.validate(uri));
  }

  /** Every open protocol, checked again (settings or folders changed). */
  scheduleAll(): void {
    for (const uri of this.states.keys()) this.schedule(uri);
  }

  /** Forgets a closed document. */
  close(uri: string): void {
    const state = this.states.get(uri);
    if (state?.scheduled) clearImmediate(state.scheduled);
    this.states.delete(uri);
  }

  /** The analysis of a document's current version (analysed now if an edit is pending). */
  current(uri: string): { analysis: ProtocolAnalysis; lines: LineIndex; version: number } | undefined {
    const doc = this.documents.get(uri);
    let state = this.states.get(uri);
    if (!doc || !this.isProtocol(uri)) return undefined;
    if (!state) this.states.set(uri, (state = { analyzer: new ProtocolAnalyzer() }));
    if (state.version !== doc.version || !state.analysis) {
      if (state.scheduled) clearImmediate(state.scheduled);
      this.validate(uri);
    }
    return state.analysis && state.lines ? { analysis: state.analysis, lines: state.lines, version: doc.version } : undefined;
  }

  /** The line index of a source file inside a workspace root (for locations and hover links); cached by its identity. */
  linesOfSource(path: string): LineIndex | undefined {
    // Paths come from analyses, which name only files inside the workspace; checked again here.
    if (![...this.roots, ...this.announced].some((r) => isInside(path, r))) return undefined;
    try {
      const stat = this.fs.lstat(this.fs.realpath(path) ?? path);
      if (!stat?.isFile) return undefined;
      const stamp = `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
      const hit = this.sourceLines.get(path);
      if (hit?.stamp === stamp) return hit.lines;
      const lines = new LineIndex(this.fs.readFile(path));
      this.sourceLines.set(path, { stamp, lines });
      return lines;
    } catch {
      return undefined;
    }
  }
}
