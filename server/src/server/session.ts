/**
 * What every handler shares: the LSP documents, the workspace (their analyses,
 * the settings file, sources; service/workspace), the roots, the editor's
 * settings and the client's capabilities, scheduling, and the one guard every
 * handler runs in. Files are read only through the workspace, inside it.
 */
import * as nodePath from "node:path";
import { pathToFileURL } from "node:url";
import { PROTOCOL_FILE } from "../../../schemas/src/files";
import { ResponseError, TextDocuments, TextDocumentContentChangeEvent, type Connection } from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Edit } from "../core/syntax/parse";
import { isInside } from "../core/sources/workspace";
import type { LineIndex } from "../core/syntax/text";
import { DEFAULT_SETTINGS, type Settings } from "../service/settings";
import type { AnalysedDocument } from "../service/workspace/documents";
import type { WorkspaceFileSystem } from "../service/workspace/file-system";
import { nodeWorkspaceFileSystem } from "../service/workspace/node-file-system";
import type { SettingsFileState } from "../service/workspace/settings-file";
import { Workspace, type CheckedDocument } from "../service/workspace/workspace";
import { filePath, toLspDiagnostic } from "./convert";
import { LibraryIndexer } from "./library-indexer";
import { withRoomToGrow } from "./memory";
import { libraryProgress } from "./progress";
import { sendStatus } from "./status";

/** What the client can do, read at initialize. */
export interface ClientCapabilities {
  pullConfiguration: boolean;
  watchFiles: boolean;
  snippets: boolean;
  /** Snippet edits in workspace edits (LSP 3.18): fixes get tab stops. */
  snippetEdits: boolean;
  trackFolders: boolean;
  /** The client asked for `reviewProtocol/status` after each analysis (initialization option). */
  statusNotifications?: boolean;
}

export class Session {
  readonly documents: TextDocuments<TextDocument>;
  readonly workspace: Workspace;
  roots: string[] = [];
  /** The editor's settings (over each root's review-protocol.json). */
  settings: Settings = DEFAULT_SETTINGS;
  capabilities: ClientCapabilities = { pullConfiguration: false, watchFiles: false, snippets: false, snippetEdits: false, trackFolders: false };
  /** Documents whose analysis is scheduled. */
  private readonly scheduled = new Map<string, NodeJS.Immediate>();
  /** The edit since the last analysis, per document, when it is one incremental change (else undefined). */
  private readonly pendingEdits = new Map<string, Edit | undefined>();
  /** Folders already announced as a single file's workspace. */
  private readonly announced = new Set<string>();
  /** Features made to fail on purpose, for the isolation tests only: REVIEW_PROTOCOL_FAULTS=hover,completion. */
  private readonly faults = new Set((process.env.REVIEW_PROTOCOL_FAULTS ?? "").split(",").filter(Boolean));
  private readonly failed = new Set<string>();

  constructor(
    readonly connection: Connection,
    fs: WorkspaceFileSystem = nodeWorkspaceFileSystem,
  ) {
    const pendingEdits = this.pendingEdits;
    // Whole libraries are indexed in a worker thread; when one is ready, the protocols naming it are checked again.
    const workspace = new Workspace(fs, {
      indexer: new LibraryIndexer((m) => this.log(m), undefined, libraryProgress(connection)),
      indexed: (path) => {
        for (const { key, files } of workspace.documents.readers((p) => p === path)) if (files.length) this.schedule(key);
      },
      run: withRoomToGrow,
    });
    this.workspace = workspace;
    this.documents = new TextDocuments({
      create: TextDocument.create,
      update(doc, changes, version) {
        const analysed = workspace.documents.analysed(doc.uri);
        const change = changes.length === 1 ? changes[0] : undefined;
        const single = change && TextDocumentContentChangeEvent.isIncremental(change) && analysed?.version === doc.version && !pendingEdits.has(doc.uri);
        if (single && change && TextDocumentContentChangeEvent.isIncremental(change)) {
          const start = doc.offsetAt(change.range.start);
          pendingEdits.set(doc.uri, { start, deleted: doc.offsetAt(change.range.end) - start, inserted: change.text.length });
        } else pendingEdits.set(doc.uri, undefined);
        return TextDocument.update(doc, changes, version);
      },
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

  /** What the settings file says, on the file, when that changed: its one problem, or nothing. */
  private publishSettingsFile(file: SettingsFileState): void {
    if (!file.changed) return;
    const report = this.workspace.settingsReport(file);
    const diagnostics = report ? report.diagnostics.map((d) => toLspDiagnostic(d, report.lines)) : [];
    void this.connection.sendDiagnostics({ uri: pathToFileURL(file.file).href, diagnostics });
  }

  private validate(uri: string): void {
    const doc = this.documents.get(uri);
    if (!doc || !this.isProtocol(uri)) return;
    this.scheduled.delete(uri);
    const path = filePath(uri) ?? nodePath.resolve(decodeURIComponent(uri.replace(/^[a-z]+:\/*/i, "/")));
    const text = doc.getText();
    const started = performance.now();
    const edit = this.pendingEdits.get(uri);
    this.pendingEdits.delete(uri);
    let checked: CheckedDocument;
    try {
      // The workspace's review-protocol.json under the editor's settings (the editor wins).
      checked = this.workspace.check(uri, { text, version: doc.version, path, root: this.rootOf(path), edit }, this.settings);
    } catch (e) {
      this.log(`analysis failed for ${uri}: ${(e as Error).stack ?? e}`);
      return;
    }
    this.publishSettingsFile(checked.settingsFile);
    const diagnostics = checked.diagnostics.map((d) => toLspDiagnostic(d, checked.lines));
    void this.connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
    if (this.capabilities.statusNotifications) sendStatus(this.connection, uri, doc.version, checked.analysis, diagnostics);
    const ms = performance.now() - started;
    if (ms > 200) this.log(`${nodePath.basename(path)} v${doc.version}: ${diagnostics.length} diagnostics in ${ms.toFixed(0)} ms`);
  }

  /** Coalesces bursts of changes: only the newest version is analysed. */
  schedule(uri: string): void {
    if (!this.isProtocol(uri)) return;
    this.workspace.documents.track(uri);
    if (this.scheduled.has(uri)) return;
    this.scheduled.set(uri, setImmediate(() => this.validate(uri)));
  }

  /** Every open protocol, checked again (settings or folders changed). */
  scheduleAll(): void {
    for (const uri of this.workspace.documents.keys()) this.schedule(uri);
  }

  /** Forgets a closed document. */
  close(uri: string): void {
    const scheduled = this.scheduled.get(uri);
    if (scheduled) clearImmediate(scheduled);
    this.scheduled.delete(uri);
    this.workspace.documents.close(uri);
  }

  /** The analysis of a document's current version (analysed now if an edit is pending). */
  current(uri: string): AnalysedDocument | undefined {
    const doc = this.documents.get(uri);
    if (!doc || !this.isProtocol(uri)) return undefined;
    this.workspace.documents.track(uri);
    const analysed = this.workspace.documents.analysed(uri);
    if (analysed?.version !== doc.version) {
      const scheduled = this.scheduled.get(uri);
      if (scheduled) clearImmediate(scheduled);
      this.validate(uri);
    }
    return this.workspace.documents.analysed(uri);
  }

  /** The line index of a source file inside a workspace root (for locations and hover links). */
  linesOfSource(path: string): LineIndex | undefined {
    return this.workspace.linesOfSource(path, [...this.roots, ...this.announced]);
  }
}
