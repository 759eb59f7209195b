/**
 * The snapshot helper (helpers/snapshot.ts) as a test run meets it: a probe
 * suite run by mocha in a child process, with its snapshots in a temporary folder.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const MOCHA = path.join(ROOT, "node_modules/mocha/bin/mocha.js");

describe("snapshots (UPDATE_SNAPSHOTS, CI)", function () {
  this.timeout(60000);
  let dir: string;
  let pinned: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rp-snapshot-"));
    pinned = path.join(dir, "probe.md");
    const helper = JSON.stringify(path.join(ROOT, "out/test/helpers/snapshot.js"));
    const probe = `const { matchSnapshot } = require(${helper});
describe("probe", () => {
  it("pins a text", () => { matchSnapshot(process.env.PROBE_TEXT); matchSnapshot("second \`\`\`fenced\`\`\` text\\n"); });
});
`;
    fs.writeFileSync(path.join(dir, "probe.test.js"), probe);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (text: string, env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [MOCHA, "--no-config", "--reporter", "dot", path.join(dir, "probe.test.js")], {
      encoding: "utf8",
      env: { ...process.env, CI: "", UPDATE_SNAPSHOTS: "", ...env, SNAPSHOT_DIR: dir, PROBE_TEXT: text },
    });
    return { status: r.status, output: r.stdout + r.stderr };
  };

  it("a missing snapshot fails under CI=true and is not written; outside CI it is written and said so", () => {
    const ci = run("# Card\nline", { CI: "true" });
    assert.equal(ci.status, 1, ci.output);
    assert.match(ci.output, /no snapshot 'probe › pins a text #1'/);
    assert.equal(fs.existsSync(pinned), false);
    const local = run("# Card\nline");
    assert.equal(local.status, 0, local.output);
    assert.match(local.output, /snapshot written: probe › pins a text #1/);
    assert.equal(run("# Card\nline", { CI: "true" }).status, 0, "the written snapshots pass, also under CI");
  });

  it("a different text fails with both texts; UPDATE_SNAPSHOTS=1 rewrites it", () => {
    const changed = run("# Card\nanother line");
    assert.equal(changed.status, 1, changed.output);
    assert.match(changed.output, /differs from its snapshot 'probe › pins a text #1'[\s\S]*another line/);
    assert.equal(run("# Card\nanother line", { UPDATE_SNAPSHOTS: "1" }).status, 0);
    assert.equal(run("# Card\nanother line", { CI: "true" }).status, 0);
    assert.match(fs.readFileSync(pinned, "utf8"), /````markdown\nsecond ```fenced``` text\n\n````\n/);
  });

  it("a snapshot no test took fails the run; UPDATE_SNAPSHOTS=1 drops it", () => {
    fs.appendFileSync(pinned, "\n## probe › a test since renamed #1\n\n```markdown\nold\n```\n");
    const stale = run("# Card\nanother line");
    assert.equal(stale.status, 1, stale.output);
    assert.match(stale.output, /snapshots no test took[\s\S]*a test since renamed/);
    assert.equal(run("# Card\nanother line", { UPDATE_SNAPSHOTS: "1" }).status, 0);
    assert.doesNotMatch(fs.readFileSync(pinned, "utf8"), /since renamed/);
    assert.equal(run("# Card\nanother line").status, 0);
  });
});
