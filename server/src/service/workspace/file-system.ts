/**
 * The file operations the workspace performs, beyond what the core reads
 * (`FileSystem`: lstat, readlink, realpath, readFile): folders listed, bytes
 * read, outputs written. The command line and the server each hand the
 * workspace one implementation (`node-file-system.ts`); no other file of the
 * service, the server or the CLI touches the disk. Failures throw errors that
 * carry Node's `code` (ENOENT, EACCES…), which `reasonOf` words.
 */
import type { FileStat, FileSystem } from "../../core/sources/workspace";

export type { FileStat, FileSystem };

/** A folder's entry as listed: symbolic links are neither files nor folders (never followed). */
export interface FolderEntry {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
}

export interface WorkspaceFileSystem extends FileSystem {
  /** What a path leads to, following symbolic links; throws when nothing is there. */
  stat(path: string): FileStat;
  readBytes(path: string): Uint8Array;
  readFolder(path: string): FolderEntry[];
  writeFile(path: string, content: string | Uint8Array): void;
  /** Makes one folder (`recursive`: with its parents, quietly when it exists). */
  makeFolder(path: string, recursive?: boolean): void;
  rename(from: string, to: string): void;
  /** Removes a file; nothing when it is not there. */
  remove(path: string): void;
}

const REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is used up",
  ENOTDIR: "a part of the path is a file, not a folder",
  ENOENT: "it cannot be created there",
  ENAMETOOLONG: "the path is too long",
  ELOOP: "the path has a loop of symbolic links",
};

/** The error's code (ENOENT…), or "" when it has none. */
export function codeOf(e: unknown): string {
  return (e as { code?: string } | undefined)?.code ?? "";
}

/** Why writing at `at` failed, in words a user reads. */
export function reasonOf(e: unknown, at: string): string {
  return `${REASONS[codeOf(e)] ?? (e as Error).message} ('${at}')`;
}
