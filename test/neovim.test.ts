/** Neovim as a second, independent LSP client (headless, Debian's neovim). */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { matchSnapshot } from "./helpers/snapshot";

const ROOT = path.resolve(__dirname, "../..");

describe("Neovim", function () {
  this.timeout(60000);
  const nvim = spawnSync("nvim", ["--version"], { encoding: "utf8" });
  before(function () {
    if (nvim.status !== 0) {
      // Under CI a missing editor is a failure, never a quietly smaller suite.
      if (process.env.CI === "true") throw new Error("Neovim is not installed: .ci/run must install it (apt-get install neovim)");
      console.log("      skipped: Neovim is not installed (apt-get install neovim; .ci/run installs it)");
      this.skip();
    }
  });

  it("shows the server's diagnostics, a hover and a completion for the sample", () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rp-nvim-")), "report.json");
    const r = spawnSync(
      "nvim",
      ["--headless", "--clean", "-c", `luafile ${path.join(ROOT, "test/neovim/lsp.lua")}`, "--", path.join(ROOT, "dist/server.js"), path.join(ROOT, "seeds/mms-lactation.protocol.yaml"), out],
      { encoding: "utf8", timeout: 50000 },
    );
    assert.ok(fs.existsSync(out), `no report; nvim said: ${r.stdout} ${r.stderr}`);
    const report = JSON.parse(fs.readFileSync(out, "utf8")) as { ok: boolean; error?: string; diagnostics: { code: string; severity: number }[]; hover?: string; completion: string[] };
    assert.ok(report.ok, report.error);
    const warnings = report.diagnostics.filter((d) => d.code === "outcome-not-reported" && d.severity === 2);
    assert.equal(warnings.length, 3, JSON.stringify(report.diagnostics));
    assert.match(report.hover ?? "", /Maternal multiple micronutrient supplementation in rural Pakistan/);
    matchSnapshot(report.hover!);
    assert.deepEqual([...report.completion].sort(), ["high", "low", "unclear"]);
  });
});
