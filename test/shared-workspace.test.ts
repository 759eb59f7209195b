/**
 * The workspace the server and both command lines share (service/workspace):
 * every file it reads or writes goes through the file system it is given. Here
 * that is a file system in memory, which also fails the test on any path
 * outside the workspace root.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { DEFAULT_SETTINGS } from "../server/src/service/settings";
import type { FileStat, FolderEntry, WorkspaceFileSystem } from "../server/src/service/workspace/file-system";
import { Workspace } from "../server/src/service/workspace/workspace";

const ROOT = path.resolve("/memory/review");

/** Files by absolute path; folders are implied by the files below them and by `made`. */
function memoryFileSystem(files: Record<string, string>): WorkspaceFileSystem & { files: Map<string, string | Uint8Array>; touched: string[] } {
  const store = new Map<string, string | Uint8Array>(Object.entries(files).map(([p, t]) => [path.join(ROOT, p), t]));
  const made = new Set<string>([ROOT]);
  const touched: string[] = [];
  const inside = (p: string) => {
    touched.push(p);
    assert.ok(p === ROOT || p.startsWith(ROOT + path.sep), `touched outside the workspace: ${p}`);
  };
  const missing = (p: string) => Object.assign(new Error(`ENOENT: ${p}`), { code: "ENOENT" });
  const isFolder = (p: string) => made.has(p) || [...store.keys()].some((f) => f.startsWith(p + path.sep));
  const stat = (p: string): FileStat | undefined => {
    inside(p);
    const text = store.get(p);
    if (text !== undefined) return { isFile: true, isDirectory: false, isSymbolicLink: false, size: text.length, mtimeMs: 0, ino: 1 };
    return isFolder(p) ? { isFile: false, isDirectory: true, isSymbolicLink: false, size: 0, mtimeMs: 0, ino: 2 } : undefined;
  };
  return {
    files: store,
    touched,
    lstat: stat,
    readlink: () => undefined,
    realpath: (p) => (stat(p) ? p : undefined),
    readFile(p) {
      inside(p);
      const content = store.get(p);
      if (content === undefined) throw missing(p);
      return typeof content === "string" ? content : new TextDecoder().decode(content);
    },
    stat(p) {
      const s = stat(p);
      if (!s) throw missing(p);
      return s;
    },
    readBytes(p) {
      return new TextEncoder().encode(this.readFile(p));
    },
    readFolder(p): FolderEntry[] {
      inside(p);
      if (!isFolder(p)) throw missing(p);
      const below = [...store.keys(), ...made].filter((f) => f.startsWith(p + path.sep));
      const names = new Set(below.map((f) => path.relative(p, f).split(path.sep)[0]!));
      return [...names].map((name) => ({ name, isFile: store.has(path.join(p, name)), isDirectory: isFolder(path.join(p, name)) }));
    },
    writeFile(p, content) {
      inside(p);
      store.set(p, content);
    },
    makeFolder(p) {
      inside(p);
      made.add(p);
    },
    rename(from, to) {
      inside(from);
      inside(to);
      store.set(to, store.get(from)!);
      store.delete(from);
    },
    remove(p) {
      inside(p);
      store.delete(p);
    },
  };
}

const PROTOCOL = `title: Shared workspace
question:
  population: { description: adults }
outcomes:
  - id: pain
    name: Pain
    role: primary
    type: continuous
`;

describe("the shared workspace", () => {
  it("finds, reads and checks protocols through its file system only, under the settings file", () => {
    const fs = memoryFileSystem({
      "a.protocol.yaml": PROTOCOL,
      "deeper/b.protocol.yml": "title: [unclosed\n",
      "notes.md": "# not a protocol\n",
      "review-protocol.json": '{ "severity": { "prisma-p-missing": "off" } }',
    });
    const workspace = new Workspace(fs);
    const found = workspace.protocolFiles([ROOT]);
    assert.deepEqual(found, { files: [path.join(ROOT, "a.protocol.yaml"), path.join(ROOT, "deeper/b.protocol.yml")], problems: [] });
    const { settings } = workspace.settings(ROOT, DEFAULT_SETTINGS);
    assert.equal(settings.severity["prisma-p-missing"], "off");
    const a = workspace.checkFile(found.files[0]!, ROOT, settings)!;
    assert.ok(a.analysis, "analysed");
    assert.ok(!a.diagnostics.some((d) => d.code === "prisma-p-missing"), "the settings file's override applied");
    const b = workspace.checkFile(found.files[1]!, ROOT, settings)!;
    assert.deepEqual([...new Set(b.diagnostics.map((d) => d.code))], ["yaml-syntax"]);
    assert.equal(workspace.checkFile(path.join(ROOT, "gone.protocol.yaml"), ROOT, settings), undefined);
  });

  it("reports a malformed settings file once, on the file, and again only when its text changes", () => {
    const fs = memoryFileSystem({ "review-protocol.json": '{ "severity": 3 ' });
    const workspace = new Workspace(fs);
    const first = workspace.settings(ROOT, DEFAULT_SETTINGS);
    assert.equal(first.file.changed, true);
    const report = workspace.settingsReport(first.file)!;
    assert.equal(report.file, path.join(ROOT, "review-protocol.json"));
    assert.deepEqual(report.diagnostics.map((d) => d.code), ["schema-type"]);
    assert.deepEqual(first.settings, DEFAULT_SETTINGS, "the caller's settings stand");
    assert.equal(workspace.settings(ROOT, DEFAULT_SETTINGS).file.changed, false);
    fs.files.set(path.join(ROOT, "review-protocol.json"), '{ "prismaP": false }');
    const fixed = workspace.settings(ROOT, DEFAULT_SETTINGS);
    assert.equal(fixed.file.changed, true);
    assert.equal(workspace.settingsReport(fixed.file), undefined);
    assert.equal(fixed.settings.prismaP, false);
  });

  it("keeps an open document's analyzer: a second version is analysed with the edit", () => {
    const workspace = new Workspace(memoryFileSystem({}));
    const doc = { text: PROTOCOL, version: 1, path: path.join(ROOT, "open.protocol.yaml"), root: ROOT };
    const first = workspace.check("memory:open", doc, DEFAULT_SETTINGS);
    const text = PROTOCOL.replace("adults", "older adults");
    const start = PROTOCOL.indexOf("adults");
    const second = workspace.check("memory:open", { ...doc, text, version: 2, edit: { start, deleted: 0, inserted: "older ".length } }, DEFAULT_SETTINGS);
    assert.equal(workspace.documents.analysed("memory:open")?.version, 2);
    assert.deepEqual(second.diagnostics.map((d) => d.code), first.diagnostics.map((d) => d.code));
    workspace.documents.close("memory:open");
    assert.deepEqual(workspace.documents.keys(), []);
  });

  it("saves files all or none, and never over an existing one without force", () => {
    const fs = memoryFileSystem({ "out/x.protocol.yaml": "old" });
    const workspace = new Workspace(fs);
    const dir = path.join(ROOT, "out");
    const refused = workspace.saveImport(dir, "x", { protocol: "new", references: "[]" }, false);
    assert.deepEqual(refused, { kind: "exists", paths: [path.join(dir, "x.protocol.yaml")] });
    assert.equal(fs.files.get(path.join(dir, "x.protocol.yaml")), "old");
    assert.ok(!fs.files.has(path.join(dir, "x.references.json")), "nothing written");
    const written = workspace.saveImport(dir, "x", { protocol: "new", references: "[]" }, true);
    assert.deepEqual(written, { kind: "written", paths: [path.join(dir, "x.protocol.yaml"), path.join(dir, "x.references.json")] });
    assert.equal(fs.files.get(path.join(dir, "x.protocol.yaml")), "new");
    assert.deepEqual([...fs.files.keys()].filter((p) => p.endsWith(".tmp")), [], "no temporary file left");
  });

  it("writes a protocol's results and pictures at its path relative to the root", () => {
    const fs = memoryFileSystem({ "sub/a.protocol.yaml": PROTOCOL });
    const workspace = new Workspace(fs);
    const file = path.join(ROOT, "sub/a.protocol.yaml");
    const checked = workspace.checkFile(file, ROOT, DEFAULT_SETTINGS)!;
    const out = path.join(ROOT, "out");
    workspace.prepareOutputFolder(out);
    assert.equal(workspace.writeResults(out, ROOT, file, checked.analysis!), path.join(out, "sub/a.results.json"));
    workspace.writePlots(out, ROOT, file, checked.analysis!, false);
    assert.ok([...fs.files.keys()].some((p) => p.startsWith(path.join(out, "sub/a") + path.sep) && p.endsWith(".svg")), "pictures written");
  });
});
