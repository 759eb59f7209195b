/** review-lint as a user runs it: the built command, its formats and exit codes (contract section 6). */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const CLI = path.join(ROOT, "dist/review-lint.js");

function lint(args: string[], cwd = ROOT): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonDiagnostic {
  file: string;
  code: string;
  severity: string;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

describe("review-lint", () => {
  it("lints the sample: the primary outcomes no study reports are warnings, and it exits 0", () => {
    const r = lint(["seeds/"]);
    assert.equal(r.status, 0, r.stderr);
    const warnings = r.stdout.split("\n").filter((l) => / warning outcome-not-reported /.test(l));
    assert.equal(warnings.length, 3, r.stdout);
    for (const id of ["maternal-morbidity", "maternal-adverse-effects", "infant-mortality"]) assert.ok(warnings.some((w) => w.includes(`'${id}'`)), id);
    assert.match(warnings[0]!, /^seeds\/mms-lactation\.protocol\.yaml:\d+:\d+: warning outcome-not-reported /);
    assert.match(r.stdout, /1 protocol checked: 0 errors, 5 warnings/);
  });

  it("--format json gives 0-based LSP ranges and the file as found", () => {
    const r = lint(["seeds", "--format", "json"]);
    const out = JSON.parse(r.stdout) as JsonDiagnostic[];
    const first = out.find((d) => d.code === "outcome-not-reported")!;
    assert.equal(first.file, path.join("seeds", "mms-lactation.protocol.yaml"));
    const line = fs.readFileSync(path.join(ROOT, first.file), "utf8").split("\n")[first.range.start.line]!;
    assert.equal(line.slice(first.range.start.character, first.range.end.character), "maternal-morbidity");
    assert.ok(["error", "warning", "information", "hint"].includes(first.severity));
  });

  it("--format sarif gives a SARIF 2.1.0 log with one result per diagnostic", () => {
    const json = JSON.parse(lint(["seeds", "--format", "json"]).stdout) as JsonDiagnostic[];
    const sarif = JSON.parse(lint(["seeds", "--format=sarif"]).stdout);
    assert.equal(sarif.version, "2.1.0");
    assert.equal(sarif.runs[0].tool.driver.name, "review-lint");
    assert.equal(sarif.runs[0].results.length, json.length);
    const region = sarif.runs[0].results[0].locations[0].physicalLocation.region;
    assert.equal(region.startLine, json[0]!.range.start.line + 1);
    assert.equal(region.startColumn, json[0]!.range.start.character + 1);
  });

  it("--no-info leaves out information diagnostics", () => {
    const out = JSON.parse(lint(["seeds", "--format", "json", "--no-info"]).stdout) as JsonDiagnostic[];
    assert.ok(out.length > 0);
    assert.ok(out.every((d) => d.severity === "error" || d.severity === "warning"));
  });

  describe("exit status and --root", () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "rp-cli-"));
      fs.mkdirSync(path.join(dir, "ws", "nested"), { recursive: true });
      fs.writeFileSync(path.join(dir, "outside.md"), "# outside\n");
      fs.writeFileSync(
        path.join(dir, "ws", "nested", "a.protocol.yml"),
        "protocol: 1\ntitle: A protocol\ntype: intervention\nquestion: {}\noutcomes: [{ id: death, name: Death, role: primary }]\nbias: { tool: rob1 }\nsources:\n  - key: x\n    file: ../../outside.md\n",
      );
      fs.writeFileSync(path.join(dir, "ws", "broken.protocol.yaml"), "protocol: [1\n");
      fs.writeFileSync(path.join(dir, "ws", "notes.yaml"), "not: a protocol\n");
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("exits 1 when there is an error (a YAML error included), finding *.protocol.y(a)ml in folders", () => {
      const r = lint(["--root", path.join(dir, "ws"), path.join(dir, "ws"), "--format", "json"]);
      assert.equal(r.status, 1);
      const out = JSON.parse(r.stdout) as JsonDiagnostic[];
      const files = [...new Set(out.map((d) => path.basename(d.file)))].sort();
      assert.deepEqual(files, ["a.protocol.yml", "broken.protocol.yaml"]);
      assert.ok(out.some((d) => d.code === "yaml-syntax"));
    });

    it("refuses sources outside --root; the same file inside a wider root is fine", () => {
      const narrow = JSON.parse(lint(["--root", path.join(dir, "ws"), path.join(dir, "ws", "nested"), "--format", "json"]).stdout) as JsonDiagnostic[];
      assert.ok(narrow.some((d) => d.code === "source-outside-workspace"));
      const wide = lint(["--root", dir, path.join(dir, "ws", "nested"), "--format", "json"]);
      assert.equal(wide.status, 0, wide.stdout);
      assert.ok(!(JSON.parse(wide.stdout) as JsonDiagnostic[]).some((d) => d.code === "source-outside-workspace"));
    });

    it("exits 2 on bad usage or a path that cannot be read", () => {
      assert.equal(lint(["--format", "xml", "seeds"]).status, 2);
      assert.equal(lint(["--frobnicate"]).status, 2);
      const r = lint(["no/such/file.protocol.yaml"]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /cannot read 'no\/such\/file.protocol.yaml'/);
      assert.equal(lint(["--help"]).status, 0);
    });
  });
});

describe("review-lint: never passes on what it did not check", () => {
  let dir: string;
  const PROTOCOL = "protocol: 1\ntitle: A - a systematic review protocol\ntype: intervention\nquestion: {}\noutcomes: [{ id: death, name: Death, role: primary }]\nbias: { tool: rob1 }\n";
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rp-exit-"));
    fs.chmodSync(dir, 0o755);
    fs.mkdirSync(path.join(dir, "ok"));
    fs.mkdirSync(path.join(dir, "locked"));
    fs.writeFileSync(path.join(dir, "ok", "a.protocol.yaml"), PROTOCOL);
    fs.writeFileSync(path.join(dir, "locked", "b.protocol.yaml"), PROTOCOL);
    fs.writeFileSync(path.join(dir, "notes.yaml"), "a: 1\n");
    fs.chmodSync(path.join(dir, "locked"), 0o000);
  });
  after(() => fs.chmodSync(path.join(dir, "locked"), 0o755));

  // Root reads every folder: the command runs as an unprivileged user (nobody) when the tests run as root.
  const asUser = (args: string[]) => {
    const uid = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    return spawnSync(process.execPath, [path.join(ROOT, "dist/review-lint.js"), ...args], { encoding: "utf8", cwd: dir, ...uid });
  };

  it("a folder below the given path that cannot be read: exit 2, named on stderr", () => {
    const r = asUser(["--root", dir, dir]);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /cannot read folder '.*locked'/);
  });

  it("a file given by name that is not a protocol: exit 2", () => {
    const r = asUser(["--root", dir, path.join(dir, "notes.yaml")]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /is not a protocol/);
  });

  it("the readable protocols alone: exit 0", () => {
    assert.equal(asUser(["--root", dir, path.join(dir, "ok")]).status, 0);
  });
});

describe("review-lint --format sarif: code scanning", () => {
  it("validates against the SARIF 2.1.0 schema; URIs relative to %SRCROOT%; every rule described with a help link", async () => {
    // The schema is draft-04 (ajv-draft-04); one of its patterns needs non-unicode regular expressions.
    const Ajv = (await import("ajv-draft-04")).default as unknown as new (o: object) => { validate(s: object, d: unknown): boolean; errors?: unknown[] | null };
    // Vendored: where it comes from and its licence in test/fixtures/sarif/README.md.
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "test/fixtures/sarif/sarif-2.1.0-rtm.5.json"), "utf8"));
    const out = spawnSync(process.execPath, [path.join(ROOT, "dist/review-lint.js"), "--root", ROOT, "--format", "sarif", "seeds"], { cwd: ROOT, encoding: "utf8" });
    const sarif = JSON.parse(out.stdout);
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
    const valid = ajv.validate(schema, sarif);
    assert.ok(valid, JSON.stringify(ajv.errors?.slice(0, 5)));
    const run = sarif.runs[0];
    assert.equal(run.originalUriBaseIds["%SRCROOT%"].uri, `file://${ROOT}/`);
    assert.deepEqual(run.results[0].locations[0].physicalLocation.artifactLocation, { uri: "seeds/mms-lactation.protocol.yaml", uriBaseId: "%SRCROOT%" });
    const format = fs.readFileSync(path.join(ROOT, "docs/format.md"), "utf8");
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.shortDescription.text && rule.fullDescription.text, rule.id);
      const anchor = rule.helpUri.split("#")[1];
      assert.ok(format.includes(`<a id="${anchor}"></a>`), `docs/format.md has no anchor for ${rule.id}`);
    }
  });
});

describe("review-lint: exit codes CI can trust (contract section 6)", () => {
  let dir: string;
  const PROTOCOL = "protocol: 1\ntitle: A - a systematic review protocol\ntype: intervention\nquestion: {}\noutcomes: [{ id: death, name: Death, role: primary }]\nbias: { tool: rob1 }\n";
  // The default protocol of this suite, with a study, so that outcome-not-reported (a warning) is reported.
  const WITH_STUDY = `${PROTOCOL}studies:\n  - id: A 2020\n    outcomes: { death: not-reported }\n`;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rp-trust-"));
    fs.chmodSync(dir, 0o755);
    for (const d of ["empty", "ok", "bin", "settings"]) fs.mkdirSync(path.join(dir, d));
    fs.writeFileSync(path.join(dir, "empty", "notes.yaml"), "a: 1\n");
    fs.writeFileSync(path.join(dir, "ok", "a.protocol.yaml"), WITH_STUDY);
    // A PNG's header and a few bytes of noise: NUL bytes in the first 8 KB.
    fs.writeFileSync(path.join(dir, "bin", "image.protocol.yaml"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x3a, 0x20, 0x5b]));
    fs.writeFileSync(path.join(dir, "settings", "a.protocol.yaml"), WITH_STUDY);
    fs.writeFileSync(path.join(dir, "settings", "review-protocol.json"), '{ "severity": { "outcome-not-reported": "off" } }\n');
    fs.writeFileSync(path.join(dir, "a-file"), "not a folder\n");
    fs.mkdirSync(path.join(dir, "locked"));
    fs.chmodSync(path.join(dir, "locked"), 0o555);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("a folder with no protocol: exit 2, 'no protocol under DIR', also among other paths and as the default folder", () => {
    const alone = lint(["--root", dir, path.join(dir, "empty")]);
    assert.equal(alone.status, 2, alone.stdout + alone.stderr);
    assert.match(alone.stderr, new RegExp(`no protocol under ${path.join(dir, "empty").replace(/[/.]/g, "\\$&")}`));
    const among = lint(["--root", dir, path.join(dir, "ok"), path.join(dir, "empty")]);
    assert.equal(among.status, 2);
    assert.match(among.stderr, /no protocol under .*empty/);
    assert.match(among.stdout, /1 protocol checked/, "the other paths are still checked and reported");
    const here = lint([], path.join(dir, "empty"));
    assert.equal(here.status, 2);
    assert.match(here.stderr, /no protocol under \./);
  });

  it("a file that is not text (a NUL byte in its first 8 KB): one yaml-syntax error 'not a text file', exit 1", () => {
    const r = lint(["--root", dir, "--format", "json", path.join(dir, "bin")]);
    assert.equal(r.status, 1, r.stderr);
    const out = JSON.parse(r.stdout) as JsonDiagnostic[];
    assert.equal(out.length, 1, r.stdout);
    assert.equal(out[0]!.code, "yaml-syntax");
    assert.match(out[0]!.message, /not a text file/);
  });

  it("--plots or --results into a folder that cannot be made or written: exit 2 before checking, with the reason", () => {
    // Node's own recursive mkdir never returns on /proc/x: this must, quickly.
    const proc = spawnSync(process.execPath, [CLI, "--plots", "/proc/x", "seeds"], { cwd: ROOT, encoding: "utf8", timeout: 20000 });
    assert.equal(proc.signal, null, "review-lint --plots /proc/x did not return");
    assert.equal(proc.status, 2);
    assert.match(proc.stderr, /cannot write plots to '\/proc\/x': it cannot be created there/);
    assert.equal(proc.stdout, "", "nothing is checked");
    const underFile = lint(["--results", path.join(dir, "a-file", "out"), "seeds"]);
    assert.equal(underFile.status, 2);
    assert.match(underFile.stderr, /cannot write results to '.*a-file\/out': '.*a-file' is a file, not a folder/);
    assert.equal(underFile.stdout, "");
    // As an unprivileged user (root writes anywhere): a folder without write permission.
    const uid = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const locked = spawnSync(process.execPath, [CLI, "--root", dir, "--plots", path.join(dir, "locked", "plots"), path.join(dir, "ok")], { encoding: "utf8", cwd: dir, ...uid });
    assert.equal(locked.status, 2, locked.stdout + locked.stderr);
    assert.match(locked.stderr, /cannot write plots to '.*locked\/plots': permission denied/);
  });

  it("--severity CODE=LEVEL overrides review-protocol.json for the run; repeatable; off leaves a code out", () => {
    const codes = (r: { stdout: string }) => (JSON.parse(r.stdout) as JsonDiagnostic[]).map((d) => `${d.code}:${d.severity}`);
    const folder = path.join(dir, "settings");
    assert.ok(!codes(lint(["--root", folder, "--format", "json", folder])).some((c) => c.startsWith("outcome-not-reported")), "the settings file turns it off");
    const raised = lint(["--root", folder, "--format", "json", "--severity", "outcome-not-reported=error", "--severity=prisma-p-missing=off", folder]);
    assert.equal(raised.status, 1, "an error now");
    assert.ok(codes(raised).includes("outcome-not-reported:error"), raised.stdout);
    assert.ok(!codes(raised).some((c) => c.startsWith("prisma-p-missing")));
  });

  it("--severity with an unknown code or level, or without '=': exit 2 with the valid ones", () => {
    const code = lint(["--severity", "no-such-code=off", "seeds"]);
    assert.equal(code.status, 2);
    assert.match(code.stderr, /unknown code 'no-such-code' in --severity; the codes are: yaml-syntax, schema-required, .*flow-included-mismatch/);
    const level = lint(["--severity", "missing-bias-support=quiet", "seeds"]);
    assert.equal(level.status, 2);
    assert.match(level.stderr, /unknown level 'quiet' in --severity; the levels are: error, warning, information, hint, off/);
    assert.equal(lint(["--severity", "missing-bias-support", "seeds"]).status, 2);
    assert.equal(lint(["--severity"]).status, 2);
  });
});
