/**
 * Whole-text snapshots: `matchSnapshot(text)` compares a text (a hover's whole
 * markdown) with the one pinned for this test in test/fixtures/snapshots/<suite>.md,
 * where <suite> is the test file's name. Each test's snapshots are numbered in
 * the order it takes them, under its full title.
 *
 * - `UPDATE_SNAPSHOTS=1` rewrites the snapshots that differ, and drops those no
 *   test of a suite that ran whole and green took.
 * - A missing snapshot is written (and said so) outside CI; under `CI=true` it
 *   is a failure, never written.
 * - A snapshot no test took, in a suite that ran whole and green, fails the run
 *   (a test renamed or removed): UPDATE_SNAPSHOTS=1 drops it.
 *
 * The checkout's path, ../shared and temporary folders differ between machines:
 * they are written as <root>, <shared> and <tmp>.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = path.resolve(__dirname, "../../..");
// SNAPSHOT_DIR: elsewhere, for the helper's own test (test/snapshot.test.ts).
const SNAPSHOTS = process.env.SNAPSHOT_DIR ?? path.join(ROOT, "test/fixtures/snapshots");
const UPDATE = process.env.UPDATE_SNAPSHOTS === "1";
const CI = process.env.CI === "true";

/** One suite's snapshots, in the order of its file; which ones this run took. */
interface SnapshotFile {
  path: string;
  entries: Map<string, string>;
  taken: Set<string>;
  changed: boolean;
}

const files = new Map<string, SnapshotFile>();
let current: Mocha.Test | undefined;
let taken = 0;

// Root hooks (this module is loaded while mocha reads the test files): which test is running, and at the end what no test took.
beforeEach(function () {
  current = this.currentTest;
  taken = 0;
});
after(function () {
  const obsolete: string[] = [];
  for (const [suite, file] of files) {
    const unused = [...file.entries.keys()].filter((k) => !file.taken.has(k));
    if (unused.length > 0 && ranWholeAndGreen(this.test!.parent!, suite)) {
      if (UPDATE) {
        for (const k of unused) file.entries.delete(k);
        file.changed = true;
        console.log(`      snapshots: dropped ${unused.length} that no test took from ${path.relative(ROOT, file.path)}`);
      } else {
        obsolete.push(...unused.map((k) => `${path.relative(ROOT, file.path)}: ${k}`));
      }
    }
    if (file.changed) {
      fs.mkdirSync(SNAPSHOTS, { recursive: true });
      fs.writeFileSync(file.path, render(file.entries));
    }
  }
  assert.deepEqual(obsolete, [], "snapshots no test took (a test renamed or removed?): UPDATE_SNAPSHOTS=1 drops them");
});

/** Asserts that `text` is the snapshot pinned for this point of the running test. */
export function matchSnapshot(text: string): void {
  assert.ok(current, "matchSnapshot runs inside a mocha test");
  const suite = path.basename(current.file ?? "unknown", ".test.js");
  const file = snapshotFile(suite);
  const key = `${current.titlePath().join(" › ")} #${++taken}`;
  assert.ok(!file.taken.has(key), `two tests are called '${current.fullTitle()}': their snapshots would mix; rename one`);
  file.taken.add(key);
  const actual = portable(text);
  const pinned = file.entries.get(key);
  if (pinned === actual) return;
  if (pinned === undefined && CI) assert.fail(`no snapshot '${key}' in ${path.relative(ROOT, file.path)}: run UPDATE_SNAPSHOTS=1 npm test and commit it`);
  if (pinned === undefined || UPDATE) {
    file.entries.set(key, actual);
    file.changed = true;
    if (pinned === undefined) console.log(`      snapshot written: ${key}`);
    return;
  }
  assert.equal(actual, pinned, `the text differs from its snapshot '${key}' in ${path.relative(ROOT, file.path)} (UPDATE_SNAPSHOTS=1 rewrites it)`);
}

/** The text with what differs between machines named: the checkout, ../shared, temporary folders. */
function portable(text: string): string {
  const places: [string, string][] = [
    [ROOT, "<root>"],
    [path.resolve(ROOT, "../shared"), "<shared>"],
  ];
  let out = text;
  // A whole path only: /work/s is not the start of /work/shared.
  const end = "(?=[/#)\\s\"'`]|$)";
  for (const [place, name] of places) {
    for (const form of [pathToFileURL(place).href, place]) out = out.replace(new RegExp(escapeRegExp(form) + end, "g"), name);
  }
  const tmp = fs.realpathSync(os.tmpdir());
  for (const form of new Set([pathToFileURL(tmp).href, tmp, os.tmpdir()])) out = out.replace(new RegExp(`${escapeRegExp(form)}/[^/\\s)"'\`]+`, "g"), "<tmp>");
  return out;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function snapshotFile(suite: string): SnapshotFile {
  let file = files.get(suite);
  if (!file) {
    const p = path.join(SNAPSHOTS, `${suite}.md`);
    file = { path: p, entries: fs.existsSync(p) ? parse(fs.readFileSync(p, "utf8")) : new Map(), taken: new Set(), changed: false };
    files.set(suite, file);
  }
  return file;
}

/** Whether every test of `suite` (its file) ran in this run and passed: only then are the snapshots it did not take obsolete. */
function ranWholeAndGreen(root: Mocha.Suite, suite: string): boolean {
  const tests: Mocha.Test[] = [];
  const walk = (s: Mocha.Suite) => {
    tests.push(...s.tests.filter((t) => path.basename(t.file ?? "", ".test.js") === suite));
    s.suites.forEach(walk);
  };
  walk(root);
  return tests.length > 0 && tests.every((t) => t.state === "passed");
}

const HEADER = "<!-- Whole texts pinned by the tests (test/helpers/snapshot.ts); UPDATE_SNAPSHOTS=1 npm test rewrites them. -->\n";

/** `## key` then the text in a fence longer than any run of backticks in it. */
function render(entries: Map<string, string>): string {
  const parts = [HEADER];
  for (const [key, text] of entries) {
    const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
    const fence = "`".repeat(longest + 1);
    parts.push(`\n## ${key}\n\n${fence}markdown\n${text}\n${fence}\n`);
  }
  return parts.join("");
}

function parse(markdown: string): Map<string, string> {
  const entries = new Map<string, string>();
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const heading = /^## (.+)$/.exec(lines[i]!);
    const fence = heading && lines[i + 2] !== undefined ? /^(`{3,})markdown$/.exec(lines[i + 2]!) : null;
    if (!heading || !fence) continue;
    const end = lines.indexOf(fence[1]!, i + 3);
    assert.ok(end > 0, `snapshot '${heading[1]}' has no closing fence`);
    entries.set(heading[1]!, lines.slice(i + 3, end).join("\n"));
    i = end;
  }
  return entries;
}
