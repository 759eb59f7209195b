/** The .vsix holds only what the extension needs (vsce's own listing, offline), and the marketplace finds it. */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { strFromU8, unzipSync } from "fflate";

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

describe("the marketplace entry", function () {
  this.timeout(180000);
  it("vsce package writes the categories, keywords and gallery banner into the manifest an author searches", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rp-vsix-"));
    try {
      const vsix = path.join(dir, "review-protocol.vsix");
      const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules/@vscode/vsce/vsce"), "package", "--no-dependencies", "--baseContentUrl", "https://review-protocol.invalid/blob/main", "--baseImagesUrl", "https://review-protocol.invalid/raw/main", "--out", vsix], { cwd: ROOT, encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr + r.stdout);
      const manifest = strFromU8(unzipSync(fs.readFileSync(vsix), { filter: (f) => f.name === "extension.vsixmanifest" })["extension.vsixmanifest"]!);
      const tags = /<Tags>([^<]*)<\/Tags>/.exec(manifest)?.[1]?.split(",") ?? [];
      for (const k of ["systematic review", "meta-analysis", "Cochrane", "RevMan", "risk of bias", "PRISMA", "GRADE", "forest plot", "evidence synthesis"]) assert.ok(tags.includes(k), `keyword ${k} in ${tags.join(",")}`);
      const categories = /<Categories>([^<]*)<\/Categories>/.exec(manifest)?.[1]?.split(",") ?? [];
      for (const c of ["Linters", "Data Science", "Visualization"]) assert.ok(categories.includes(c), `category ${c} in ${categories.join(",")}`);
      assert.match(manifest, /Microsoft\.VisualStudio\.Services\.Branding\.Color" Value="#1f4e79"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
