/**
 * The server's side of the library worker: asks it to index a library and turns
 * its compact answer into entries that parse their own bytes when first used.
 */
import * as nodePath from "node:path";
import { Worker } from "node:worker_threads";
import { parseEntry, type BibEntry, type BibliographyFormat, type BibliographyResult } from "../core/sources/bibliography";
import { lazyEntry } from "../core/sources/library-index";
import type { BackgroundIndexer } from "../core/sources/loader";
import type { IndexProgress, IndexReply, IndexRequest } from "./library-worker";
import type { IndexingEvents } from "./progress";

export class LibraryIndexer implements BackgroundIndexer {
  private worker?: Worker;
  private next = 0;
  private readonly waiting = new Map<number, { format: BibliographyFormat; done: (result: BibliographyResult) => void; started: number; path: string }>();

  constructor(
    private readonly log: (message: string) => void,
    private readonly script = nodePath.join(__dirname, "library-worker.js"),
    /** Told when a library starts, how far it is read, and when it is done (work-done progress). */
    private readonly events?: IndexingEvents,
  ) {}

  index(path: string, format: BibliographyFormat, done: (result: BibliographyResult) => void, size = 0): void {
    const id = ++this.next;
    this.waiting.set(id, { format, done, started: performance.now(), path });
    this.events?.started(path, size);
    this.workerNow().postMessage({ id, path, format } satisfies IndexRequest);
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private workerNow(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script);
    worker.unref();
    worker.on("message", (message: IndexReply | IndexProgress) => {
      if ("read" in message) {
        const w = this.waiting.get(message.id);
        if (w) this.events?.read(w.path, message.read, message.bytes);
      } else this.answered(message);
    });
    // A crashed worker fails what it was doing (the files say why), and the next request starts a new one.
    const fail = (why: string) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, w] of this.waiting) this.answered({ id, error: `the indexer stopped (${why})` }, w);
    };
    worker.on("error", (e) => fail(e.message));
    worker.on("exit", (code) => fail(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  private answered(reply: IndexReply, w = this.waiting.get(reply.id)): void {
    if (!w) return;
    this.waiting.delete(reply.id);
    this.events?.finished(w.path);
    if (reply.error || reply.keys === undefined || !reply.bytes) {
      w.done({ format: w.format, entries: [], error: reply.error ?? "no entries" });
      return;
    }
    const entries = entriesOf(reply, w.format);
    this.log(`Indexed ${nodePath.basename(w.path)}: ${entries.length.toLocaleString("en")} entries in ${Math.round(performance.now() - w.started)} ms${reply.reindexed ? " (re-indexed where it changed)" : ""}`);
    w.done({ format: w.format, entries });
  }
}

/** Entries over the worker's answer: key and place now, fields parsed from their bytes on first use. */
function entriesOf(reply: IndexReply, format: BibliographyFormat): BibEntry[] {
  const bytes = Buffer.from(reply.bytes!.buffer, reply.bytes!.byteOffset, reply.bytes!.byteLength);
  const macros = reply.macros ?? "";
  return reply.keys!.split("\n").map((key, i) => {
    const offset = reply.offsets![i]!;
    return lazyEntry(key, reply.explicit![i] === 1, offset, () => parseEntry(format, bytes.toString("utf8", reply.byteStarts![i]!, reply.byteEnds![i]!), macros, offset, key));
  });
}
