/**
 * Work-done progress (LSP `window/workDoneProgress/create` and `$/progress`)
 * for the server's long work: a library indexed, an import, the plots drawn.
 * A client that does not declare `window.workDoneProgress` gets nothing (the
 * library's null reporter). Reports are sent only when the rounded percentage
 * or the message changes, so a fast loop never floods the client.
 */
import * as nodePath from "node:path";
import type { Connection, WorkDoneProgressServerReporter } from "vscode-languageserver/node";

export interface Progress {
  /** `percentage` 0–100. */
  report(percentage: number, message?: string): void;
  /** The user asked to stop (only when started cancellable). */
  readonly cancelled: boolean;
  end(): void;
}

/** Starts a progress the client shows (a notification in VS Code); the begin is sent before this resolves. */
async function startProgress(connection: Connection, title: string, cancellable = false): Promise<Progress> {
  let reporter: WorkDoneProgressServerReporter | undefined;
  try {
    reporter = await connection.window.createWorkDoneProgress();
  } catch {
    // The client refused the token: the work goes on without progress.
    reporter = undefined;
  }
  reporter?.begin(title, 0, undefined, cancellable);
  let last = "";
  let ended = false;
  return {
    report(percentage, message) {
      const rounded = Math.max(0, Math.min(100, Math.round(percentage)));
      const key = `${rounded}\u0000${message ?? ""}`;
      if (ended || key === last) return;
      last = key;
      if (message === undefined) reporter?.report(rounded);
      else reporter?.report(rounded, message);
    },
    get cancelled() {
      return Boolean(reporter?.token.isCancellationRequested);
    },
    end() {
      if (ended) return;
      ended = true;
      reporter?.done();
    },
  };
}

/** Lets the event loop turn, so that what was sent (a begin, a report) reaches the client before synchronous work. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs `work` under a progress: begin, the work's reports, end (also when it
 * throws). Work that is cancellable checks `progress.cancelled` where stopping
 * leaves nothing half-done.
 */
export async function withProgress<T>(connection: Connection, title: string, cancellable: boolean, work: (progress: Progress) => Promise<T> | T): Promise<T> {
  const progress = await startProgress(connection, title, cancellable);
  try {
    await turn();
    return await work(progress);
  } finally {
    progress.end();
  }
}

/** What the library indexer says while it works (server/library-indexer.ts). */
export interface IndexingEvents {
  started(path: string, bytes: number): void;
  /** `read` bytes of `bytes` read so far. */
  read(path: string, read: number, bytes: number): void;
  finished(path: string): void;
}

/** One progress per library being indexed: "Indexing library.bib", by bytes read. */
export function libraryProgress(connection: Connection): IndexingEvents {
  const running = new Map<string, { progress: Promise<Progress>; reported: boolean }>();
  const megabytes = (n: number) => `${(n / 1048576).toFixed(n < 10485760 ? 1 : 0)} MB`;
  return {
    started(path, bytes) {
      running.set(path, { progress: startProgress(connection, `Indexing ${nodePath.basename(path)} (${megabytes(bytes)})`), reported: false });
    },
    read(path, read, bytes) {
      const run = running.get(path);
      if (!run) return;
      void run.progress.then((p) => {
        run.reported = true;
        p.report((100 * read) / Math.max(1, bytes), read < bytes ? `${megabytes(read)} of ${megabytes(bytes)} read` : "indexing entries");
      });
    },
    finished(path) {
      const run = running.get(path);
      if (!run) return;
      running.delete(path);
      void run.progress.then((p) => {
        // A library read before the client answered still says how far it got.
        if (!run.reported) p.report(100, "indexed");
        p.end();
      });
    },
  };
}
