/**
 * One error per cause (contract section 6): a source refused, missing or
 * unreadable is reported once, on the source; while a bibliography of the
 * protocol cannot be read, a citation no readable source defines is
 * `unresolved-citation` at information severity, saying where it may be
 * defined. The same in the core, the command line and the server.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { analyseText, checkDiagnostics } from "./helpers/check";
import { LspClient } from "./helpers/lsp";

const ROOT = path.resolve(__dirname, "../..");
const HEAD = "protocol: 1\ntitle: T - a systematic review protocol\ntype: intervention\nquestion: {}\noutcomes: [{ id: death, name: Death, role: primary }]\nbias: { tool: rob1 }\n";

describe("one error per cause: sources and the citations they would define", () => {
  let dir: string;
  let ws: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rp-once-"));
    ws = path.join(dir, "ws");
    fs.mkdirSync(ws);
    fs.writeFileSync(path.join(dir, "outside.bib"), "@article{smith2020, title={S}, year={2020}}\n@article{lee2021, title={L}, year={2021}}\n");
    fs.writeFileSync(path.join(ws, "good.bib"), "@article{good2019, title={G}, year={2019}}\n");
    fs.writeFileSync(path.join(ws, "partly.bib"), "@article{broken,\n  title = {An {unbalanced title},\n  year = {2020}\n}\n@article{fine2020, title={F}, year={2020}}\n");
    fs.writeFileSync(path.join(ws, "unparsable.json"), "[ { \"id\": \"a\", }\n");
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const severities = (text: string) =>
    analyseText(text.replace(/⟨([^|⟩]*)\|[^⟩]*⟩/g, "$1"), { dir: ws, root: ws })
      .diagnostics.filter((d) => d.code !== "prisma-p-missing" && d.code !== "outcome-not-reported")
      .map((d) => `${d.code}:${d.severity}`);

  it("a bibliography outside the workspace: its error once; the citations it would define are information", () => {
    const text = `${HEAD}rationale: As [@⟨smith2020|unresolved-citation⟩] and [@⟨lee2021|unresolved-citation⟩] found.
sources:
  - bibliography: ⟨../outside.bib|source-outside-workspace⟩
studies:
  - id: ⟨Smith 2020|missing-bias-domain⟩
    cite: ⟨smith2020|unresolved-citation⟩
    outcomes: { death: reported }
`;
    const ds = checkDiagnostics(text, { dir: ws, root: ws, messages: { "unresolved-citation": "it may be defined in '../outside.bib', which cannot be read (see the error on that source)" } });
    assert.deepEqual(severities(text).filter((x) => x.startsWith("source") || x.startsWith("unresolved")), [
      "unresolved-citation:information",
      "unresolved-citation:information",
      "source-outside-workspace:error",
      "unresolved-citation:information",
    ]);
    assert.ok(ds.filter((d) => d.code === "unresolved-citation").every((d) => !d.data?.fixes), "no fix changes a key that may be right");
  });

  it("a missing or unparsable bibliography: the same", () => {
    for (const [file, code] of [["nowhere.bib", "missing-source-file"], ["unparsable.json", "source-unreadable"]]) {
      const text = `${HEAD}rationale: See [@⟨smith2020|unresolved-citation⟩].\nsources:\n  - bibliography: ⟨${file}|${code}⟩\n`;
      checkDiagnostics(text, { dir: ws, root: ws });
      assert.deepEqual(severities(text), [`unresolved-citation:information`, `${code}:error`], file);
    }
  });

  it("a readable bibliography beside it still resolves its keys; a key neither defines is information while one cannot be read", () => {
    const text = `${HEAD}rationale: See [@good2019] and [@⟨nobody1999|unresolved-citation⟩].
sources:
  - bibliography: good.bib
  - bibliography: ⟨nowhere.bib|missing-source-file⟩
`;
    checkDiagnostics(text, { dir: ws, root: ws });
    assert.deepEqual(severities(text), ["unresolved-citation:information", "missing-source-file:error"]);
  });

  it("a bibliography with a broken entry: its key is information; a key no entry has stays an error", () => {
    const text = `${HEAD}rationale: See [@fine2020], [@⟨broken|unresolved-citation⟩] and [@⟨typo2020|unresolved-citation⟩].
sources:
  - bibliography: ⟨partly.bib|source-unreadable⟩
`;
    checkDiagnostics(text, { dir: ws, root: ws, messages: { "unresolved-citation": "it is the key of an entry of 'partly.bib' that cannot be read" } });
    assert.deepEqual(severities(text), ["unresolved-citation:information", "unresolved-citation:error", "source-unreadable:error"]);
  });

  it("a missing source document is reported once: its key is still defined, its citations resolve", () => {
    const text = `${HEAD}rationale: See [@lee2019].\nsources:\n  - key: lee2019\n    file: ⟨gone.md|missing-source-file⟩\nstudies:\n  - id: ⟨Lee 2019|missing-bias-domain⟩\n    cite: lee2019\n    outcomes: { death: reported }\n`;
    checkDiagnostics(text, { dir: ws, root: ws });
  });

  const protocol = `${HEAD}rationale: As [@smith2020] and [@lee2021] found.\nsources:\n  - bibliography: ../outside.bib\n`;

  it("review-lint without --root: one error on the bibliography, the citations as information, exit 1", () => {
    fs.writeFileSync(path.join(ws, "a.protocol.yaml"), protocol);
    const r = spawnSync(process.execPath, [path.join(ROOT, "dist/review-lint.js"), "a.protocol.yaml"], { cwd: ws, encoding: "utf8" });
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.split("\n").filter((l) => / (source-outside-workspace|unresolved-citation) /.test(l));
    const errors = lines.filter((l) => /^\S+:\d+:\d+: error /.test(l));
    assert.equal(errors.length, 1, r.stdout);
    assert.match(errors[0]!, /error source-outside-workspace '\.\.\/outside\.bib' is outside the workspace/);
    assert.equal(lines.filter((l) => /^\S+:\d+:\d+: information unresolved-citation /.test(l)).length, 2, r.stdout);
    assert.match(r.stdout, /1 protocol checked: 1 error,/);
  });

  it("the server: the same diagnostics", async () => {
    const client = new LspClient();
    await client.initialize(ws);
    const uri = pathToFileURL(path.join(ws, "b.protocol.yaml")).href;
    await client.open(uri, protocol);
    const published = await client.diagnostics(uri);
    const got = published.diagnostics.filter((d) => d.code === "source-outside-workspace" || d.code === "unresolved-citation").map((d) => `${d.code}:${d.severity}`);
    // LSP severities: 1 error, 3 information.
    assert.deepEqual(got.sort(), ["source-outside-workspace:1", "unresolved-citation:3", "unresolved-citation:3"]);
    await client.stop();
  });
});
