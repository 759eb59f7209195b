/**
 * Drives the real server process over stdio with JSON-RPC, as an editor does.
 * Tests wait on events (a notification that matches), never on time.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";

const SERVER = path.resolve(__dirname, "../../../dist/server.js");

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; code?: string; severity?: number; message: string; source?: string; data?: unknown }[];
}

export class LspClient {
  readonly process: ChildProcess;
  readonly connection: MessageConnection;
  private readonly published: PublishedDiagnostics[] = [];
  private waiters: { match: (p: PublishedDiagnostics) => boolean; resolve: (p: PublishedDiagnostics) => void }[] = [];
  readonly stderr: string[] = [];
  /** Requests the server sent to the client (method names), e.g. registrations. */
  readonly serverRequests: string[] = [];
  settings: unknown = {};
  /** Messages the server showed the user (window/showMessage). */
  readonly shown: string[] = [];

  constructor(args: string[] = ["--stdio"]) {
    this.process = spawn(process.execPath, [SERVER, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    this.process.stderr!.on("data", (d: Buffer) => this.stderr.push(d.toString()));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification("textDocument/publishDiagnostics", (p: PublishedDiagnostics) => {
      this.lastVersions.set(p.uri, p.version);
      this.published.push(p);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(p)) return true;
        w.resolve(p);
        return false;
      });
    });
    this.connection.onRequest("workspace/configuration", (params: { items: unknown[] }) => params.items.map(() => this.settings));
    this.connection.onRequest("client/registerCapability", () => {
      this.serverRequests.push("client/registerCapability");
      return null;
    });
    this.connection.onNotification("window/logMessage", (p: { message: string }) => {
      this.logs.push(p.message);
      this.logWaiters = this.logWaiters.filter((w) => !(w.match(p.message) && (w.resolve(p.message), true)));
    });
    this.connection.onNotification("window/showMessage", (p: { message: string }) => {
      this.shown.push(p.message);
    });
    this.connection.listen();
  }

  async initialize(rootDir: string, capabilities: Record<string, unknown> = {}, initializationOptions?: Record<string, unknown>): Promise<unknown> {
    const uri = pathToFileURL(rootDir).href;
    const result = await this.connection.sendRequest("initialize", {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: path.basename(rootDir) }],
      capabilities: {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { versionSupport: true } },
        ...capabilities,
      },
      initializationOptions,
    });
    await this.connection.sendNotification("initialized", {});
    return result;
  }

  /** The next diagnostics published for `uri` that match, including ones already received. */
  diagnostics(uri: string, match: (p: PublishedDiagnostics) => boolean = () => true): Promise<PublishedDiagnostics> {
    const m = (p: PublishedDiagnostics) => p.uri === uri && match(p);
    const seen = this.published.find(m);
    if (seen) {
      this.published.splice(this.published.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve) => this.waiters.push({ match: m, resolve }));
  }

  /** The server's log lines (window/logMessage). */
  readonly logs: string[] = [];
  private logWaiters: { match: (m: string) => boolean; resolve: (m: string) => void }[] = [];

  /** The next log line that matches, including ones already received. */
  logged(match: (message: string) => boolean): Promise<string> {
    const seen = this.logs.find(match);
    if (seen) {
      this.logs.splice(this.logs.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve) => this.logWaiters.push({ match, resolve }));
  }

  /** The version of the newest diagnostics published for a document (for failure messages). */
  lastVersion(uri: string): number | undefined {
    return this.lastVersions.get(uri);
  }
  private readonly lastVersions = new Map<string, number | undefined>();

  /** Forget what was published so far (so the next wait sees only new notifications). */
  clear(): void {
    this.published.length = 0;
  }

  open(uri: string, text: string, languageId = "yaml", version = 1): Promise<void> {
    return this.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, changes: unknown[]): Promise<void> {
    return this.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: changes });
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest("shutdown");
      await this.connection.sendNotification("exit");
    } catch {
      // already gone
    }
    this.connection.dispose();
    if (this.process.exitCode === null) {
      await new Promise<void>((resolve) => {
        this.process.once("exit", () => resolve());
        setTimeout(() => this.process.kill(), 2000).unref();
      });
    }
  }
}
