/**
 * The citation keys a protocol's `sources` define: a document's key (with what
 * the document states, overridden by the entry's own fields), or every entry of
 * a bibliography, read through the loader (inside the workspace only). What
 * went wrong on the way is recorded in the order it was met, for the checks
 * (checks/sources.ts) to report. A library's definitions are built once per file
 * version and protocol (`DefinitionsCache`): an edit reuses them.
 */
import * as nodePath from "node:path";
import type { Section } from "../syntax/parse";
import { spanOf, type Span } from "../syntax/span";
import { scalarText, stringOf, valueOf, type TreeNode } from "../syntax/tree";
import type { BibEntry, BibliographyFormat } from "./bibliography";
import type { SourceLoader } from "./loader";
import { entryMetadata, extractDocument, withOverrides, type SourceMetadata, type SourceOverrides } from "./source-index";

/** Where the protocol is and what it may read. */
export interface SourceOptions {
  /** Absolute path of the protocol file: sources are relative to its folder. */
  path: string;
  /** The workspace root: nothing outside it is read. */
  root: string;
  loader: SourceLoader;
}

export interface SourceDefinition {
  key: string;
  kind: "file" | "bibliography";
  /** Absolute offsets of the `sources` value that defines the key. */
  start: number;
  end: number;
  /** Absolute path of the file, when it is inside the workspace. */
  path?: string;
  entry?: BibEntry;
  /** What the source states (from the file, with the entry's overrides). */
  meta: SourceMetadata;
}

/**
 * A bibliography of the protocol that cannot be read (refused, missing,
 * unreadable), or some of whose entries cannot: `keys` are those entries' keys,
 * undefined when it may define any key. Its error is on the source; a citation
 * it may define is not a second error (contract section 6).
 */
export interface UnreadBibliography {
  written: string;
  keys?: ReadonlySet<string>;
}

/** What went wrong reading `sources`, where (absolute offsets), in the order it was met. */
export type SourceProblem =
  | { kind: "outside" | "missing" | "unreadable"; written: string; span: Span; reason?: string }
  | { kind: "entries-unreadable"; written: string; span: Span; reason: string }
  /** A key an earlier entry (or an earlier bibliography) already defines. */
  | { kind: "defined-twice"; key: string; span: Span; earlier: "file" | "bibliography" }
  /** A key two entries of one bibliography have. */
  | { kind: "twice-in-file"; key: string; span: Span; written: string };

export interface SourcesRead {
  definitions: Map<string, SourceDefinition>;
  /** Absolute paths of the files and bibliographies named. */
  dependencies: string[];
  problems: SourceProblem[];
  /** A whole library is being indexed: its keys are not known yet. */
  indexing: boolean;
  /** Which keys are defined, in a few characters: suggestions for a wrong key are reused while it holds. */
  signature: string;
  unread: UnreadBibliography[];
}

/** Definitions of a loaded bibliography, by protocol and the path written. */
interface CachedDefinitions {
  /** Where the protocol names the bibliography (every definition reports there). */
  at: Span;
  defs: SourceDefinition[];
  duplicates: string[];
}

/** Bibliographies' definitions by the loaded file (its version): an edit reuses them, only moving where they report. */
export class DefinitionsCache {
  private readonly byFile = new WeakMap<object, Map<string, CachedDefinitions>>();
  private readonly identities = new WeakMap<object, number>();
  private nextIdentity = 0;

  /** The definitions of `loaded` as named at `written` in the protocol at `path`. */
  definitions(loaded: object, path: string, written: string, build: () => CachedDefinitions): CachedDefinitions {
    let perProtocol = this.byFile.get(loaded);
    if (!perProtocol) this.byFile.set(loaded, (perProtocol = new Map()));
    const key = `${path}\u0000${written}`;
    let cached = perProtocol.get(key);
    if (!cached) perProtocol.set(key, (cached = build()));
    return cached;
  }

  /** A number per cached object, for signatures. */
  identityOf(o: object): number {
    let id = this.identities.get(o);
    if (id === undefined) this.identities.set(o, (id = ++this.nextIdentity));
    return id;
  }
}

/** Reads the `sources` section: what each entry defines, and what went wrong. */
export function readSources(section: Section | undefined, options: SourceOptions, cache: DefinitionsCache): SourcesRead {
  const read: SourcesRead = { definitions: new Map(), dependencies: [], problems: [], indexing: false, signature: "", unread: [] };
  if (section?.value?.kind !== "seq") return read;
  const signature: string[] = [];
  const fromDir = nodePath.dirname(options.path);
  for (const item of section.value.items) readEntry(item, section.base, fromDir, options, cache, read, signature);
  for (const [key, def] of read.definitions) if (def.kind === "file") signature.push(`f${key}:${def.meta.year}:${def.meta.authors[0]}`);
  read.signature = signature.join("\u0000");
  return read;
}

function define(read: SourcesRead, def: SourceDefinition): void {
  const earlier = read.definitions.get(def.key);
  if (!earlier) read.definitions.set(def.key, def);
  else read.problems.push({ kind: "defined-twice", key: def.key, span: { start: def.start, end: def.end }, earlier: earlier.kind });
}

/** One `sources` entry: a document with its key, a bibliography, or a key with its fields alone. */
function readEntry(item: TreeNode, base: number, fromDir: string, options: SourceOptions, cache: DefinitionsCache, read: SourcesRead, signature: string[]): void {
  const fileNode = valueOf(item, "file");
  const target = fileNode ?? valueOf(item, "bibliography");
  const written = stringOf(target);
  const keyNode = valueOf(item, "key");
  const key = stringOf(keyNode);
  if (!target || written === undefined) {
    if (keyNode && key !== undefined) define(read, { key, kind: "file", ...spanOf(keyNode, base), meta: withOverrides(extractDocument(""), overridesOf(item)) });
    return;
  }
  const span = spanOf(target, base);
  const kind = fileNode ? "file" : "bibliography";
  const loaded = kind === "file" ? options.loader.document(options.root, fromDir, written) : options.loader.bibliography(options.root, fromDir, written);
  if (loaded.path) read.dependencies.push(loaded.path);
  // Until a library's (new) keys are known, no citation is called unresolved: a key just added would be.
  if (loaded.status === "indexing" || loaded.refreshing) read.indexing = true;
  if (loaded.status === "outside" || loaded.status === "missing" || loaded.status === "unreadable") read.problems.push({ kind: loaded.status, written, span, reason: loaded.reason });
  else if (loaded.partial) read.problems.push({ kind: "entries-unreadable", written, span, reason: loaded.partial });
  if (kind === "bibliography" && (loaded.status === "outside" || loaded.status === "missing" || loaded.status === "unreadable")) read.unread.push({ written });
  else if (kind === "bibliography" && loaded.partial) read.unread.push({ written, keys: loaded.brokenKeys && new Set(loaded.brokenKeys) });
  if (kind === "file") {
    const meta = withOverrides(loaded.meta ?? extractDocument(""), overridesOf(item));
    if (keyNode && key !== undefined) define(read, { key, kind, ...spanOf(keyNode, base), path: loaded.path, meta });
    return;
  }
  // A library's definitions are built once per file version and protocol: an edit reuses them, only
  // moving the span they report at (an edit above the sources section shifts it).
  const cached = cache.definitions(loaded, options.path, written, () => bibliographyDefinitions(loaded.entries ?? [], loaded.format ?? "bibtex", loaded.path, span));
  cached.at.start = span.start;
  cached.at.end = span.end;
  for (const duplicate of cached.duplicates) read.problems.push({ kind: "twice-in-file", key: duplicate, span, written });
  for (const def of cached.defs) define(read, def);
  signature.push(`b${cache.identityOf(cached)}`);
}

/** Every entry of a bibliography as a definition reporting at `at` (which moves with the protocol). */
function bibliographyDefinitions(entries: readonly BibEntry[], format: BibliographyFormat, path: string | undefined, span: Span): CachedDefinitions {
  const at = { start: span.start, end: span.end };
  const defs: SourceDefinition[] = [];
  const duplicates: string[] = [];
  const inFile = new Set<string>();
  for (const entry of entries) {
    if (inFile.has(entry.key)) {
      duplicates.push(entry.key);
      continue;
    }
    inFile.add(entry.key);
    // The metadata is read when first used: a library of 45,000 entries is indexed, not parsed.
    let meta: SourceMetadata | undefined;
    defs.push({
      key: entry.key,
      kind: "bibliography",
      get start() {
        return at.start;
      },
      get end() {
        return at.end;
      },
      path,
      entry,
      get meta() {
        return (meta ??= entryMetadata(entry, format));
      },
    });
  }
  return { at, defs, duplicates };
}

/** The overrides a `sources` entry writes (title, authors, year, …). */
function overridesOf(item: TreeNode): SourceOverrides {
  const text = (key: string) => scalarText(valueOf(item, key));
  const list = (key: string) => {
    const v = valueOf(item, key);
    return v?.kind === "seq" ? v.items.map(scalarText).filter((x): x is string => x !== undefined) : undefined;
  };
  return {
    title: text("title"),
    authors: list("authors"),
    year: text("year"),
    date: text("date"),
    journal: text("journal"),
    doi: text("doi"),
    pmid: text("pmid"),
    pmcid: text("pmcid"),
    registrations: list("registrations"),
    abstract: text("abstract"),
  };
}
