/** Certainty and flow as editors get them: hover, completion, the quick fix and the pictures, from the real server over stdio. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { LineIndex } from "../server/src/core/syntax/text";
import { applyEdits } from "../server/src/service/code-actions";
import { LspClient } from "./helpers/lsp";
import { matchSnapshot } from "./helpers/snapshot";

const ROOT = path.resolve(__dirname, "../..");
const FILE = path.join(ROOT, "test/fixtures/evidence/cooling.protocol.yaml");

interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

describe("language server: certainty and flow over stdio", () => {
  let client: LspClient;
  const uri = pathToFileURL(FILE).href;
  const text = fs.readFileSync(FILE, "utf8");
  const index = new LineIndex(text);
  const at = (needle: string, within = 0) => index.positionAt(text.indexOf(needle) + within);
  const hover = async (needle: string, within: number) =>
    ((await client.connection.sendRequest("textDocument/hover", { textDocument: { uri }, position: at(needle, within) })) as { contents: { value: string } } | null)?.contents.value ?? "";

  before(async () => {
    client = new LspClient();
    await client.initialize(path.dirname(FILE), { textDocument: { completion: { completionItem: { snippetSupport: true } }, publishDiagnostics: { versionSupport: true } } });
    await client.open(uri, text, "review-protocol", 1);
    await client.diagnostics(uri);
  });
  after(() => client.stop());

  it("hover: a GRADE domain with its source, a rating, the stated level with what the ratings give, a flow box with its equation", async () => {
    const domain = await hover("indirectness:", 3);
    assert.match(domain, /\*\*Indirectness\*\* \(GRADE, rates down\)/);
    assert.match(domain, /Source: GRADE Handbook 5\.2\.5/);
    matchSnapshot(domain);
    assert.match(await hover("rating: serious", 10), /\*\*serious\*\* — Serious concern: rated down one level\./);
    const level = await hover("certainty: 'high'", 13);
    assert.match(level, /The ratings give ⊕⊕⊕◯ \*\*moderate\*\*: high \(4\) − 1 indirectness = moderate \(3\)/);
    matchSnapshot(level);
    const box = await hover("dbr_assessed:", 2);
    assert.match(box, /\*\*Reports assessed for eligibility\*\* \(PRISMA 2020\)/);
    assert.match(box, /= 73 − 3 = 70 ✓/);
    matchSnapshot(box);
  });

  it("completion: ratings with their meanings, the flow's counts not yet written in the template's order", async () => {
    const ratings = (await client.connection.sendRequest("textDocument/completion", { textDocument: { uri }, position: at("rating: serious", 8) })) as { label: string; detail?: string }[];
    assert.deepEqual(ratings.map((i) => i.label), ["no", "serious", "very-serious"]);
    assert.ok(ratings.every((i) => i.detail));
    const edited = text.replace("  new_reports: 2\n", "  new_reports: 2\n  \n");
    await client.change(uri, 2, [{ text: edited }]);
    await client.diagnostics(uri, (p) => p.version === 2);
    const counts = (await client.connection.sendRequest("textDocument/completion", {
      textDocument: { uri },
      position: new LineIndex(edited).positionAt(edited.indexOf("  new_reports: 2\n") + "  new_reports: 2\n  ".length),
    })) as { label: string; sortText?: string; documentation?: string }[];
    const labels = counts.sort((a, b) => (a.sortText ?? "").localeCompare(b.sortText ?? "")).map((i) => i.label);
    assert.deepEqual(labels.slice(0, 3), ["previous_studies", "previous_reports", "excluded_automatic"]);
    assert.ok(!labels.includes("records_screened"), "a count already written is not offered again");
    await client.change(uri, 3, [{ text }]);
    await client.diagnostics(uri, (p) => p.version === 3);
  });

  it("the quick fix of certainty-inconsistent sets the computed level in the value's quotes, keeps the comment, and the warning goes", async () => {
    const published = await client.diagnostics(uri, (p) => p.version === 3);
    const d = published.diagnostics.find((x) => x.code === "certainty-inconsistent")!;
    assert.ok(d, JSON.stringify(published.diagnostics.map((x) => x.code)));
    assert.deepEqual(d.range.start, at("'high'"));
    const actions = (await client.connection.sendRequest("textDocument/codeAction", { textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ["quickfix"] } })) as {
      title: string;
      isPreferred?: boolean;
      edit: { documentChanges: { edits: { range: Range; newText: string }[] }[] };
    }[];
    const fix = actions.find((a) => a.isPreferred)!;
    assert.equal(fix.title, "Set certainty to 'moderate' (what the ratings give)");
    const fixed = applyEdits(text, fix.edit.documentChanges[0]!.edits.map((e) => ({ from: index.offsetAt(e.range.start), to: index.offsetAt(e.range.end), text: e.newText })));
    assert.ok(fixed.includes("    certainty: 'moderate'   # as published\n"));
    await client.change(uri, 4, [{ text: fixed }]);
    const after = await client.diagnostics(uri, (p) => p.version === 4);
    assert.deepEqual(after.diagnostics.filter((x) => x.severity! <= 2).map((x) => x.code), []);
  });

  it("draws the summary of findings and the flow diagram for the extension's webviews", async () => {
    const plots = (await client.connection.sendRequest("workspace/executeCommand", { command: "reviewProtocol.server.plots", arguments: [uri, false] })) as {
      summaries: { experimental: string; control: string; html: string }[];
      prismaFlow: string;
    };
    assert.deepEqual(plots.summaries.map((s) => [s.experimental, s.control]), [["cooling", "usual"]]);
    assert.match(plots.summaries[0]!.html, /⊕⊕⊕◯ MODERATE/);
    assert.match(plots.prismaFlow, /Records screened \(n = 953\)/);
  });
});
