/**
 * Files a command writes (an import's protocol and references, an export):
 * all or none, never over an existing file without --force (contract sections 9 and 10).
 */
import * as nodePath from "node:path";
import type { WorkspaceFileSystem } from "./file-system";

/** What became of the files: written, refused (they exist and `force` was not given: nothing touched), or not writable. */
export type SavedFiles =
  | { kind: "written"; paths: string[] }
  | { kind: "exists"; paths: string[] }
  | { kind: "unwritable"; dir: string; message: string };

/**
 * Writes files into `dir` with nothing half-done: every file to a temporary
 * name first, then all renamed; never over an existing file without `force`.
 */
export function saveFiles(fs: WorkspaceFileSystem, dir: string, files: readonly { name: string; content: string | Uint8Array }[], options: { force: boolean; pid: number }): SavedFiles {
  const targets = files.map((f) => ({ path: nodePath.join(dir, f.name), content: f.content }));
  if (!options.force) {
    const existing = targets.filter((t) => exists(fs, t.path)).map((t) => t.path);
    if (existing.length) return { kind: "exists", paths: existing };
  }
  try {
    fs.makeFolder(dir, true);
    const temps = targets.map((t) => {
      const tmp = nodePath.join(dir, `.${nodePath.basename(t.path)}.${options.pid}.tmp`);
      fs.writeFile(tmp, t.content);
      return [tmp, t.path] as const;
    });
    for (const [tmp, p] of temps) fs.rename(tmp, p);
  } catch (e) {
    return { kind: "unwritable", dir, message: (e as Error).message };
  }
  return { kind: "written", paths: targets.map((t) => t.path) };
}

function exists(fs: WorkspaceFileSystem, path: string): boolean {
  try {
    fs.stat(path);
    return true;
  } catch {
    return false;
  }
}
