/**
 * The protocol files a command line names: files as given, folders searched
 * (symbolic links not followed), and every path that could not be used, so that
 * a CI never passes on protocols it did not see (contract section 6).
 */
import * as nodePath from "node:path";
import { PROTOCOL_FILE } from "../../../../schemas/src/files";
import type { FileStat, FolderEntry, WorkspaceFileSystem } from "./file-system";

/** A path that could not be used, and why: the caller words it. */
export type PathProblem =
  | { kind: "unreadable"; path: string }
  | { kind: "unreadable-folder"; path: string }
  | { kind: "no-protocol"; path: string }
  | { kind: "not-a-protocol"; path: string };

export interface ProtocolFiles {
  files: string[];
  /** In the order met; empty when every path was usable. */
  problems: PathProblem[];
}

const SKIPPED_FOLDERS = new Set(["node_modules", ".git"]);

/**
 * Protocol files below a folder, in a stable order (sorted names, depth first),
 * and the folders that could not be read. A loop over a stack of folders: a
 * tree of any depth.
 */
function findProtocols(fs: WorkspaceFileSystem, top: string, out: string[], unreadable: string[]): void {
  const pending: { path: string; folder: boolean }[] = [{ path: top, folder: true }];
  while (pending.length) {
    const next = pending.pop()!;
    if (!next.folder) {
      out.push(next.path);
      continue;
    }
    let entries: FolderEntry[];
    try {
      entries = fs.readFolder(next.path);
    } catch {
      unreadable.push(next.path);
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    for (const d of entries) {
      const p = nodePath.join(next.path, d.name);
      if (d.isDirectory && !SKIPPED_FOLDERS.has(d.name)) pending.push({ path: p, folder: true });
      else if (d.isFile && PROTOCOL_FILE.test(d.name)) pending.push({ path: p, folder: false });
    }
  }
}

/** The protocol files the paths name, and the paths that could not be used. */
export function protocolFiles(fs: WorkspaceFileSystem, paths: readonly string[]): ProtocolFiles {
  const files: string[] = [];
  const problems: PathProblem[] = [];
  for (const p of paths) {
    let stat: FileStat;
    try {
      stat = fs.stat(p);
    } catch {
      problems.push({ kind: "unreadable", path: p });
      continue;
    }
    if (stat.isDirectory) {
      const folders: string[] = [];
      const before = files.length;
      findProtocols(fs, p, files, folders);
      for (const f of folders) problems.push({ kind: "unreadable-folder", path: f });
      // A mistyped folder must not pass CI.
      if (!folders.length && files.length === before) problems.push({ kind: "no-protocol", path: p });
    } else if (!PROTOCOL_FILE.test(p)) problems.push({ kind: "not-a-protocol", path: p });
    else files.push(p);
  }
  return { files, problems };
}
