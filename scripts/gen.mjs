// Writes the files generated from the code's single sources of truth (see
// server/src/service/artifacts.ts) and package.json's `contributes`.
// `--check` exits 1 when a checked-in copy is stale instead of writing.
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const result = await build({ entryPoints: ["server/src/service/artifacts.ts"], bundle: true, platform: "node", format: "cjs", write: false, logLevel: "warning" });
const module = { exports: {} };
new Function("module", "exports", "require", result.outputFiles[0].text)(module, module.exports, createRequire(import.meta.url));
const { generatedFiles, manifestContributes, manifestTopLevel } = module.exports;

const files = generatedFiles();
const pkg = JSON.parse(readFileSync("package.json", "utf8"));
pkg.contributes = { ...pkg.contributes, ...manifestContributes() };
Object.assign(pkg, manifestTopLevel());
files["package.json"] = JSON.stringify(pkg, null, 2) + "\n";

const check = process.argv.includes("--check");
let stale = 0;
for (const [path, text] of Object.entries(files)) {
  let current = "";
  try { current = readFileSync(path, "utf8"); } catch {}
  if (current === text) continue;
  if (check) { console.error(`${path} is stale: run npm run gen`); stale++; }
  else { writeFileSync(path, text); console.log(`wrote ${path}`); }
}
if (stale) process.exit(1);
if (check) console.log("generated files are up to date");
