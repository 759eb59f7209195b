/**
 * initialize/initialized, settings, workspace folders, watched files and the
 * documents' open/change/close: what makes the server check a protocol again.
 */
import * as nodePath from "node:path";
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocumentSyncKind,
  type FileEvent,
  type InitializeParams,
  type InitializeResult,
} from "vscode-languageserver/node";
import { parseSettings, SETTINGS_FILE, SETTINGS_SECTION } from "../../service/settings";
import { filePath } from "../convert";
import type { Session } from "../session";
import { COMMANDS } from "./commands";

export function registerLifecycle(session: Session): void {
  const { connection, documents } = session;

  async function refreshSettings(): Promise<void> {
    if (!session.capabilities.pullConfiguration) return;
    try {
      session.settings = parseSettings(await connection.workspace.getConfiguration(SETTINGS_SECTION));
    } catch (e) {
      session.log(`could not read settings: ${(e as Error).message}`);
    }
    session.scheduleAll();
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => initialize(session, params));

  connection.onInitialized(() => {
    const caps = session.capabilities;
    if (caps.pullConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    if (caps.watchFiles) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: "**/*" }] });
    void refreshSettings();
    if (caps.trackFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(e.removed.map((f) => filePath(f.uri)));
        session.roots = session.roots.filter((r) => !removed.has(r)).concat(e.added.map((f) => filePath(f.uri)).filter((p): p is string => Boolean(p)));
        session.scheduleAll();
      });
    }
  });

  connection.onDidChangeConfiguration((change) => {
    const raw = (change.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION];
    if (raw !== undefined) {
      session.settings = parseSettings(raw);
      session.scheduleAll();
    } else void refreshSettings();
  });

  // Source files and bibliographies changed on disk: revalidate the protocols that name them.
  connection.onDidChangeWatchedFiles((params) => watchedFilesChanged(session, params.changes));

  documents.onDidOpen((e) => session.schedule(e.document.uri));
  documents.onDidChangeContent((e) => session.schedule(e.document.uri));
  documents.onDidClose((e) => {
    session.close(e.document.uri);
    if (session.isProtocol(e.document.uri)) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
}

/** The roots, what the client can do, the first settings; what the server offers. */
function initialize(session: Session, params: InitializeParams): InitializeResult {
  const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  session.roots = folders.map(filePath).filter((p): p is string => Boolean(p));
  if (!session.roots.length && params.rootPath) session.roots = [params.rootPath];
  const caps = params.capabilities;
  session.capabilities = {
    pullConfiguration: Boolean(caps.workspace?.configuration),
    watchFiles: Boolean(caps.workspace?.didChangeWatchedFiles?.dynamicRegistration),
    snippets: Boolean(caps.textDocument?.completion?.completionItem?.snippetSupport),
    snippetEdits: Boolean((caps.workspace?.workspaceEdit as { snippetEditSupport?: boolean } | undefined)?.snippetEditSupport),
    trackFolders: Boolean(caps.workspace?.workspaceFolders),
    statusNotifications: (params.initializationOptions as { statusNotifications?: unknown } | undefined)?.statusNotifications === true,
  };
  session.settings = parseSettings((params.initializationOptions as Record<string, unknown> | undefined)?.settings);
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
      executeCommandProvider: { commands: COMMANDS },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: "review-protocol-server", version: "0.1.0" },
  };
}

/** Files changed on disk: the workspace forgets them, and the protocols that read them (or the settings file) are checked again. */
function watchedFilesChanged(session: Session, changes: readonly FileEvent[]): void {
  const changed = new Set<string>();
  for (const change of changes) {
    const path = filePath(change.uri);
    if (!path) continue;
    session.workspace.changed(path);
    changed.add(path);
  }
  const settingsChanged = [...changed].some((p) => nodePath.basename(p) === SETTINGS_FILE);
  // A deleted or renamed folder comes as one event for the folder: every file below it changed.
  const affected = (d: string) => changed.has(d) || [...changed].some((p) => d.startsWith(p + nodePath.sep));
  for (const { key, files } of session.workspace.documents.readers(affected)) {
    for (const d of files) session.workspace.changed(d);
    if (settingsChanged || files.length) session.schedule(key);
  }
}
