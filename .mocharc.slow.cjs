// npm run test:slow: the suites that take seconds each (about 3 min here), measured one by one
// (`npx mocha out/test/x.test.js`, 2 shared cores). CI runs them after npm test.
module.exports = {
  ...require("./.mocharc.json"),
  spec: [
    "out/test/datapackage.test.js", // Cochrane data packages imported: Fleiss 1993, every bad input, a 1 GB ZIP bomb (20–50 s)
    "out/test/export.test.js", // review-export: the public reviews through .rm5 and data packages and back (20–40 s)
    "out/test/fuzz.test.js", // property tests, FUZZ_SECONDS per property (25 s at the default 8)
    "out/test/hostile.test.js", // hostile sizes: 1,000,000 items, 200,000 studies… (20 s)
    "out/test/import.test.js", // every public RevMan review imported, linted and recomputed (25–45 s)
    "out/test/neovim.test.js", // Neovim as a second LSP client
    "out/test/package.test.js", // vsce's listing of the .vsix
    "out/test/evidence-render.test.js", // summary of findings and flow diagrams in Chromium (5 s)
    "out/test/parity.test.js", // the feature tests on each parse path, every feature at every word (50 s)
    "out/test/progress.test.js", // work-done progress and status over stdio, a generated 50 MB library (5 s)
    "out/test/webview-fit.test.js", // pictures fitted to a narrow pane in Chromium, a public review (3 s)
    "out/test/plots.test.js", // plots rendered in Chromium, every forest plot of the public reviews (15 s)
    "out/test/random-effects-reviews.test.js", // five public reviews imported, set to REML + HKSJ + prediction, linted (10 s)
    "out/test/read-rm5.test.js", // the exported .rm5 as R meta's read.rm5 reads it (elements, lines; R itself when meta is installed)
    "out/test/readme.test.js", // the README's commands run and compared with what it shows
    "out/test/yaml.test.js", // chunked = whole after 2 × 300 random edits, 5 MB protocols (13 s)
  ],
};
