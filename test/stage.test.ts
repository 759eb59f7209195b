/**
 * `stage` (contract sections 2 and 5): a protocol (the default) is asked
 * PRISMA-P's items; a completed review (`stage: review`) is not, and a study
 * that says nothing about an outcome is information there (RevMan never
 * recorded such statuses) — in the core (so the CLI and the server), with the
 * settings still overriding, in the outcome matrix, in hover and completion.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { plots } from "../server/src/core/pictures/plots";
import { applySettings, parseSettings } from "../server/src/service/settings";
import { analyseText } from "./helpers/check";
import { checkCompletion, checkHover } from "./helpers/features";
import { LspClient } from "./helpers/lsp";

const LINT = path.resolve(__dirname, "../../dist/review-lint.js");

const body = (stage: string) => `protocol: 1
${stage}title: Antibiotics for sore throat
type: intervention
question: {}
outcomes:
  - { id: pain, name: Pain, role: primary }
  - { id: fever, name: Fever, role: secondary }
bias: { tool: rob1 }
studies:
  - id: Brink 1951
    outcomes: { pain: reported }
`;

const codes = (text: string) => analyseText(text).diagnostics.map((d) => `${d.code}:${d.severity}`);

describe("stage: protocol or review", () => {
  it("a protocol (stage absent or protocol) is asked PRISMA-P's items, and a missing status is a warning", () => {
    for (const stage of ["", "stage: protocol\n"]) {
      const found = codes(body(stage));
      assert.ok(found.includes("prisma-p-missing:information"), found.join(" "));
      assert.ok(found.includes("missing-outcome-status:warning"), found.join(" "));
    }
  });

  it("a completed review is not asked PRISMA-P's items, and a missing status is information", () => {
    const found = codes(body("stage: review\n"));
    assert.ok(!found.some((c) => c.startsWith("prisma-p-missing")), found.join(" "));
    assert.ok(found.includes("missing-outcome-status:information"), found.join(" "));
    const d = analyseText(body("stage: review\n")).diagnostics.find((x) => x.code === "missing-outcome-status")!;
    assert.equal(body("stage: review\n").slice(d.start, d.end), "outcomes", "on the study's outcomes key, as under a protocol");
  });

  it("settings still override the severity under stage: review", () => {
    const analysis = analyseText(body("stage: review\n"));
    const raised = applySettings(analysis.diagnostics, parseSettings({ severity: { "missing-outcome-status": "warning" } }));
    assert.equal(raised.find((d) => d.code === "missing-outcome-status")?.severity, "warning");
    const off = applySettings(analysis.diagnostics, parseSettings({ severity: { "missing-outcome-status": "off" } }));
    assert.equal(off.find((d) => d.code === "missing-outcome-status"), undefined);
  });

  it("a stage the format does not have is a schema-enum error, and checked as a protocol", () => {
    const found = codes(body("stage: draft\n"));
    assert.ok(found.includes("schema-enum:error"), found.join(" "));
    assert.ok(found.includes("prisma-p-missing:information"), found.join(" "));
  });

  it("the outcome matrix shows a missing status of a completed review as not recorded, and says why in its legend", () => {
    const review = plots(analyseText(body("stage: review\n"))).matrix;
    assert.match(review, /<title>Brink 1951 · fever: not recorded<\/title>/);
    assert.match(review, /not recorded — a completed review: RevMan does not record the statuses of outcomes without data/);
    const protocol = plots(analyseText(body(""))).matrix;
    assert.match(protocol, /<title>Brink 1951 · fever: no status<\/title>/);
    assert.doesNotMatch(protocol, /not recorded/);
  });

  it("hover on the stage and its value, and completion of its values with their meaning", () => {
    checkHover(body("sta$0ge: review\n"), ["**stage**", "PRISMA-P"]);
    checkHover(body("stage: rev$0iew\n"), ["**review**", "PRISMA-P is not asked", "information"]);
    checkHover(body("stage: protocol$0\n"), ["**protocol**", "PRISMA-P 2015 items are checked"]);
    checkHover(body("stage: dr$0aft\n"), ["not a stage", "**protocol**", "**review**"]);
    const items = checkCompletion(body("stage: $0\n"), ["protocol", "review"]);
    assert.match(items.find((i) => i.label === "review")!.detail ?? "", /completed review/);
    checkCompletion(body("sta$0\n"), ["stage"]);
  });

  it("the command line and the server say the same (information, no PRISMA-P) for a review", async function () {
    this.timeout(30000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rp-stage-"));
    const file = path.join(dir, "review.protocol.yaml");
    fs.writeFileSync(file, body("stage: review\n"));
    const cli = JSON.parse(spawnSync(process.execPath, [LINT, "--root", dir, "--format", "json", file], { encoding: "utf8" }).stdout) as { code: string; severity: string }[];
    assert.deepEqual(cli.filter((d) => d.code === "missing-outcome-status").map((d) => d.severity), ["information"]);
    assert.deepEqual(cli.filter((d) => d.code === "prisma-p-missing"), []);
    const client = new LspClient();
    try {
      await client.initialize(dir);
      const uri = pathToFileURL(file).href;
      await client.open(uri, body("stage: review\n"), "review-protocol", 1);
      const published = await client.diagnostics(uri);
      assert.deepEqual(published.diagnostics.filter((d) => d.code === "missing-outcome-status").map((d) => d.severity), [3], "information");
      assert.deepEqual(published.diagnostics.filter((d) => d.code === "prisma-p-missing"), []);
    } finally {
      await client.stop();
    }
  });

  it("eligibility as a text (a review's published criteria) is valid; as a mapping it still needs study_designs", () => {
    const head = body("stage: review\n");
    assert.ok(!codes(`${head}eligibility: |\n  Types of studies\n  Randomised trials\n`).some((c) => c.endsWith(":error")));
    assert.ok(codes(`${head}eligibility: { setting: any }\n`).includes("schema-required:error"));
    assert.ok(codes(`${head}eligibility: [rct]\n`).includes("schema-type:error"));
  });
});
