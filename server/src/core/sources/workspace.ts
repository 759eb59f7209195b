/**
 * Workspace safety: a source path is resolved against the protocol's folder and
 * refused when it leaves the workspace, lexically (`..`, absolute paths, URIs,
 * drive letters, network paths) or through a symbolic link anywhere on it, before
 * the file's existence is checked. Nothing outside the workspace is ever read.
 */
import * as nodeFs from "node:fs";
import * as nodePath from "node:path";

export interface FileStat {
  isFile: boolean;
  isDirectory: boolean;
  isSymbolicLink: boolean;
  size: number;
  mtimeMs: number;
  ino: number;
}

/** The file-system operations the core uses; tests and the server may supply their own. */
export interface FileSystem {
  lstat(path: string): FileStat | undefined;
  readlink(path: string): string | undefined;
  realpath(path: string): string | undefined;
  readFile(path: string): string;
}

function toStat(s: nodeFs.Stats): FileStat {
  return { isFile: s.isFile(), isDirectory: s.isDirectory(), isSymbolicLink: s.isSymbolicLink(), size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
}

export const nodeFileSystem: FileSystem = {
  lstat(path) {
    try {
      return toStat(nodeFs.lstatSync(path));
    } catch {
      return undefined;
    }
  },
  readlink(path) {
    try {
      return nodeFs.readlinkSync(path);
    } catch {
      return undefined;
    }
  },
  realpath(path) {
    try {
      return nodeFs.realpathSync.native(path);
    } catch {
      return undefined;
    }
  },
  readFile(path) {
    return nodeFs.readFileSync(path, "utf8");
  },
};

export type Resolution =
  | { kind: "ok"; path: string }
  | { kind: "missing"; path: string }
  | { kind: "outside"; reason: string };

export function isInside(path: string, root: string): boolean {
  const rel = nodePath.relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !nodePath.isAbsolute(rel));
}

const MAX_LINK_HOPS = 40;

/**
 * Resolves `relPath` (as written in a protocol in folder `fromDir`) inside the
 * workspace `root`.
 */
export function resolveInWorkspace(root: string, fromDir: string, relPath: string, fs: FileSystem = nodeFileSystem): Resolution {
  const written = relPath.trim();
  if (!written) return { kind: "outside", reason: "the path is empty" };
  if (/^(\\\\|\/\/)/.test(written)) return { kind: "outside", reason: "network paths are never followed" };
  if (/^[a-zA-Z]:[\\/]/.test(written)) return { kind: "outside", reason: "a Windows drive path is outside the workspace" };
  if (/^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(written)) return { kind: "outside", reason: "URIs are not workspace paths" };
  const rootAbs = nodePath.resolve(root);
  const rootReal = fs.realpath(rootAbs) ?? rootAbs;
  const inWorkspace = (p: string) => isInside(p, rootAbs) || isInside(p, rootReal);
  const abs = nodePath.resolve(fromDir, written.replace(/\\/g, "/"));
  if (!inWorkspace(abs)) return { kind: "outside", reason: "the path leads out of the workspace" };
  // Walk every component from the workspace root: a link anywhere on the path must stay inside.
  const base = isInside(abs, rootAbs) ? rootAbs : rootReal;
  let current = base;
  for (const segment of nodePath.relative(base, abs).split(nodePath.sep).filter(Boolean)) {
    current = nodePath.join(current, segment);
    const stat = fs.lstat(current);
    if (!stat) return { kind: "missing", path: abs };
    if (stat.isSymbolicLink) {
      const escape = linkEscapes(current, inWorkspace, fs);
      if (escape) return { kind: "outside", reason: escape };
    }
  }
  const real = fs.realpath(abs);
  if (!real) return { kind: "missing", path: abs };
  if (!inWorkspace(real)) return { kind: "outside", reason: "a symbolic link on the path leads out of the workspace" };
  return { kind: "ok", path: abs };
}

/** Follows a chain of links by their text (targets may be missing); a reason if one leaves. */
function linkEscapes(link: string, inWorkspace: (p: string) => boolean, fs: FileSystem): string | undefined {
  let current = link;
  for (let hop = 0; hop < MAX_LINK_HOPS; hop++) {
    const target = fs.readlink(current);
    if (target === undefined) return undefined;
    const next = nodePath.resolve(nodePath.dirname(current), target);
    if (!inWorkspace(next)) return `the symbolic link ${nodePath.basename(link)} leads out of the workspace`;
    const stat = fs.lstat(next);
    if (!stat?.isSymbolicLink) return undefined;
    current = next;
  }
  return "too many symbolic links";
}
