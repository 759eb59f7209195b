/**
 * The pieces of the data-package reader that every complaint and every
 * comparison rests on: CSV records with the line each starts on (quoted commas,
 * quotes and line breaks, CRLF, a BOM), numbers or an error at their line, the
 * decimal places a number was written with, and ZIP entry paths that leave the
 * folder (both slashes, drives) refused.
 */
import * as assert from "node:assert/strict";
import { strToU8, zipSync } from "fflate";
import { decimalPlaces, numberAt, PackageError, readCsv, requireColumns } from "../server/src/core/datapackage/csv";
import { readZip } from "../server/src/core/datapackage/zip";

describe("data packages: CSV, numbers, ZIP paths", () => {
  it("reads quoted commas, doubled quotes and line breaks, CRLF and a BOM, each record with its first line", () => {
    const t = readCsv('\uFEFFStudy,Footnotes,Mean\r\nA,"x, y",1.5\r\nB,"say ""no""\r\nthen stop",2\r\nC,,3\r\n', "f.csv");
    assert.deepEqual(t.columns, ["Study", "Footnotes", "Mean"]);
    assert.deepEqual(t.records.map((r) => [r.line, r.get("Study"), r.get("Footnotes"), r.get("Mean")]), [
      [2, "A", "x, y", "1.5"],
      [3, "B", 'say "no"\r\nthen stop', "2"],
      [5, "C", "", "3"],
    ]);
    assert.equal(t.records[0]!.get("Not a column"), "");
  });

  it("an unclosed quote, a missing column and a non-number are errors with the file and line", () => {
    assert.throws(() => readCsv('a,b\n1,"open\n2,3\n', "f.csv"), (e: unknown) => e instanceof PackageError && e.file === "f.csv" && e.line === 2 && /not closed/.test(e.message));
    const t = readCsv("Study,Mean\nA,1e-3\nB,1,5\nC,abc\nD,#N/A\n", "g.csv");
    assert.throws(() => requireColumns(t, ["Study", "Weight"]), (e: unknown) => e instanceof PackageError && e.line === 1 && e.message === "missing column 'Weight'");
    assert.equal(numberAt(t, t.records[0]!, "Mean"), 0.001);
    assert.equal(numberAt(t, t.records[3]!, "Mean"), undefined);
    assert.throws(() => numberAt(t, t.records[2]!, "Mean"), (e: unknown) => e instanceof PackageError && e.line === 4 && e.message === "'Mean' is 'abc', not a number");
  });

  it("decimal places as written: 0.896866 → 6, 12 → 0, 39.67458 → 5, 1.2E-5 → 6, 2.5e3 → 0", () => {
    assert.deepEqual(["0.896866", "12", "39.67458", "1.2E-5", "2.5e3", "-0.5"].map(decimalPlaces), [6, 0, 5, 6, 0, 1]);
  });

  it("refuses entries that leave the folder: ../, ..\\, an absolute path, a drive", () => {
    for (const name of ["../x.csv", "a/../../x.csv", "..\\x.csv", "/etc/x.csv", "C:/x.csv"]) {
      assert.throws(() => readZip(zipSync({ [name]: strToU8("a") }), "p.zip", () => true), (e: unknown) => e instanceof PackageError && /zip-slip/.test(e.message), name);
    }
    assert.equal(readZip(zipSync({ "a/b.csv": strToU8("x") }), "p.zip", () => true).size, 1);
  });
});
