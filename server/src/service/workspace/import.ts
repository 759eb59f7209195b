/**
 * A RevMan review imported, as the command line and the editor both run it
 * (contract section 9): converted, every analysis recomputed from the written
 * protocol and compared with what RevMan stored (core/analyzer/import-check.ts),
 * and the files written with nothing half-done. The editor's client writes the
 * files itself (the server reads nothing outside the workspace); the command
 * line writes them here.
 */
import * as nodePath from "node:path";
import { protocolFile, referencesFile } from "../../../../schemas/src/files";
import type { ImportReply } from "../../../../schemas/src/replies";
import { runImport } from "../../core/analyzer/import-check";
import { ImportError } from "../../core/revman/import";
import { Rm5Error } from "../../core/revman/rm5";
import type { SourceLoader } from "../../core/sources/loader";
import type { WorkspaceFileSystem } from "./file-system";

/**
 * `name` is the output's base name; `dir` where it will be written (for the
 * self-check's paths). A file that is not a RevMan review is an error with its
 * line; anything else that fails is thrown.
 */
export function importReview(bytes: Uint8Array, name: string, dir: string, loader: SourceLoader): ImportReply {
  try {
    const { result, check, summary } = runImport(bytes, name, dir, loader);
    return { protocol: result.protocol, references: result.references, analyses: check.analyses, unstored: check.unstored, failures: check.failures, summary };
  } catch (e) {
    if (e instanceof Rm5Error || e instanceof ImportError) return { error: e.message, line: e.line };
    throw e;
  }
}

/** What became of the files: written, refused (they exist and `force` was not given: nothing touched), or not writable. */
export type SavedImport =
  | { kind: "written"; protocol: string; references?: string }
  | { kind: "exists"; paths: string[] }
  | { kind: "unwritable"; dir: string; message: string };

/** Writes an import's protocol (and references) into `dir`: every file to a temporary name first, then all renamed. */
export function saveImport(fs: WorkspaceFileSystem, dir: string, name: string, imported: { protocol: string; references?: string }, options: { force: boolean; pid: number }): SavedImport {
  const protocolPath = nodePath.join(dir, protocolFile(name));
  const referencesPath = nodePath.join(dir, referencesFile(name));
  const targets: [string, string][] = [[protocolPath, imported.protocol]];
  if (imported.references) targets.push([referencesPath, imported.references]);
  if (!options.force) {
    const existing = targets.filter(([p]) => exists(fs, p)).map(([p]) => p);
    if (existing.length) return { kind: "exists", paths: existing };
  }
  try {
    fs.makeFolder(dir, true);
    const temps = targets.map(([p, text]) => {
      const tmp = nodePath.join(dir, `.${nodePath.basename(p)}.${options.pid}.tmp`);
      fs.writeFile(tmp, text);
      return [tmp, p] as const;
    });
    for (const [tmp, p] of temps) fs.rename(tmp, p);
  } catch (e) {
    return { kind: "unwritable", dir, message: (e as Error).message };
  }
  return { kind: "written", protocol: protocolPath, ...(imported.references ? { references: referencesPath } : {}) };
}

function exists(fs: WorkspaceFileSystem, path: string): boolean {
  try {
    fs.stat(path);
    return true;
  } catch {
    return false;
  }
}
