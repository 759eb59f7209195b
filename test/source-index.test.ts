/** The source index reads what each seed document states (issue 3). */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { extractDocument, withOverrides } from "../server/src/core/sources/source-index";
import { parseBibliography } from "../server/src/core/sources/bibliography";
import { FIXTURES } from "./helpers/check";

const SEEDS = path.resolve(__dirname, "../../seeds");
const seed = (name: string) => {
  const text = fs.readFileSync(path.join(SEEDS, name), "utf8");
  return { text, meta: extractDocument(text) };
};

describe("source index: the seed documents", () => {
  it("000: a plain-language summary, its first line the title", () => {
    const { meta } = seed("000_4a223163d57c0367.txt");
    assert.equal(meta.format, "text");
    assert.equal(meta.title, "Multiple micronutrient supplementation for breastfeeding women for improving outcomes for the mother and her baby");
    assert.match(meta.abstract!, /^The benefits and risks of multiple‐micronutrient supplementation during lactation are not clear/);
    assert.deepEqual([meta.doi, meta.date, meta.registrations.length], [undefined, undefined, 0]);
  });

  it("001: an abstract that starts with a section word has no title of its own", () => {
    const { meta } = seed("001_aba66717dfb731f1.txt");
    assert.equal(meta.title, undefined);
    assert.match(meta.abstract!, /^Globally, more than two billion people/);
    assert.equal(meta.date, undefined, "the search date (30 September 2015) is not the publication date");
    assert.equal(meta.journal, "Cochrane Pregnancy and Childbirth Group");
  });

  it("002: a project page: title, year and organisations", () => {
    const { meta } = seed("002_ea1284522a2619ba.txt");
    assert.equal(meta.title, "Micronutrient needs of breastfeeding mothers");
    assert.equal(meta.year, "2024");
    assert.deepEqual(meta.organisations, ["Family Larsson-Rosenquist Foundation (FLRF)", "Healthy Mothers Healthy Babies Consortium"]);
    assert.equal(meta.journal, "Family Larsson-Rosenquist Foundation (FLRF)");
    assert.match(meta.abstract!, /^While previous studies have investigated/);
  });

  it("003: Markdown in a .txt file: title, 15 authors, DOI, journal, date, registrations, key findings", () => {
    const { text, meta } = seed("003_762e078f2203bac8.txt");
    assert.equal(meta.format, "markdown");
    assert.match(meta.title!, /^Maternal multiple micronutrient supplementation in rural Pakistan increased some milk micronutrient concentrations/);
    assert.equal(meta.authors.length, 15);
    assert.equal(meta.authors[0], "Jo-Anna B Baxter");
    assert.equal(meta.authors[14], "Deborah L O’Connor");
    assert.equal(meta.doi, "10.1016/j.ajcnut.2025.05.019");
    assert.equal(meta.journal, "The American Journal of Clinical Nutrition");
    assert.equal(meta.date, "2025-05-21");
    assert.equal(meta.year, "2025");
    assert.deepEqual(meta.registrations, ["NCT04451395", "NCT03287882"]);
    assert.equal(meta.pmcid, "PMC12308085");
    assert.equal(meta.keyFindings.length, 3);
    assert.match(meta.abstract!, /^In Pakistan, maternal micronutrient deficiencies are highly prevalent/);
    assert.equal(meta.positions.title, 0);
    assert.ok(text.slice(meta.positions.authors).startsWith("**Authors:**"));
    assert.ok(text.slice(meta.positions.doi).startsWith("DOI: 10.1016"));
  });

  it("004: a saved web page: the site's navigation line names the publisher, not the title", () => {
    const { meta } = seed("004_8a65247345ed8d2d.txt");
    assert.equal(meta.title, "New Guidance from the MMS TAG");
    assert.equal(meta.date, "2025-01-20");
    assert.equal(meta.journal, "Healthy Mothers Healthy Babies");
    assert.ok(meta.organisations.includes("World Health Organization (WHO)"));
    assert.ok(meta.organisations.includes("United Nations Children’s Fund (UNICEF)"));
    assert.match(meta.abstract!, /^The Multiple Micronutrient Supplementation in Pregnancy Technical Advisory Group \(MMS TAG\)/);
  });

  it("overrides in the sources entry win", () => {
    const { meta } = seed("001_aba66717dfb731f1.txt");
    const merged = withOverrides(meta, { title: "Multiple-micronutrient supplementation for breastfeeding women", year: "2016", doi: "10.1002/14651858.CD010647.pub2" });
    assert.equal(merged.title, "Multiple-micronutrient supplementation for breastfeeding women");
    assert.equal(merged.year, "2016");
    assert.equal(merged.doi, "10.1002/14651858.CD010647.pub2");
    assert.equal(meta.title, undefined, "the file's own metadata is unchanged");
  });

  it("HTML pages: visible text only, scripts never run", () => {
    const meta = extractDocument("<!doctype html><html><head><title>x</title><script>throw new Error('ran')</script></head><body><h1>A trial report</h1><p>Registered as ISRCTN12345678. DOI 10.1000/abc.1.</p></body></html>");
    assert.equal(meta.format, "html");
    assert.deepEqual(meta.registrations, ["ISRCTN12345678"]);
    assert.equal(meta.doi, "10.1000/abc.1");
  });
});

describe("source index: bibliography entries", () => {
  it("keeps each entry's place in the file", () => {
    const text = fs.readFileSync(path.join(FIXTURES, "diagnostics/sources/refs.bib"), "utf8");
    const result = parseBibliography(text, "bibtex");
    const fofana = result.entries.find((e) => e.key === "fofana2022")!;
    assert.ok(text.slice(fofana.offset).startsWith("@book{fofana2022"));
    assert.deepEqual(result.entries.find((e) => e.key === "nakamura2021")!.authors, ["Aiko Nakamura", "Ravi Singh"]);
    const ris = fs.readFileSync(path.join(FIXTURES, "diagnostics/sources/derived.ris"), "utf8");
    const second = parseBibliography(ris, "ris").entries[1]!;
    assert.equal(second.key, "okonkwo2021b");
    assert.ok(ris.slice(second.offset).startsWith("TY  - JOUR\nA1  - Okonkwo, Ada"));
  });
});
