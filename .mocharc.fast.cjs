// npm test: the fast suites, the daily loop (about 40 s here with the build; README "Tests").
// Unit tests of the core and the editor features, and the two programs over stdio:
// review-lint (cli) and the language server (lsp). Every test file is in exactly one of
// this list and .mocharc.slow.cjs (test/suites.test.ts checks it); `npx mocha out/test/x.test.js`
// runs one suite with the defaults of .mocharc.json.
module.exports = {
  ...require("./.mocharc.json"),
  spec: [
    "out/test/analyses.test.js",
    "out/test/bibliographies.test.js",
    "out/test/cli.test.js",
    "out/test/cli-progress.test.js",
    "out/test/completion.test.js",
    "out/test/core.test.js",
    "out/test/datapackage-csv.test.js",
    "out/test/evidence.test.js",
    "out/test/features.test.js",
    "out/test/fixes.test.js",
    "out/test/fixes-on-request.test.js",
    "out/test/grammar.test.js",
    "out/test/long-lists.test.js",
    "out/test/lsp.test.js",
    "out/test/lsp-evidence.test.js",
    "out/test/meta-analysis.test.js",
    "out/test/outline.test.js",
    "out/test/random-effects.test.js",
    "out/test/random-effects-editor.test.js",
    "out/test/schema.test.js",
    "out/test/shared-workspace.test.js",
    "out/test/snapshot.test.js",
    "out/test/source-index.test.js",
    "out/test/sources-once.test.js",
    "out/test/stage.test.js",
    "out/test/suites.test.js",
    "out/test/tidy.test.js",
    "out/test/workspace.test.js",
    "out/test/yaml-subset.test.js",
  ],
};
