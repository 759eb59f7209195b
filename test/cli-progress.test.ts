/**
 * The command line's progress line: on a terminal (a pseudo-terminal from
 * util-linux's `script`) review-import and review-lint draw it on stderr; with
 * stderr a pipe, or with --quiet, nothing. The second's delay is set to 0 here
 * (REVIEW_PROTOCOL_PROGRESS_DELAY_MS) so the test does not depend on speed.
 */
/* eslint-disable no-control-regex -- the terminal's escape sequences are what these tests read */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const IMPORT = path.join(ROOT, "dist/review-import.js");
const LINT = path.join(ROOT, "dist/review-lint.js");
const ENV = { ...process.env, REVIEW_PROTOCOL_PROGRESS_DELAY_MS: "0" };
/** A progress line: back to the line's start, the command, a percentage. */
const LINE = /\r(review-import|review-lint): +\d+% [^\r]+\x1b\[K/;

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs node with args under a pseudo-terminal; what the terminal showed (stdout and stderr together). */
function onTerminal(args: string[]): string {
  const r = spawnSync("script", ["-qec", [process.execPath, ...args].map(quote).join(" "), "/dev/null"], { encoding: "utf8", env: ENV, timeout: 60000 });
  assert.equal(r.error, undefined);
  return r.stdout;
}

describe("progress on a terminal", function () {
  this.timeout(60000);
  let dir: string;
  let rm5 = "";
  const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;

  before(function () {
    if (!hasScript) {
      if (process.env.CI === "true") throw new Error("util-linux's script is needed for the pseudo-terminal tests under CI");
      console.log("      no `script` (util-linux): the pseudo-terminal tests are skipped");
      this.skip();
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rp-tty-"));
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  describe("review-import of a public review", () => {
    before(function () {
      rm5 = path.resolve(ROOT, "../shared/rm5/CD008521-stats.rm5");
      if (fs.existsSync(rm5)) return;
      if (process.env.CI === "true") throw new Error(`${rm5} is missing: ../shared must be beside the project under CI`);
      console.log("      no ../shared/rm5 beside the project: review-import on a terminal is skipped");
      this.skip();
    });

    it("review-import draws one line of progress on a terminal, and clears it before its summary", function () {
      const shown = onTerminal([IMPORT, rm5, "--out", path.join(dir, "tty")]);
      assert.match(shown, LINE);
      // The first step is drawn at once (delay 0); later ones at most ten times a second.
      assert.match(shown, /^\rreview-import: +0% reading the RevMan file\x1b\[K/);
      // Cleared, then the summary as without a terminal.
      assert.match(shown, /\r\x1b\[Kwrote .*CD008521-stats\.protocol\.yaml/);
    });

    it("review-import prints no progress when stderr is not a terminal, or with --quiet", function () {
      const piped = spawnSync(process.execPath, [IMPORT, rm5, "--out", path.join(dir, "piped")], { encoding: "utf8", env: ENV });
      assert.equal(piped.status, 0);
      assert.equal(piped.stderr, "");
      assert.doesNotMatch(piped.stdout, /%|\r/);
      const quiet = onTerminal([IMPORT, rm5, "--out", path.join(dir, "quiet"), "--quiet"]);
      assert.doesNotMatch(quiet, /%|\x1b/);
      assert.match(quiet, /^wrote .*CD008521-stats\.protocol\.yaml/);
    });
  });

  it("review-lint over a folder counts the protocols on a terminal, and is quiet with --quiet", () => {
    const shown = onTerminal([LINT, "--root", ROOT, path.join(ROOT, "seeds")]);
    assert.match(shown, /\rreview-lint: +0% checking 1 of 1: /);
    assert.match(shown, /\r\x1b\[K.*mms-lactation\.protocol\.yaml:\d+:\d+: /);
    assert.doesNotMatch(onTerminal([LINT, "--quiet", "--root", ROOT, path.join(ROOT, "seeds")]), /\x1b|%/);
  });
});
