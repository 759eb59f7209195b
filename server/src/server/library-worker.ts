/**
 * The worker thread that indexes whole reference libraries (a 50 MB BibTeX, RIS
 * or CSL-JSON export) so the language server's thread never waits on one. It
 * keeps each library's last text and index: a changed file is re-indexed only
 * where it changed. Its answer is compact: keys joined in one string, places in
 * typed arrays, and the file's bytes (transferred, not copied) from which the
 * server parses an entry when it is first used.
 */
import * as fs from "node:fs";
import { parentPort } from "node:worker_threads";
import type { BibliographyFormat } from "../core/sources/bibliography";
import { derivedKeys } from "../core/sources/bibliography";
import { indexLibrary, reindexLibrary, type LibraryIndex } from "../core/sources/library-index";

export interface IndexRequest {
  id: number;
  path: string;
  format: BibliographyFormat;
}

/** Sent while a library is read: `read` of `bytes` so far (the indexer's progress). */
export interface IndexProgress {
  id: number;
  read: number;
  bytes: number;
}

export interface IndexReply {
  id: number;
  error?: string;
  /** Keys joined by "\n" (a key has no line break). */
  keys?: string;
  explicit?: Uint8Array;
  /** Each entry's offset in the file's text (UTF-16), for definitions. */
  offsets?: Float64Array;
  /** Each entry's [start, end) in `bytes`. */
  byteStarts?: Float64Array;
  byteEnds?: Float64Array;
  macros?: string;
  bytes?: Uint8Array;
  reindexed?: boolean;
}

const last = new Map<string, { text: string; index: LibraryIndex }>();

/** Bytes read between two progress messages. */
const CHUNK = 1024 * 1024;

/** The file's bytes, read a chunk at a time, saying how far it got after each. */
function readWithProgress(path: string, read: (done: number, bytes: number) => void): Buffer {
  const fd = fs.openSync(path, "r");
  try {
    const size = fs.fstatSync(fd).size;
    // Its own ArrayBuffer (not the pool's), so that it can be transferred.
    const bytes = Buffer.allocUnsafeSlow(size);
    let at = 0;
    for (let n = -1; at < size && n !== 0; at += n) {
      n = fs.readSync(fd, bytes, at, Math.min(CHUNK, size - at), at);
      read(at + n, size);
    }
    // A file that grew while it was read: the rest too (a shrunk one ends where it ended).
    const rest: Buffer[] = [];
    for (let chunk = Buffer.allocUnsafe(CHUNK), n = fs.readSync(fd, chunk, 0, CHUNK, at); n > 0; chunk = Buffer.allocUnsafe(CHUNK), n = fs.readSync(fd, chunk, 0, CHUNK, at)) {
      rest.push(chunk.subarray(0, n));
      at += n;
    }
    return rest.length ? Buffer.concat([bytes, ...rest]) : bytes.subarray(0, at);
  } finally {
    fs.closeSync(fd);
  }
}

function answer(request: IndexRequest): { reply: IndexReply; transfer: ArrayBuffer[] } {
  const bytes = readWithProgress(request.path, (read, size) => parentPort?.postMessage({ id: request.id, read, bytes: size } satisfies IndexProgress));
  const text = bytes.toString("utf8");
  const previous = last.get(request.path);
  const index = previous && previous.index.format === request.format ? reindexLibrary(previous.index, previous.text, text) : indexLibrary(text, request.format);
  last.set(request.path, { text, index });
  if (index.error) return { reply: { id: request.id, error: index.error }, transfer: [] };
  const n = index.entries.length;
  const offsets = new Float64Array(n);
  const byteStarts = new Float64Array(n);
  const byteEnds = new Float64Array(n);
  // Character offsets to byte offsets, walking the text once.
  let char = 0;
  let byte = 0;
  const toByte = (at: number) => {
    byte += Buffer.byteLength(text.slice(char, at));
    char = at;
    return byte;
  };
  // Starts and ends only grow (entries do not overlap): one walk.
  index.entries.forEach((e, i) => {
    offsets[i] = e.start;
    byteStarts[i] = toByte(e.start);
    byteEnds[i] = toByte(e.end);
  });
  const explicit = Uint8Array.from(index.entries, (e) => (e.key ? 1 : 0));
  // A large file owns its ArrayBuffer: transferred as it is; a pooled small one is copied.
  const copy = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? new Uint8Array(bytes.buffer) : new Uint8Array(bytes);
  return {
    reply: { id: request.id, keys: derivedKeys(index.entries).join("\n"), explicit, offsets, byteStarts, byteEnds, macros: index.macros, bytes: copy, reindexed: Boolean(previous) },
    transfer: [copy.buffer as ArrayBuffer, offsets.buffer as ArrayBuffer, byteStarts.buffer as ArrayBuffer, byteEnds.buffer as ArrayBuffer, explicit.buffer as ArrayBuffer],
  };
}

parentPort?.on("message", (request: IndexRequest) => {
  try {
    const { reply, transfer } = answer(request);
    parentPort!.postMessage(reply, transfer);
  } catch (e) {
    parentPort!.postMessage({ id: request.id, error: (e as Error).message } satisfies IndexReply);
  }
});
