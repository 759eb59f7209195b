/** Sources as reference managers export them: Zotero, EndNote, whole libraries with a broken entry. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { parseBibliography, type BibEntry } from "../server/src/core/sources/bibliography";
import { ProtocolAnalyzer } from "../server/src/core/analyzer/analyzer";
import { SourceLoader, type BackgroundIndexer } from "../server/src/core/sources/loader";
import { indexLibrary, parseLibrary, reindexLibrary, type LibraryIndex } from "../server/src/core/sources/library-index";
import { fixAll, quickFixes } from "../server/src/service/code-actions";
import { hover } from "../server/src/service/hover";
import { analyseText, FIXTURES, minimalHead } from "./helpers/check";
import { matchSnapshot } from "./helpers/snapshot";

const DIR = path.join(FIXTURES, "exports");
const options = { dir: DIR, root: FIXTURES };
const HEAD = `${minimalHead("rob1")}sources:
  - bibliography: zotero.json
  - bibliography: endnote.ris
  - bibliography: library.bib
`;

describe("bibliographies from reference managers", () => {
  const analysis = analyseText(`${HEAD}rationale: See [@mcmurray2019; @world2022; @kjaer2018; @odegaard2017; @world2020; @strauss2016; @lukasiewicz2015].\n`, options);

  it("resolves every key the contract says: Zotero citation-key first, transliterated derived keys, corporate authors", () => {
    assert.deepEqual(analysis.diagnostics.filter((d) => d.code === "unresolved-citation").map((d) => d.data?.key), []);
    assert.ok(![...analysis.sources.keys()].some((k) => k.startsWith("http")), "a Zotero item URI is never a key");
  });

  it("one broken BibTeX entry costs one entry, named with its line", () => {
    const d = analysis.diagnostics.find((x) => x.code === "source-unreadable")!;
    assert.match(d.message, /'broken2017' at line 9/);
    assert.ok(analysis.sources.has("lukasiewicz2015"));
  });

  it("DOIs without their https://doi.org/, dx.doi.org or doi: prefixes", () => {
    assert.equal(analysis.sources.get("mcmurray2019")!.meta.doi, "10.1056/NEJMoa1911303");
    assert.equal(analysis.sources.get("strauss2016")!.meta.doi, "10.1000/bib.1");
    assert.equal(analysis.sources.get("odegaard2017")!.meta.doi, "10.1000/ris.1");
    const mismatch = analyseText(`${HEAD}studies:\n  - id: M 2019\n    cite: mcmurray2019\n    doi: doi:10.1056/nejmoa1911303\n    outcomes: { death: not-reported }\n`, options);
    assert.equal(mismatch.diagnostics.filter((d) => d.code === "source-mismatch").length, 0);
  });

  it("hover cards: whole sentences (never cut in 0.74, P<0.001 or ClinicalTrials.gov), LaTeX as text, one DOI prefix", () => {
    const text = `${HEAD}rationale: See [@mcmurray2019] and [@strauss2016].\n`;
    const a = analyseText(text, options);
    const card = hover(a, text.indexOf("@mcmurray2019") + 3, () => 0)!.markdown;
    assert.match(card, /Patients were randomised to dapagliflozin or placebo\. The hazard ratio was 0\.74 \(95% CI, 0\.65 to 0\.85; P\\?<0\.001\), as registered at ClinicalTrials\.gov NCT03036124\./);
    assert.ok(!card.includes("doi.org/https"), card);
    const latex = hover(a, text.indexOf("@strauss2016") + 3, () => 0)!.markdown;
    assert.match(latex, /\*\*Effect of \*Lactobacillus\* on HbA1c\*\*/);
    matchSnapshot(card);
    matchSnapshot(latex);
  });

  it("citation fixes rank by the author and year the key spells, say which work, are never preferred and never in fix-all", () => {
    const text = `${HEAD}rationale: See [@mcmurray_dapagliflozin_2019] and [@mcmurray_dapagliflozin_2019].\n`;
    const a = analyseText(text, options);
    const d = a.diagnostics.find((x) => x.code === "unresolved-citation")!;
    const actions = quickFixes(a, [{ code: d.code, start: d.start, data: d.data }]);
    assert.match(actions[0]!.title, /^Use mcmurray2019 — McMurray 2019, Dapagliflozin in Patients/);
    assert.ok(actions.every((x) => !x.preferred));
    assert.ok(!fixAll(a).some((x) => x.fixes.some((f) => f.code === "unresolved-citation")));
  });
});

describe("whole libraries: the index read lazily equals the file read whole", () => {
  const read = (name: string) => fs.readFileSync(path.join(DIR, name), "utf8");
  const fields = (e: BibEntry) => ({ key: e.key, explicit: e.explicit, offset: e.offset, title: e.title, authors: e.authors, year: e.year, journal: e.journal, doi: e.doi, abstract: e.abstract });

  for (const [name, format] of [["zotero.json", "csl-json"], ["endnote.ris", "ris"], ["library.bib", "bibtex"]] as const) {
    it(`${name}: the same keys, places and fields`, () => {
      const text = read(name);
      const whole = parseBibliography(text, format).entries;
      const lazy = parseLibrary(text, format).entries;
      // A broken BibTeX entry is left out when read whole; the index keeps its key (its fields stay empty).
      const readable = new Set(whole.map((e) => e.key));
      assert.deepEqual(lazy.filter((e) => readable.has(e.key)).map(fields), whole.map(fields));
    });
  }

  it("a changed library is re-indexed only where it changed, and equals a fresh index", () => {
    const entry = fc.record({
      family: fc.constantFrom("Kjær", "Smith", "World Health Organization", "Đặng", "van der Berg"),
      year: fc.integer({ min: 1990, max: 2025 }),
      key: fc.option(fc.constantFrom("a1", "b2", "c3"), { nil: undefined }),
    });
    type Format = "bibtex" | "ris" | "csl-json";
    const render = (format: Format, e: { family: string; year: number; key?: string }, i: number) =>
      format === "bibtex"
        ? `@article{${e.key ?? "k"}${i},\n  author = {${e.family}, A.},\n  title = {T ${i}},\n  year = {${e.year}}\n}\n\n`
        : format === "ris"
          ? `TY  - JOUR\n${e.key ? `ID  - ${e.key}\n` : ""}AU  - ${e.family}, A.\nTI  - T ${i}\nPY  - ${e.year}\nER  - \n\n`
          : JSON.stringify({ ...(e.key ? { "citation-key": `${e.key}${i}` } : {}), title: `T {${i}} "q"`, author: [{ family: e.family }], issued: { "date-parts": [[e.year]] } }, null, 1);
    const library = (format: Format, entries: { family: string; year: number; key?: string }[]) =>
      format === "csl-json" ? `[\n${entries.map((e, i) => render(format, e, i)).join(",\n")}\n]\n` : entries.map((e, i) => render(format, e, i)).join("");
    const strip = (index: LibraryIndex) => index.entries.map(({ start, end, key, authors, year }) => ({ start, end, key, authors, year }));
    fc.assert(
      fc.property(fc.constantFrom<Format>("bibtex", "ris", "csl-json"), fc.array(entry, { minLength: 1, maxLength: 12 }), fc.nat(), fc.nat(), fc.nat(), (format, entries, a, b, c) => {
        const old = library(format, entries);
        const from = a % (old.length + 1);
        const to = Math.min(old.length, from + (b % 200));
        const pieces = [render(format, entries[c % entries.length]!, 99), ",\n" + render(format, entries[0]!, 98), "\n", "@", "TY  - ", "}", "{", '"', "\\", "AU  - Ødegaard, B.\n", ""];
        const text = old.slice(0, from) + pieces[c % pieces.length] + old.slice(to);
        const fresh = indexLibrary(text, format);
        assert.deepEqual(strip(reindexLibrary(indexLibrary(old, format), old, text)), strip(fresh));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("a library indexed in the background", () => {
  it("until its keys are known no citation is unresolved and hover says so; then only the wrong key is", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rp-background-"));
    const entries = Array.from({ length: 9000 }, (_, i) => `@article{entry${i},\n  author = {Author${i}, A.},\n  title = {Trial ${i}},\n  abstract = {${"We did things. ".repeat(8)}},\n  year = {2001}\n}\n`);
    fs.writeFileSync(path.join(dir, "library.bib"), entries.join(""));
    let finish: (() => void) | undefined;
    const indexer: BackgroundIndexer = {
      index: (file, format, done) => {
        finish = () => done(parseLibrary(fs.readFileSync(file, "utf8"), format));
      },
    };
    const indexed: string[] = [];
    const loader = new SourceLoader(undefined, indexer, (p) => indexed.push(p));
    const text = `${minimalHead("rob1")}sources:\n  - bibliography: library.bib\nrationale: See [@entry8999] and [@entry9999].\n`;
    const analyzer = new ProtocolAnalyzer();
    const options = { path: path.join(dir, "review.protocol.yaml"), root: dir, loader };
    const during = analyzer.analyse(text, options);
    assert.equal(during.indexing, true);
    assert.deepEqual(during.diagnostics.filter((d) => d.code === "unresolved-citation"), []);
    const at = text.indexOf("@entry8999") + 2;
    const whileIndexed = hover(during, at, () => 0)?.markdown ?? "";
    assert.match(whileIndexed, /not known yet: a whole library .* is being indexed/);
    matchSnapshot(whileIndexed);
    assert.ok(finish, "the library went to the indexer");
    finish();
    assert.deepEqual(indexed, [path.join(dir, "library.bib")]);
    const after = analyzer.analyse(text, options);
    assert.equal(after.indexing, undefined);
    assert.deepEqual(after.diagnostics.filter((d) => d.code === "unresolved-citation").map((d) => d.data?.key), ["entry9999"]);
    const indexed8999 = hover(after, at, () => 0)?.markdown ?? "";
    assert.match(indexed8999, /Trial 8999/);
    matchSnapshot(indexed8999);

    // The library changes (the missing key is added): its old entries serve while it is indexed again,
    // and the key just added is not called unresolved meanwhile.
    fs.appendFileSync(path.join(dir, "library.bib"), `@article{entry9999,\n  author = {Late, A.},\n  title = {Trial 9999},\n  year = {2002}\n}\n`);
    loader.invalidate(path.join(dir, "library.bib"));
    const refreshing = analyzer.analyse(text, options);
    assert.deepEqual(refreshing.diagnostics.filter((d) => d.code === "unresolved-citation"), []);
    const refreshingCard = hover(refreshing, at, () => 0)?.markdown ?? "";
    assert.match(refreshingCard, /Trial 8999/);
    matchSnapshot(refreshingCard);
    finish!();
    const refreshed = analyzer.analyse(text, options);
    assert.deepEqual(refreshed.diagnostics.filter((d) => d.code === "unresolved-citation"), []);
    const added = hover(refreshed, text.indexOf("@entry9999") + 2, () => 0)?.markdown ?? "";
    assert.match(added, /Trial 9999/);
    matchSnapshot(added);
  });
});
