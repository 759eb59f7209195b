/** The .vsix holds only what the extension needs (vsce's own listing, offline). */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

describe("packaging", function () {
  this.timeout(60000);
  it("lists the bundled client and server, schema, grammars, snippets, walkthrough, seeds, README, CHANGELOG, LICENSE and icon — nothing else", () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules/@vscode/vsce/vsce"), "ls", "--no-dependencies"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const files = r.stdout.split("\n").map((l) => l.trim()).filter(Boolean).sort();
    for (const f of ["dist/client.js", "dist/server.js", "dist/library-worker.js", "schemas/protocol.schema.json", "syntaxes/review-protocol.injection.tmLanguage.json", "client/snippets.json", "client/images/icon.png", "seeds/mms-lactation.protocol.yaml", "README.md", "CHANGELOG.md", "LICENSE", "package.json"]) {
      assert.ok(files.includes(f), `${f} is packaged`);
    }
    assert.ok(!files.some((f) => /^(node_modules|server\/src|test|out|bench)\//.test(f) || f.endsWith(".map") || f.endsWith(".ts")), files.join("\n"));
  });
});
