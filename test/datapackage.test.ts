/**
 * review-import of Cochrane data packages (contract section 10): the public
 * package of Fleiss 1993 imports as its .rm5 does, reproducing what RevMan Web
 * stored to the decimals it wrote; the outer ZIP, the data ZIP and an extracted
 * folder give the same protocol; unknown columns are named, missing study files
 * said; bad input is exit 2 with the file and line and nothing written.
 */
import * as assert from "node:assert/strict";
import * as cp from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { Zip, ZipPassThrough, zipSync } from "fflate";
import { parse } from "yaml";
import { PackageError } from "../server/src/core/datapackage/csv";
import { readZip } from "../server/src/core/datapackage/zip";
import { dataZip, edit, fileEnding, packageFiles, outerZip, written } from "./helpers/datapackage";
import { folderWith, removeFolders } from "./helpers/rm5";

const ROOT = path.resolve(__dirname, "../..");
const IMPORT = path.join(ROOT, "dist/review-import.js");
const LINT = path.join(ROOT, "dist/review-lint.js");
const PACKAGE = path.resolve(ROOT, "../shared/datapackage/Fleiss1993.zip");
const RM5 = path.resolve(ROOT, "../shared/rm5/Fleiss1993.rm5");
const fleissFiles = () => packageFiles(PACKAGE);

/** Skips a suite outside CI, with one line, when ../shared is not beside the project; fails under CI. */
function needShared(ctx: Mocha.Context): void {
  if (fs.existsSync(PACKAGE) && fs.existsSync(RM5)) return;
  if (process.env.CI === "true") assert.fail(`${PACKAGE} or ${RM5} is missing: ../shared must be beside the project under CI`);
  console.log("      skipped: no ../shared/datapackage or ../shared/rm5 beside the project (CI fails instead)");
  ctx.skip();
}

after(removeFolders);

interface Run {
  status: number;
  stdout: string;
  stderr: string;
  dir: string;
  /** The files the import wrote. */
  written: string[];
  protocol: string;
}

/** Imports `source` into a fresh folder. */
function importInto(source: string, ...args: string[]): Run {
  const dir = folderWith({});
  const r = cp.spawnSync(process.execPath, [IMPORT, source, "--out", dir, ...args], { encoding: "utf8" });
  const files = fs.readdirSync(dir);
  const protocol = files.find((f) => f.endsWith(".protocol.yaml"));
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, dir, written: files, protocol: protocol ? fs.readFileSync(path.join(dir, protocol), "utf8") : "" };
}

describe("review-import: Cochrane data packages", function () {
  this.timeout(60000);
  before(function () {
    needShared(this);
  });

  it("Fleiss1993.zip: 2 analyses, 1 reproducing, 1 with no stored results (RevMan Web wrote zeros); exit 0; lints with no error", () => {
    const r = importInto(PACKAGE);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^2 analyses; 1 reproduces the results stored in the file; 1 has no stored results$/m);
    const found = JSON.parse(cp.spawnSync(process.execPath, [LINT, "--root", r.dir, "--format", "json", path.join(r.dir, "Fleiss1993.protocol.yaml")], { encoding: "utf8" }).stdout) as { severity: string; code: string; message: string }[];
    assert.deepEqual(found.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`), []);
    assert.deepEqual(r.written.sort(), ["Fleiss1993.protocol.yaml", "Fleiss1993.references.json"]);
  });

  it("gives the same studies and analyses as Fleiss1993.rm5 (rows, measures, methods, models, subgroups)", () => {
    const fromPackage = parse(importInto(PACKAGE).protocol) as Record<string, unknown>;
    const fromRm5 = parse(importInto(RM5).protocol) as Record<string, unknown>;
    const studies = (doc: Record<string, unknown>) => (doc.studies as { id: string; cite: string; outcomes: unknown }[]).map((s) => ({ id: s.id, cite: s.cite, outcomes: s.outcomes })).sort((a, b) => a.id.localeCompare(b.id));
    assert.deepEqual(studies(fromPackage), studies(fromRm5));
    type Analysis = Record<string, unknown> & { data?: Record<string, unknown> };
    const analyses = (doc: Record<string, unknown>) =>
      (doc.analyses as Analysis[]).map((a) => ({ id: a.id, outcome: a.outcome, name: a.name, measure: a.measure, method: a.method, model: a.model, totals: a.totals, subgroups: a.subgroups, data: a.data }));
    assert.deepEqual(analyses(fromPackage), analyses(fromRm5));
    assert.equal((fromPackage.analyses as unknown[]).length, 2);
  });

  it("the outer ZIP, the data ZIP alone and an extracted folder give the same protocol", () => {
    const files = fleissFiles();
    const outer = importInto(written("Fleiss1993.zip", outerZip(files)));
    const data = importInto(written("Fleiss1993.zip", dataZip(files)));
    const folder = path.join(folderWith({}), "Fleiss1993");
    for (const [p, t] of files) {
      fs.mkdirSync(path.dirname(path.join(folder, p)), { recursive: true });
      fs.writeFileSync(path.join(folder, p), t);
    }
    const extracted = importInto(folder);
    for (const r of [outer, data, extracted]) assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(outer.protocol, data.protocol);
    assert.equal(extracted.protocol, outer.protocol);
  });

  it("self-check to the decimals written: 0.89687 (5 places) still matches 0.8968655…, 0.896867 does not (exit 1)", () => {
    const files = fleissFiles();
    const near = importInto(written("near.zip", dataZip(edit(files, "-overall-estimates-and-settings.csv", ",0.896866,", ",0.89687,"))));
    assert.equal(near.status, 0, near.stdout + near.stderr);
    assert.match(near.stdout, /2 analyses; 1 reproduces/);
    const off = importInto(written("off.zip", dataZip(edit(files, "-overall-estimates-and-settings.csv", ",0.896866,", ",0.896867,"))));
    assert.equal(off.status, 1, off.stdout + off.stderr);
    assert.match(off.stdout, /2 analyses; 0 reproduce the results stored in the file; 1 has no stored results/);
    assert.match(off.stdout, /does not reproduce: 001-01-aspirin-for-preventing-death-after \(Aspirin for Preventing Death after Myocardial Infarction\): pooled effect: got 0\.8968\d+ want 0\.896867/);
    const row = importInto(written("row.zip", dataZip(edit(files, "-data-rows.csv", "10.153491", "10.153481"))));
    assert.equal(row.status, 1);
    assert.match(row.stdout, /AMIS weight: got 10\.15349\d+ want 10\.153481/);
  });

  it("columns a later RevMan Web adds are ignored and named; missing study files are said, the analyses imported", () => {
    let files = edit(fleissFiles(), "-overall-estimates-and-settings.csv", /,ID\r?\n/, ",ID,Heterogeneity estimator,Prediction interval\n");
    files = edit(files, "-overall-estimates-and-settings.csv", /(analysis:\d+)(\r?\n)/g, "$1,REML,$2");
    files.delete(fileEnding(files, "-risk-of-bias.csv"));
    const r = importInto(written("later.zip", dataZip(files)));
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /columns this import does not know \(ignored\): 'Heterogeneity estimator' \(\d+-overall-estimates-and-settings\.csv\), 'Prediction interval' \(/);
    assert.match(r.stdout, /missing from the package \(imported what it has\): \d+-risk-of-bias\.csv/);
    assert.match(r.stdout, /2 analyses; 1 reproduces/);
  });
});

describe("review-import: bad data packages (exit 2, the file and line, nothing written)", function () {
  this.timeout(60000);
  before(function () {
    needShared(this);
  });

  const refused = (bytes: Uint8Array, stderr: RegExp, name = "bad.zip") => {
    const r = importInto(written(name, bytes));
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, stderr);
    assert.deepEqual(r.written, [], "nothing written");
  };

  it("a ZIP without the analysis files", () => {
    const files = fleissFiles();
    for (const p of [...files.keys()]) if (p.includes("-analysis-data/")) files.delete(p);
    refused(outerZip(files), /^review-import: bad\.zip: not a Cochrane data package with analyses: no <ID>-analysis-data\/<ID>-overall-estimates-and-settings\.csv and no <ID>-analysis-data\/<ID>-data-rows\.csv$/m);
    refused(zipSync({ "notes.txt": new Uint8Array([1]) }), /not a Cochrane data package with analyses/);
    refused(new TextEncoder().encode("not a zip at all"), /^review-import: bad\.zip: not a ZIP file/m);
  });

  it("a CSV with a missing column, or a non-number where a number belongs (the file and its line)", () => {
    const files = fleissFiles();
    refused(outerZip(edit(files, "-data-rows.csv", ",Experimental cases,", ",Experimental events,")), /bad\.zip:Review\/\d+-files\/\d+-data\.zip\/\d+-analysis-data\/\d+-data-rows\.csv:1: missing column 'Experimental cases'$/m);
    refused(dataZip(edit(files, "-data-rows.csv", ",0.0,0.0,0.0,0.0,44,758,", ",0.0,0.0,0.0,0.0,4x4,758,")), /bad\.zip:\d+-analysis-data\/\d+-data-rows\.csv:3: 'Experimental cases' is '4x4', not a number$/m);
    refused(dataZip(edit(files, "-overall-estimates-and-settings.csv", ",0.840514,", ",n/a,")), /-overall-estimates-and-settings\.csv:2: 'CI start' is 'n\/a', not a number$/m);
  });

  it("an entry whose path leaves the output folder (zip-slip)", () => {
    const files = fleissFiles();
    refused(zipSync({ ...Object.fromEntries([...files].map(([p, t]) => [p, new TextEncoder().encode(t)])), "../../evil.csv": new Uint8Array([1]) }), /entry '\.\.\/\.\.\/evil\.csv' would be written outside the folder the package is extracted to \(zip-slip\)/);
    refused(outerZip(files, "Review", { "/etc/evil.csv": new Uint8Array([1]) }), /entry '\/etc\/evil\.csv' would be written outside/);
  });

  it("a ZIP bomb: a 1 GB entry is stopped at 200 MB inflated, by the reader and the command", () => {
    const bytes = zipBomb(1024);
    assert.ok(bytes.length < 4 * 1024 * 1024, `${bytes.length} bytes`);
    assert.throws(() => readZip(bytes, "bomb.zip", () => true), (e: unknown) => e instanceof PackageError && /inflates past 200 MB \(a ZIP bomb\?\): stopped reading/.test(e.message));
    refused(bytes, /^review-import: bomb\.zip: entry '.*' inflates past 200 MB \(a ZIP bomb\?\): stopped reading$/m, "bomb.zip");
  });

  it("a diagnostic test accuracy package (-parameters.csv)", () => {
    const files = fleissFiles();
    const id = path.basename(fileEnding(files, "-data-rows.csv")).replace("-data-rows.csv", "");
    files.set(`${id}-analysis-data/${id}-parameters.csv`, "Parameter,Value\n");
    refused(outerZip(files), /-parameters\.csv: a diagnostic test accuracy review: diagnostic test accuracy reviews are not supported yet$/m);
  });
});

/**
 * A ZIP (fflate's Zip) of one entry of `mb` megabytes of one repeated byte,
 * never held whole: each megabyte is the same DEFLATE piece (compressed once by
 * zlib and sync-flushed, so the pieces chain; the last one ends the stream),
 * passed through as the entry's compressed data. Its header claims one byte per
 * piece (fflate counts what is pushed, here a byte): a bomb lies, and the reader
 * must count what it inflates. fflate's own deflater takes 20 s a gigabyte.
 */
function zipBomb(mb: number): Uint8Array {
  const block = new Uint8Array(1024 * 1024).fill(48);
  const piece = zlib.deflateRawSync(block, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  const last = zlib.deflateRawSync(block);
  class Deflated extends ZipPassThrough {
    constructor(name: string) {
      super(name);
      this.compression = 8;
    }
    protected override process(_chunk: Uint8Array, final: boolean): void {
      this.ondata(null, final ? last : piece, final);
    }
  }
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    parts.push(chunk);
  });
  const entry = new Deflated("review-files/x-data-rows.csv");
  zip.add(entry);
  for (let i = 0; i < mb; i++) entry.push(block.subarray(0, 1), i === mb - 1);
  zip.end();
  return Buffer.concat(parts);
}
