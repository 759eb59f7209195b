/**
 * The workspace's file system on Node's `fs`: the only file above the core that
 * imports it (a tidy test holds this), used by the command line and the server.
 */
import * as nodeFs from "node:fs";
import { nodeFileSystem } from "../../core/sources/workspace";
import type { WorkspaceFileSystem } from "./file-system";

export const nodeWorkspaceFileSystem: WorkspaceFileSystem = {
  ...nodeFileSystem,
  stat(path) {
    const s = nodeFs.statSync(path);
    return { isFile: s.isFile(), isDirectory: s.isDirectory(), isSymbolicLink: false, size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
  },
  readBytes: (path) => nodeFs.readFileSync(path),
  readFolder: (path) => nodeFs.readdirSync(path, { withFileTypes: true }).map((d) => ({ name: d.name, isFile: d.isFile(), isDirectory: d.isDirectory() })),
  writeFile: (path, content) => nodeFs.writeFileSync(path, content),
  makeFolder: (path, recursive = false) => void nodeFs.mkdirSync(path, { recursive }),
  rename: (from, to) => nodeFs.renameSync(from, to),
  remove: (path) => nodeFs.rmSync(path, { force: true }),
};
