// Writes schemas/protocol.schema.json from the zod schema (the single source of truth).
// `--check` exits 1 when the checked-in file is stale instead of writing it.
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const out = "schemas/protocol.schema.json";
const result = await build({
  entryPoints: ["schemas/src/json-schema.ts"],
  bundle: true,
  platform: "node",
  format: "cjs",
  write: false,
  logLevel: "warning",
});
const module = { exports: {} };
new Function("module", "exports", "require", result.outputFiles[0].text)(module, module.exports, createRequire(import.meta.url));
const text = module.exports.protocolJsonSchemaText();
if (process.argv.includes("--check")) {
  let current = "";
  try { current = readFileSync(out, "utf8"); } catch {}
  if (current !== text) {
    console.error(`${out} is stale: run npm run gen:schema`);
    process.exit(1);
  }
  console.log(`${out} is up to date`);
} else {
  writeFileSync(out, text);
  console.log(`wrote ${out}`);
}
