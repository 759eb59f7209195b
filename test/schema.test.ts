/** The JSON Schema is generated from the zod schema; the checked-in file must not be stale. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { protocolJsonSchemaText } from "../schemas/src/json-schema";
import { Protocol } from "../schemas/src/protocol";
import { TOOLS } from "../schemas/src/domain";
import { generatedFiles, manifestContributes, manifestTopLevel } from "../server/src/service/artifacts";

const ROOT = path.resolve(__dirname, "../..");

describe("schemas", () => {
  it("schemas/protocol.schema.json is up to date with the zod schema (npm run gen)", () => {
    const checkedIn = fs.readFileSync(path.join(ROOT, "schemas/protocol.schema.json"), "utf8");
    assert.equal(checkedIn, protocolJsonSchemaText(), "schemas/protocol.schema.json is stale: run npm run gen");
  });

  it("the grammars, snippets and package.json contributions are up to date with the code (npm run gen)", () => {
    for (const [file, text] of Object.entries(generatedFiles())) {
      assert.equal(fs.readFileSync(path.join(ROOT, file), "utf8"), text, `${file} is stale: run npm run gen`);
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    for (const [key, value] of Object.entries(manifestContributes())) {
      assert.deepEqual(pkg.contributes[key], JSON.parse(JSON.stringify(value)), `package.json contributes.${key} is stale: run npm run gen`);
    }
    for (const [key, value] of Object.entries(manifestTopLevel())) {
      assert.deepEqual(pkg[key], JSON.parse(JSON.stringify(value)), `package.json ${key} is stale: run npm run gen`);
    }
  });

  it("the JSON Schema lists every tool of the domain data", () => {
    const schema = JSON.parse(protocolJsonSchemaText());
    const tools = schema.properties.bias.properties.tool.enum as string[];
    for (const t of TOOLS) assert.ok(tools.includes(t.id), t.id);
    assert.deepEqual(schema.required.sort(), ["bias", "outcomes", "protocol", "question", "title", "type"]);
  });

  it("the zod schema accepts the shipped sample", async () => {
    const { parse } = await import("yaml");
    const value = parse(fs.readFileSync(path.join(ROOT, "seeds/mms-lactation.protocol.yaml"), "utf8"));
    const result = Protocol.safeParse(value);
    assert.ok(result.success, JSON.stringify(result.error?.issues));
  });
});
