// npm run test:slow: the suites that take seconds each (about 3 min here), measured one by one
// (`npx mocha out/test/x.test.js`, 2 shared cores). CI runs them after npm test.
module.exports = {
  ...require("./.mocharc.json"),
  spec: [
    "out/test/fuzz.test.js", // property tests, FUZZ_SECONDS per property (25 s at the default 8)
    "out/test/hostile.test.js", // hostile sizes: 1,000,000 items, 200,000 studies… (20 s)
    "out/test/import.test.js", // every public RevMan review imported, linted and recomputed (25–45 s)
    "out/test/neovim.test.js", // Neovim as a second LSP client
    "out/test/package.test.js", // vsce's listing of the .vsix
    "out/test/evidence-render.test.js", // summary of findings and flow diagrams in Chromium (5 s)
    "out/test/parity.test.js", // the feature tests on each parse path, every feature at every word (50 s)
    "out/test/plots.test.js", // plots rendered in Chromium, every forest plot of the public reviews (15 s)
    "out/test/readme.test.js", // the README's commands run and compared with what it shows
    "out/test/yaml.test.js", // chunked = whole after 2 × 300 random edits, 5 MB protocols (13 s)
  ],
};
