/**
 * Loads the files a protocol's `sources` name, safely (workspace.ts) and with a
 * cache keyed by path and file identity (size, mtime, inode), so analysing on
 * every keystroke costs a `stat` per source, and a file replaced on disk (written
 * to a temporary file and renamed over the old one) is read again.
 */
import { parseBibliography, formatOf, type BibEntry, type BibliographyFormat, type BibliographyResult } from "./bibliography";
import { LAZY_LIBRARY_BYTES, parseLibrary } from "./library-index";
import { extractDocument, type SourceMetadata } from "./source-index";
import { nodeFileSystem, resolveInWorkspace, type FileStat, type FileSystem } from "./workspace";

/** Files larger than this are not read (contract: bounded work on hostile input). */
const MAX_SOURCE_BYTES = 20 * 1024 * 1024;

/**
 * Bibliographies larger than this are not read. Reference managers export whole
 * libraries (5–50 MB); a large BibTeX library is indexed by its keys and each
 * entry parsed on first use (bibliography.ts), so it never blocks an edit.
 */
const MAX_BIBLIOGRAPHY_BYTES = 100 * 1024 * 1024;

/** `indexing`: a whole library is being indexed in the background; its keys are not known yet. */
type SourceStatus = "ok" | "missing" | "outside" | "unreadable" | "indexing";

/**
 * Indexes whole libraries off the editor's thread (the server's worker). `path`
 * has been checked to be inside the workspace; `done` gets what the file holds.
 */
export interface BackgroundIndexer {
  /** `size`: the file's bytes as the loader saw them (for progress by bytes read). */
  index(path: string, format: BibliographyFormat, done: (result: BibliographyResult) => void, size?: number): void;
}

export interface LoadedFile {
  status: SourceStatus;
  /** Absolute path (when inside the workspace). */
  path?: string;
  /** Why it is outside or unreadable. */
  reason?: string;
  /** Bibliography entries (bibliographies only). */
  entries?: BibEntry[];
  format?: BibliographyFormat;
  /** What the document itself says (source documents only). */
  meta?: SourceMetadata;
  /** Entries that could not be parsed while the others were: what to report. */
  partial?: string;
  /** The keys of those entries; undefined when one has no key that could be read (it may define any). */
  brokenKeys?: string[];
  /** The previous version's entries, served while the changed file is indexed again. */
  refreshing?: boolean;
}

interface CacheEntry {
  stamp: string;
  loaded: LoadedFile;
  /** Indexed in the background: its entries are served while a changed file is indexed again. */
  background?: boolean;
}

function stampOf(stat: FileStat): string {
  return `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
}

function megabytes(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export class SourceLoader {
  private readonly cache = new Map<string, CacheEntry>();
  /** Libraries being indexed in the background: the file identity asked for. */
  private readonly indexing = new Map<string, string>();
  /** A library's last entries, served while its changed file is re-indexed. */
  private readonly stale = new Map<string, LoadedFile>();

  /**
   * @param indexer indexes libraries over LAZY_LIBRARY_BYTES in the background (the server);
   *   without one they are indexed here, synchronously (review-lint).
   * @param indexed called when a background index is ready: revalidate what names `path`.
   */
  constructor(
    readonly fs: FileSystem = nodeFileSystem,
    private readonly indexer?: BackgroundIndexer,
    private readonly indexed?: (path: string) => void,
  ) {}

  /** Forget a file (the server calls this when the editor reports a change). */
  invalidate(path?: string): void {
    for (const [p, hit] of this.cache) if ((path === undefined || p === path) && hit.background && hit.loaded.status === "ok") this.stale.set(p, { ...hit.loaded, refreshing: true });
    if (path === undefined) this.cache.clear();
    else this.cache.delete(path);
  }

  /** A file the protocol names, inside the workspace, present and not a folder: its path and identity; else why not. */
  private locate(root: string, fromDir: string, written: string): { path: string; stat: FileStat } | LoadedFile {
    const r = resolveInWorkspace(root, fromDir, written, this.fs);
    if (r.kind === "outside") return { status: "outside", reason: r.reason };
    if (r.kind === "missing") return { status: "missing", path: r.path };
    const stat = this.statFollowing(r.path);
    if (!stat || stat.isDirectory) return { status: "unreadable", path: r.path, reason: "it is a folder, not a file" };
    return { path: r.path, stat };
  }

  /** A source document (`file:`): checked to be inside the workspace, present, and not too large. */
  document(root: string, fromDir: string, written: string): LoadedFile {
    const found = this.locate(root, fromDir, written);
    if ("status" in found) return found;
    const { path, stat } = found;
    if (stat.size > MAX_SOURCE_BYTES) return tooLarge(path, stat.size);
    return this.cached(path, stat, () => ({ status: "ok", path, meta: extractDocument(this.fs.readFile(path)) }));
  }

  /** The loaded file for this identity of the file, or a fresh load. */
  private cached(path: string, stat: FileStat, load: () => LoadedFile): LoadedFile {
    const stamp = stampOf(stat);
    const hit = this.cache.get(path);
    if (hit && hit.stamp === stamp) return hit.loaded;
    let loaded: LoadedFile;
    try {
      loaded = load();
    } catch (e) {
      loaded = { status: "unreadable", path, reason: (e as Error).message };
    }
    this.cache.set(path, { stamp, loaded });
    return loaded;
  }

  /** A bibliography (`bibliography:`): read and parsed, cached by file identity. */
  bibliography(root: string, fromDir: string, written: string): LoadedFile {
    const found = this.locate(root, fromDir, written);
    if ("status" in found) return found;
    const { path, stat } = found;
    if (stat.size > MAX_BIBLIOGRAPHY_BYTES) return tooLarge(path, stat.size, MAX_BIBLIOGRAPHY_BYTES, "; split it, keeping the references this review cites");
    const format = formatOf(path, "");
    if (this.indexer && format && stat.size > LAZY_LIBRARY_BYTES) return this.inBackground(path, stat, format);
    return this.cached(path, stat, () => {
      const text = this.fs.readFile(path);
      const format = formatOf(path, text);
      if (!format) return { status: "unreadable", path: path, reason: "not BibTeX (.bib), RIS (.ris) or CSL-JSON (.json)" };
      return loadedLibrary(path, format, text.length > LAZY_LIBRARY_BYTES ? parseLibrary(text, format) : parseBibliography(text, format));
    });
  }

  /**
   * A whole library, indexed in the background: the entries of this version of
   * the file when ready; until then the previous version's (while a changed file
   * is re-indexed), or `indexing`. Never blocks an edit.
   */
  private inBackground(path: string, stat: FileStat, format: BibliographyFormat): LoadedFile {
    const stamp = stampOf(stat);
    const hit = this.cache.get(path);
    if (hit?.stamp === stamp) return hit.loaded;
    if (this.indexing.get(path) !== stamp) {
      this.indexing.set(path, stamp);
      const real = this.fs.realpath(path) ?? path;
      this.indexer!.index(real, format, (result) => {
        if (this.indexing.get(path) !== stamp) return; // a newer version is being indexed
        this.indexing.delete(path);
        this.stale.delete(path);
        this.cache.set(path, { stamp, loaded: loadedLibrary(path, format, result), background: true });
        this.indexed?.(path);
      }, stat.size);
    }
    return this.stale.get(path) ?? { status: "indexing", path };
  }

  private statFollowing(path: string): FileStat | undefined {
    const real = this.fs.realpath(path);
    return real ? this.fs.lstat(real) : undefined;
  }
}

function loadedLibrary(path: string, format: BibliographyFormat, result: BibliographyResult): LoadedFile {
  if (result.error) return { status: "unreadable", path, reason: `${formatName(format)}: ${result.error}` };
  const partial = result.broken?.length
    ? `${result.broken.length === 1 ? "one entry" : `${result.broken.length} entries`} cannot be read (every other entry is): ${result.broken
        .slice(0, 5)
        .map((b) => `${b.key ? `'${b.key}'` : "an entry"} at line ${b.line} (${b.reason})`)
        .join("; ")}${result.broken.length > 5 ? "; …" : ""}`
    : undefined;
  const keys = result.broken?.map((b) => b.key);
  const brokenKeys = keys?.every((k): k is string => k !== undefined) ? keys : undefined;
  return { status: "ok", path, entries: result.entries, format, ...(partial ? { partial, brokenKeys } : {}) };
}

function formatName(format: string): string {
  return format === "bibtex" ? "BibTeX" : format === "ris" ? "RIS" : "CSL-JSON";
}

function tooLarge(path: string, size: number, limit = MAX_SOURCE_BYTES, advice = ""): LoadedFile {
  return { status: "unreadable", path, reason: `the file is ${megabytes(size)}, over the ${megabytes(limit)} limit, so it is not read${advice}` };
}
