/** Workspace safety: nothing outside the workspace is read, whatever the path or its links. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resolveInWorkspace, type FileSystem, nodeFileSystem } from "../server/src/core/sources/workspace";
import { checkDiagnostics } from "./helpers/check";

describe("workspace: source paths", () => {
  let root: string;
  let outside: string;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "rp-ws-"));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), "rp-out-"));
    fs.writeFileSync(path.join(outside, "secret.md"), "# secret\n");
    fs.mkdirSync(path.join(root, "sources"));
    fs.writeFileSync(path.join(root, "sources", "ok.md"), "# ok\n");
    fs.symlinkSync(outside, path.join(root, "out-dir"));
    fs.symlinkSync(path.join(outside, "secret.md"), path.join(root, "sources", "out-file.md"));
    fs.symlinkSync(path.join(outside, "gone.md"), path.join(root, "sources", "dangling-out.md"));
    fs.symlinkSync("missing.md", path.join(root, "sources", "dangling-in.md"));
    fs.symlinkSync("ok.md", path.join(root, "sources", "in.md"));
    fs.symlinkSync("out-file.md", path.join(root, "sources", "chain.md"));
  });

  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  /** A file system that fails the test if anything outside the workspace is read. */
  function guarded(): FileSystem {
    return {
      ...nodeFileSystem,
      readFile(p) {
        assert.ok(!p.startsWith(outside), `read outside the workspace: ${p}`);
        return nodeFileSystem.readFile(p);
      },
    };
  }

  const cases: [string, string][] = [
    ["sources/ok.md", "ok"],
    ["./sources/../sources/ok.md", "ok"],
    ["sources/in.md", "ok"],
    ["sources/missing.md", "missing"],
    ["sources/dangling-in.md", "missing"],
    ["out-dir/secret.md", "outside"],
    ["sources/out-file.md", "outside"],
    ["sources/chain.md", "outside"],
    ["sources/dangling-out.md", "outside"],
    ["../x.md", "outside"],
    ["/etc/passwd", "outside"],
    ["file:///etc/passwd", "outside"],
    ["C:\\Windows\\win.ini", "outside"],
    ["\\\\server\\share\\x.md", "outside"],
    ["//server/share/x.md", "outside"],
    ["sources\\ok.md", "ok"],
  ];
  for (const [written, expected] of cases) {
    it(`${written} → ${expected}`, () => {
      assert.equal(resolveInWorkspace(root, root, written, guarded()).kind, expected);
    });
  }

  it("a source over 20 MB is not read, a bibliography with no entries is unreadable: source-unreadable says why", () => {
    const big = path.join(root, "sources", "huge.bib");
    fs.writeFileSync(big, "");
    fs.truncateSync(big, 21 * 1024 * 1024);
    checkDiagnostics(
      `protocol: 1
title: A protocol
type: intervention
question: {}
outcomes: [{ id: death, name: Death, role: primary }]
bias: { tool: rob1 }
sources:
  - bibliography: ⟨sources/huge.bib|source-unreadable⟩
  - key: k
    file: ⟨sources/huge.bib|source-unreadable⟩
`,
      { dir: root, root, messages: { "source-unreadable": /over the 20\.0 MB limit/ } },
    );
  });

  it("a protocol citing links out of the workspace gets source-outside-workspace, even for a missing target", () => {
    checkDiagnostics(
      `protocol: 1
title: A protocol
type: intervention
question: {}
outcomes: [{ id: death, name: Death, role: primary }]
bias: { tool: rob1 }
sources:
  - key: a
    file: ⟨out-dir/secret.md|source-outside-workspace⟩
  - key: b
    file: ⟨sources/dangling-out.md|source-outside-workspace⟩
  - bibliography: ⟨sources/chain.md|source-outside-workspace⟩
  - key: c
    file: sources/in.md
`,
      { dir: root, root },
    );
  });
});
