/**
 * Nothing is left out of CI: every mocha test file is in exactly one of the two
 * suites — `npm test` (.mocharc.fast.cjs) and `npm run test:slow`
 * (.mocharc.slow.cjs) — and .ci/run runs both. Files are listed by name, never
 * by pattern, so that a new test file has to be placed on purpose.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const CONFIGS = { fast: ".mocharc.fast.cjs", slow: ".mocharc.slow.cjs" } as const;

/** Every *.test.ts under test/ (not the fixtures), as mocha runs it: out/test/….test.js. */
function testFiles(dir = path.join(ROOT, "test")): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "fixtures" ? [] : testFiles(file);
    return e.name.endsWith(".test.ts") ? [path.relative(ROOT, file).replace(/^test\//, "out/test/").replace(/\.ts$/, ".js")] : [];
  });
}

function specOf(config: string): string[] {
  // Loaded as mocha loads it (a CommonJS module spreading .mocharc.json).
  const loaded = createRequire(__filename)(path.join(ROOT, config)) as { spec?: string[] };
  assert.ok(Array.isArray(loaded.spec), `${config} lists its test files in spec`);
  return loaded.spec;
}

describe("the test suites", () => {
  it("every test file is in exactly one of npm test and npm run test:slow, each by its name", () => {
    const fast = specOf(CONFIGS.fast);
    const slow = specOf(CONFIGS.slow);
    const files = testFiles().sort();
    for (const f of [...fast, ...slow]) {
      assert.doesNotMatch(f, /[*?{[]/, `${f}: a pattern; list the files by name`);
      assert.ok(files.includes(f), `${f} is listed but there is no test/${f.slice("out/test/".length).replace(/\.js$/, ".ts")}`);
    }
    const nowhere = files.filter((f) => !fast.includes(f) && !slow.includes(f));
    assert.deepEqual(nowhere, [], `in neither ${CONFIGS.fast} nor ${CONFIGS.slow}: add each to one (fast: unit and stdio; slow: the rest)`);
    const twice = [...fast.filter((f) => slow.includes(f)), ...fast.filter((f, i) => fast.indexOf(f) !== i), ...slow.filter((f, i) => slow.indexOf(f) !== i)];
    assert.deepEqual(twice, [], "listed twice");
  });

  it("npm test and npm run test:slow run those configs, .ci/run runs both, and one suite runs alone", () => {
    const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    assert.match(scripts.test!, new RegExp(`mocha --config ${CONFIGS.fast.replace(/\./g, "\\.")}$`));
    assert.match(scripts["test:slow"]!, new RegExp(`mocha --config ${CONFIGS.slow.replace(/\./g, "\\.")}$`));
    const ci = fs.readFileSync(path.join(ROOT, ".ci/run"), "utf8").split("\n").filter((l) => !l.trim().startsWith("#") && !l.trim().startsWith("echo"));
    for (const command of [/\bnpm test$/, /\bnpm run test:slow$/, /\bnpm run test:vscode$/]) assert.ok(ci.some((l) => command.test(l.trim())), `.ci/run runs ${command.source}`);
    // The defaults (.mocharc.json) name no files: `npx mocha out/test/x.test.js` runs x alone (mocha adds a config's spec to the command line's).
    const defaults = JSON.parse(fs.readFileSync(path.join(ROOT, ".mocharc.json"), "utf8")) as { spec?: unknown };
    assert.equal(defaults.spec, undefined, ".mocharc.json names no test files");
  });
});
