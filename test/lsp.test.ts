/** The language server as editors drive it: the real process over stdio, JSON-RPC messages. */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { LineIndex } from "../server/src/core/syntax/text";
import { applyEdits } from "../server/src/service/code-actions";
import { minimalHead } from "./helpers/check";
import { LspClient } from "./helpers/lsp";
import { matchSnapshot } from "./helpers/snapshot";

const ROOT = path.resolve(__dirname, "../..");
const SAMPLE = path.join(ROOT, "seeds/mms-lactation.protocol.yaml");

describe("language server over stdio", () => {
  let client: LspClient;
  const uri = pathToFileURL(SAMPLE).href;
  const text = fs.readFileSync(SAMPLE, "utf8");

  before(async () => {
    client = new LspClient();
    const result = (await client.initialize(path.join(ROOT, "seeds"))) as { capabilities: { textDocumentSync: unknown } };
    assert.ok(result.capabilities.textDocumentSync);
  });
  after(() => client.stop());

  it("publishes diagnostics on open, with the version, whatever languageId the client sends", async () => {
    await client.open(uri, text, "yaml", 1);
    const published = await client.diagnostics(uri);
    assert.equal(published.version, 1);
    const warnings = published.diagnostics.filter((d) => d.code === "outcome-not-reported" && d.severity === 2);
    assert.equal(warnings.length, 3);
    assert.ok(published.diagnostics.every((d) => d.source === "review-protocol"));
    const line = text.split("\n")[warnings[0]!.range.start.line]!;
    assert.equal(line.slice(warnings[0]!.range.start.character, warnings[0]!.range.end.character), "maternal-morbidity");
  });

  it("re-publishes on an incremental change, for that version, with positions in the new text", async () => {
    const lines = text.split("\n");
    const line = lines.findIndex((l) => l.includes("other-bias: { judgement: low"));
    const character = lines[line]!.indexOf("judgement: low") + "judgement: ".length;
    await client.change(uri, 2, [{ range: { start: { line, character }, end: { line, character: character + 3 } }, text: "Low" }]);
    const published = await client.diagnostics(uri, (p) => p.version === 2);
    const invalid = published.diagnostics.find((d) => d.code === "invalid-judgement");
    assert.ok(invalid, JSON.stringify(published.diagnostics.map((d) => d.code)));
    assert.deepEqual(invalid.range, { start: { line, character }, end: { line, character: character + 3 } });
    assert.match(invalid.message, /did you mean 'low'\?/);
    assert.deepEqual((invalid.data as { suggestions: string[] }).suggestions, ["low"]);
  });

  it("after a burst of changes, the newest version's diagnostics arrive", async () => {
    for (let v = 3; v <= 12; v++) {
      await client.change(uri, v, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: v % 2 ? "#" : "" }]);
    }
    await client.change(uri, 13, [{ text }]);
    const published = await client.diagnostics(uri, (p) => p.version === 13);
    assert.equal(published.diagnostics.filter((d) => d.code === "invalid-judgement").length, 0);
  });

  it("honours severity settings sent by the client", async () => {
    client.clear();
    await client.connection.sendNotification("workspace/didChangeConfiguration", {
      settings: { reviewProtocol: { severity: { "outcome-not-reported": "off" }, prismaP: false } },
    });
    const published = await client.diagnostics(uri);
    assert.equal(published.diagnostics.filter((d) => d.code === "outcome-not-reported").length, 0);
    await client.connection.sendNotification("workspace/didChangeConfiguration", { settings: { reviewProtocol: {} } });
    const restored = await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === "outcome-not-reported"));
    assert.ok(restored);
  });

  it("does not check files that are not protocols, and clears diagnostics on close", async () => {
    const other = pathToFileURL(path.join(ROOT, "seeds", "notes.yaml")).href;
    await client.open(other, "a: [1\n");
    client.clear();
    await client.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
    const cleared = await client.diagnostics(uri);
    assert.deepEqual(cleared.diagnostics, []);
    assert.equal(client["published"].some((p) => p.uri === other), false);
  });
});

describe("language server: sources changing on disk", () => {
  let client: LspClient;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rp-lsp-"));
    client = new LspClient();
    await client.initialize(dir);
  });
  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a bibliography replaced on disk (written to a temporary file and renamed) revalidates the protocol", async () => {
    const bib = path.join(dir, "refs.bib");
    fs.writeFileSync(bib, "@article{lee2019, author = {Lee, Min}, title = {Zinc}, year = {2019}}\n");
    const protocolPath = path.join(dir, "zinc.protocol.yaml");
    const protocol = "protocol: 1\ntitle: A protocol\ntype: intervention\nquestion: {}\noutcomes: [{ id: death, name: Death, role: primary }]\nbias: { tool: rob1 }\nrationale: See [@lee2019; @osei2020].\nsources:\n  - bibliography: refs.bib\n";
    const uri = pathToFileURL(protocolPath).href;
    await client.open(uri, protocol);
    const before = await client.diagnostics(uri);
    client.clear();
    assert.deepEqual(before.diagnostics.filter((d) => d.code === "unresolved-citation").map((d) => d.message.match(/'([^']+)'/)?.[1]), ["osei2020"]);

    const temp = path.join(dir, ".refs.bib.tmp");
    fs.writeFileSync(temp, "@article{lee2019, author = {Lee, Min}, title = {Zinc}, year = {2019}}\n@article{osei2020, author = {Osei, Kofi}, title = {More zinc}, year = {2020}}\n");
    fs.renameSync(temp, bib);
    await client.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: pathToFileURL(bib).href, type: 2 }] });
    // Waits for the event the change must cause (a timeout fails the test).
    const after = await client.diagnostics(uri, (p) => !p.diagnostics.some((d) => d.code === "unresolved-citation"));
    assert.equal(after.version, 1, "the document was not reopened or changed");
  });

  it("registers a file watcher with clients that support it", () => {
    assert.ok(client.serverRequests.includes("client/registerCapability"));
  });
});

describe("language server: hover, definition and references over stdio", () => {
  let client: LspClient;
  const uri = pathToFileURL(SAMPLE).href;
  const text = fs.readFileSync(SAMPLE, "utf8");
  const positionOf = (needle: string, within: number) => {
    const offset = text.indexOf(needle) + within;
    const before = text.slice(0, offset).split("\n");
    return { line: before.length - 1, character: before[before.length - 1]!.length };
  };

  before(async () => {
    client = new LspClient();
    const init = (await client.initialize(ROOT)) as { capabilities: Record<string, unknown> };
    for (const c of ["hoverProvider", "definitionProvider", "referencesProvider"]) assert.ok(init.capabilities[c], c);
    await client.open(uri, text);
    await client.diagnostics(uri);
  });
  after(() => client.stop());

  it("hover on the MaPPS substudy's citation shows its title and DOI", async () => {
    const result = (await client.connection.sendRequest("textDocument/hover", { textDocument: { uri }, position: positionOf("cite: baxter2025", 9) })) as {
      contents: { kind: string; value: string };
      range: unknown;
    };
    assert.equal(result.contents.kind, "markdown");
    assert.match(result.contents.value, /Maternal multiple micronutrient supplementation in rural Pakistan/);
    assert.match(result.contents.value, /10\.1016\/j\.ajcnut\.2025\.05\.019/);
    matchSnapshot(result.contents.value);
    const p = positionOf("cite: baxter2025", 6);
    assert.deepEqual(result.range, { start: p, end: { line: p.line, character: p.character + "baxter2025".length } });
  });

  it("definition on the citation lands on the seed file's title line", async () => {
    const result = (await client.connection.sendRequest("textDocument/definition", { textDocument: { uri }, position: positionOf("cite: baxter2025", 9) })) as {
      uri: string;
      range: { start: { line: number } };
    };
    assert.equal(result.uri, pathToFileURL(path.join(ROOT, "seeds/003_762e078f2203bac8.txt")).href);
    assert.equal(result.range.start.line, 0);
  });

  it("references of a source key include every citation", async () => {
    const result = (await client.connection.sendRequest("textDocument/references", {
      textDocument: { uri },
      position: positionOf("  - key: abe2016\n", 9),
      context: { includeDeclaration: true },
    })) as { uri: string }[];
    // the sources entry, update_of, [@abe2016] in the rationale, and two studies' cite
    assert.equal(result.length, 5);
  });
});

describe("language server: quick fixes over stdio", () => {
  let client: LspClient;
  const uri = pathToFileURL(path.join(ROOT, "seeds", "edited.protocol.yaml")).href;

  before(async () => {
    client = new LspClient();
    await client.initialize(ROOT);
  });
  after(() => client.stop());

  it("a quick fix from the diagnostic completes an incomplete record; the file is then free of the warning", async () => {
    const lines = fs.readFileSync(SAMPLE, "utf8").split("\n");
    const drop = lines.findIndex((l) => l.includes("allocation-concealment: { judgement: unclear, support: not described in the substudy }"));
    const text = lines.filter((_, i) => i !== drop).join("\n");
    await client.open(uri, text, "review-protocol", 1);
    const published = await client.diagnostics(uri, (p) => p.version === 1);
    const missing = published.diagnostics.find((d) => d.code === "missing-bias-domain")!;
    assert.ok(missing);
    const actions = (await client.connection.sendRequest("textDocument/codeAction", {
      textDocument: { uri },
      range: missing.range,
      context: { diagnostics: [missing], only: ["quickfix"] },
    })) as { title: string; isPreferred?: boolean; edit: { documentChanges: { edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[] }[] } }[];
    const fix = actions.find((a) => a.isPreferred)!;
    assert.match(fix.title, /Add allocation-concealment \(not yet assessed\)/);
    const index = new LineIndex(text);
    const edits = fix.edit.documentChanges[0]!.edits.map((e) => ({ from: index.offsetAt(e.range.start), to: index.offsetAt(e.range.end), text: e.newText }));
    const fixed = applyEdits(text, edits);
    await client.change(uri, 2, [{ text: fixed }]);
    const after = await client.diagnostics(uri, (p) => p.version === 2);
    assert.equal(after.diagnostics.filter((d) => d.code === "missing-bias-domain").length, 0);
    assert.ok(fixed.includes('allocation-concealment: { judgement: , support: "" }'), "the restored domain is empty: not yet assessed");
    assert.equal(after.diagnostics.filter((d) => d.code === "bias-not-assessed").length, 1);
  });

  it("a diagnostic sent back after the document changed: its fix is built from the text now, or not offered when its target has gone", async () => {
    const staleUri = pathToFileURL(path.join(ROOT, "seeds", "stale.protocol.yaml")).href;
    const text = fs.readFileSync(SAMPLE, "utf8").replace("type: intervention", "type: intervension");
    await client.open(staleUri, text, "review-protocol", 1);
    const published = await client.diagnostics(staleUri, (p) => p.version === 1);
    const wrong = published.diagnostics.find((d) => d.code === "schema-enum")!;
    assert.ok(wrong);
    const ask = async () =>
      (await client.connection.sendRequest("textDocument/codeAction", { textDocument: { uri: staleUri }, range: wrong.range, context: { diagnostics: [wrong], only: ["quickfix"] } })) as {
        title: string;
        edit: { documentChanges: { textDocument: { version: number }; edits: { newText: string }[] }[] };
      }[];
    const before = await ask();
    assert.equal(before[0]?.title, "Change to 'intervention'");
    // The author types a line above the value (the diagnostic's range, as an editor keeps it, moves with it) …
    await client.change(staleUri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: "# a comment\n" }]);
    await client.diagnostics(staleUri, (p) => p.version === 2);
    wrong.range = { start: { line: wrong.range.start.line + 1, character: wrong.range.start.character }, end: { line: wrong.range.end.line + 1, character: wrong.range.end.character } };
    const moved = await ask();
    assert.equal(moved[0]?.edit.documentChanges[0]!.textDocument.version, 2);
    assert.equal(moved[0]?.edit.documentChanges[0]!.edits[0]!.newText, "intervention");
    // … then corrects the value by hand: the fix the old diagnostic describes has no target any more.
    const line = text.split("\n").findIndex((l) => l.includes("intervension")) + 1;
    await client.change(staleUri, 3, [{ range: { start: { line, character: 6 }, end: { line, character: 18 } }, text: "review-type" }]);
    await client.diagnostics(staleUri, (p) => p.version === 3);
    assert.deepEqual((await ask()).map((a) => a.title), []);
  });
});

describe("language server: completion over stdio", () => {
  let client: LspClient;
  const uri = pathToFileURL(path.join(ROOT, "seeds", "typing.protocol.yaml")).href;
  const text = fs.readFileSync(SAMPLE, "utf8").replace("      other-bias: { judgement: low, support: none identified }", "      other-bias: { judgement: ");
  const at = text.indexOf("other-bias: { judgement: ") + "other-bias: { judgement: ".length;
  const index = new LineIndex(text);

  before(async () => {
    client = new LspClient();
    await client.initialize(ROOT, { textDocument: { completion: { completionItem: { snippetSupport: true } }, publishDiagnostics: { versionSupport: true } } });
    await client.open(uri, text);
    await client.diagnostics(uri);
  });
  after(() => client.stop());

  it("offers the tool's judgements while the line is broken, with their meanings", async () => {
    const result = (await client.connection.sendRequest("textDocument/completion", { textDocument: { uri }, position: index.positionAt(at) })) as { label: string; detail?: string }[];
    assert.deepEqual(result.map((i) => i.label).sort(), ["high", "low", "unclear"]);
    assert.ok(result.every((i) => i.detail));
  });

  it("offers citation keys after [@", async () => {
    const offset = text.indexOf("[@flrf2024]") + 2;
    const result = (await client.connection.sendRequest("textDocument/completion", { textDocument: { uri }, position: index.positionAt(offset) })) as { label: string; textEdit: { range: unknown } }[];
    assert.ok(result.some((i) => i.label === "baxter2025"));
    assert.deepEqual(result[0]!.textEdit.range, { start: index.positionAt(offset), end: index.positionAt(offset + "flrf2024".length) });
  });
});

describe("language server: rename, outline and code lens over stdio", () => {
  let client: LspClient;
  const uri = pathToFileURL(SAMPLE).href;
  const text = fs.readFileSync(SAMPLE, "utf8");
  const index = new LineIndex(text);

  before(async () => {
    client = new LspClient();
    await client.initialize(ROOT);
    await client.open(uri, text);
    await client.diagnostics(uri);
  });
  after(() => client.stop());

  it("renames an outcome id everywhere; refuses a title with a reason", async () => {
    const offset = text.indexOf("  - id: infant-growth") + 9;
    const prepared = (await client.connection.sendRequest("textDocument/prepareRename", { textDocument: { uri }, position: index.positionAt(offset) })) as { placeholder: string };
    assert.equal(prepared.placeholder, "infant-growth");
    const edit = (await client.connection.sendRequest("textDocument/rename", { textDocument: { uri }, position: index.positionAt(offset), newName: "infant-laz" })) as {
      documentChanges: { edits: unknown[] }[];
    };
    // the declaration and the three studies' outcomes maps
    assert.equal(edit.documentChanges[0]!.edits.length, 4);
    await assert.rejects(
      client.connection.sendRequest("textDocument/prepareRename", { textDocument: { uri }, position: index.positionAt(text.indexOf("title:") + 1) }),
      /Only study, outcome, intervention and comparator ids and source keys can be renamed/,
    );
  });

  it("writes a new protocol skeleton on request (the client's New review protocol command)", async () => {
    const skeleton = (await client.connection.sendRequest("workspace/executeCommand", { command: "reviewProtocol.server.skeleton", arguments: [] })) as string;
    assert.match(skeleton, /^protocol: 1$/m);
    assert.match(skeleton, /PRISMA-P 17 Confidence in cumulative evidence/);
  });

  it("draws the plots for the extension's webviews", async () => {
    const svg = (await client.connection.sendRequest("workspace/executeCommand", { command: "reviewProtocol.server.plots", arguments: [uri, true] })) as Record<string, string>;
    // 3 studies × 7 domains: no study of the sample gives an overall judgement, so no overall column.
    assert.equal((svg.trafficLight!.match(/<g class="cell"/g) ?? []).length, 21);
    assert.match(svg.summary!, /weighted by participants/);
    assert.equal((svg.matrix!.match(/<g class="cell"/g) ?? []).length, 30);
  });

  it("answers document symbols and code lenses", async () => {
    const symbols = (await client.connection.sendRequest("textDocument/documentSymbol", { textDocument: { uri } })) as { name: string; children?: { name: string }[] }[];
    assert.deepEqual(symbols.find((s) => s.name === "studies")!.children!.map((c) => c.name), ["Sneed 1981", "Brazil trial", "Baxter 2025"]);
    const lenses = (await client.connection.sendRequest("textDocument/codeLens", { textDocument: { uri } })) as { command: { title: string } }[];
    assert.ok(lenses.some((l) => l.command.title === "RoB: 3 low · 4 unclear"), JSON.stringify(lenses.map((l) => l.command.title)));
  });
});

describe("language server: every completion kind and every quick fix over stdio", () => {
  let client: LspClient;
  const text = fs.readFileSync(SAMPLE, "utf8");

  before(async () => {
    client = new LspClient();
    await client.initialize(ROOT, { textDocument: { completion: { completionItem: { snippetSupport: true } }, publishDiagnostics: { versionSupport: true } } });
  });
  after(() => client.stop());

  const kinds: [string, string, string, string[]][] = [
    ["keys", "meta_bias: Funnel", "$0\nmeta_bias: Funnel", ["excluded_studies"]],
    ["enum values", "type: intervention", "type: $0", ["diagnostic-accuracy", "intervention"]],
    ["judgements", "      other-bias: { judgement: low, support: none identified }", "      other-bias: { judgement: $0", ["high", "low", "unclear"]],
    ["domains", "      other-bias: { judgement: low, support: none identified }\n", "      $0\n", ["other-bias"]],
    ["outcome ids", '      infant-growth: reported\n      milk-micronutrients: { status: reported, note: "higher iodine and vitamin A with MMS; not vitamins B12 or E, nor folate" }\n', "      $0\n", ["infant-growth", "milk-micronutrients"]],
    ["statuses", "      infant-growth: reported", "      infant-growth: $0", ["measured-not-reported", "not-measured", "not-reported", "partial", "reported"]],
    ["ORBIT letters", "      maternal-morbidity: { status: not-reported, note: the substudy", "      maternal-morbidity: { status: not-reported, orbit: $0, note: the substudy", ["A", "B", "C", "D", "E", "F", "G", "H", "I"]],
    ["arm ids", "    arms: [mms, ifa]", "    arms: [mms, $0]", ["ifa", "mms", "no-supplement", "placebo"]],
    ["citation keys", "    cite: baxter2025", "    cite: $0", ["abe2016", "abe2016pls", "baxter2025", "flrf2024", "hmhb2025"]],
    ["a study record", "  - id: Sneed 1981", "  - $0\n  - id: Sneed 1981", ["study (rob1)"]],
  ];
  kinds.forEach(([kind, needle, replacement, expected], i) => {
    it(`completion: ${kind}`, async () => {
      const marked = text.replace(needle, replacement);
      const offset = marked.indexOf("$0");
      const doc = marked.replace("$0", "");
      const uri = pathToFileURL(path.join(ROOT, "seeds", `completion-${i}.protocol.yaml`)).href;
      await client.open(uri, doc);
      const result = (await client.connection.sendRequest("textDocument/completion", { textDocument: { uri }, position: new LineIndex(doc).positionAt(offset) })) as { label: string }[];
      const labels = result.map((r) => r.label);
      for (const e of expected) assert.ok(labels.includes(e), `${e} not in ${labels.join(", ")}`);
    });
  });

  for (const name of ["rob1-styles.protocol.yaml", "rob2.protocol.yaml", "required.protocol.yaml"]) {
    it(`every quick fix on ${name}, applied and re-validated`, async () => {
      const file = path.join(ROOT, "test/fixtures/fixes", name);
      const uri = pathToFileURL(file).href;
      const original = fs.readFileSync(file, "utf8");
      await client.open(uri, original, "review-protocol", 1);
      const published = await client.diagnostics(uri, (p) => p.version === 1);
      let version = 1;
      let applied = 0;
      for (const d of published.diagnostics) {
        const actions = (await client.connection.sendRequest("textDocument/codeAction", { textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ["quickfix"] } })) as {
          title: string;
          isPreferred?: boolean;
          edit: { documentChanges: { edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[] }[] };
        }[];
        const fix = actions.find((a) => a.isPreferred);
        if (!fix) continue;
        const index = new LineIndex(original);
        const fixed = applyEdits(original, fix.edit.documentChanges[0]!.edits.map((e) => ({ from: index.offsetAt(e.range.start), to: index.offsetAt(e.range.end), text: e.newText })));
        version++;
        await client.change(uri, version, [{ text: fixed }]);
        const after = await client.diagnostics(uri, (p) => p.version === version);
        const count = (ds: { code?: string }[]) => ds.filter((x) => x.code === d.code).length;
        assert.ok(count(after.diagnostics) < count(published.diagnostics), `${d.code}: '${fix.title}' did not fix it`);
        assert.ok(!after.diagnostics.some((x) => x.code === "yaml-syntax"));
        // back to the original for the next diagnostic
        version++;
        await client.change(uri, version, [{ text: original }]);
        await client.diagnostics(uri, (p) => p.version === version);
        applied++;
      }
      assert.ok(applied >= 5, `${applied} fixes applied`);
    });
  }
});

describe("language server: each study under its own tool (bias.by_design) over stdio", () => {
  let client: LspClient;
  const file = path.join(ROOT, "test/fixtures/plots-input/by-design.protocol.yaml");
  const uri = pathToFileURL(file).href;
  const text = fs.readFileSync(file, "utf8");
  const index = new LineIndex(text);
  const at = (needle: string, within = 0) => index.positionAt(text.indexOf(needle) + within);

  before(async () => {
    client = new LspClient();
    await client.initialize(path.join(ROOT, "test/fixtures"), { textDocument: { completion: { completionItem: { snippetSupport: true } } } });
    await client.open(uri, text, "yaml", 1);
  });
  after(() => client.stop());

  it("a protocol mixing rct, cluster-rct and nrsi studies gets no false diagnostics", async () => {
    const published = await client.diagnostics(uri);
    assert.deepEqual(published.diagnostics.filter((d) => d.severity === 1 || d.severity === 2).map((d) => `${d.code}: ${d.message}`), []);
  });

  it("hover on a domain and a judgement speaks of the study's own tool", async () => {
    const hover = async (position: { line: number; character: number }) => {
      const card = ((await client.connection.sendRequest("textDocument/hover", { textDocument: { uri }, position })) as { contents: { value: string } } | null)?.contents.value ?? "";
      matchSnapshot(card);
      return card;
    };
    assert.match(await hover(at("timing-of-identification-and-recruitment", 3)), /\(D1b\) — RoB 2 for cluster-randomised trials/);
    assert.match(await hover(at("confounding: { judgement: serious", 3)), /Bias due to confounding\*\* \(D1\) — ROBINS-I/);
    assert.match(await hover(at("serious, support: no adjustment", 2)), /\*\*serious\*\* — Serious risk of bias/);
  });

  it("completion in each study offers its own tool's domains and judgements", async () => {
    let version = 1;
    const complete = async (edited: string, needle: string) => {
      await client.change(uri, ++version, [{ text: edited }]);
      const i = edited.indexOf(needle) + needle.length;
      const result = (await client.connection.sendRequest("textDocument/completion", { textDocument: { uri }, position: new LineIndex(edited).positionAt(i) })) as
        | { items: { label: string }[] }
        | { label: string }[];
      return (Array.isArray(result) ? result : result.items).map((x) => x.label);
    };
    const cohort = await complete(text.replace("missing-data: { judgement: no-information", "missing-data: { judgement: "), "missing-data: { judgement: ");
    assert.ok(cohort.includes("moderate") && cohort.includes("critical") && cohort.includes("no-information"), cohort.join(", "));
    const cluster = await complete(text.replace("        timing-of-identification-and-recruitment: { judgement: high, support: recruited after randomisation }\n", "        timing\n"), "        timing");
    assert.ok(cluster.includes("timing-of-identification-and-recruitment"), cluster.join(", "));
    const rct = await complete(text.replace("deviations-from-intended-interventions: { judgement: some-concerns", "deviations-from-intended-interventions: { judgement: "), "deviations-from-intended-interventions: { judgement: ");
    assert.deepEqual(rct.filter((l) => ["low", "some-concerns", "high", "no-information", "moderate"].includes(l)).sort(), ["high", "low", "some-concerns"]);
  });
});

describe("language server: completion for a client without snippet support", () => {
  let client: LspClient;
  const uri = pathToFileURL(path.join(ROOT, "seeds", "plain.protocol.yaml")).href;
  const sample = fs.readFileSync(SAMPLE, "utf8");
  const end = sample.indexOf("# analyses: the review");
  const text = sample.slice(0, end) + "  - \n" + sample.slice(end);
  before(async () => {
    client = new LspClient();
    await client.initialize(ROOT, { textDocument: { completion: { completionItem: { snippetSupport: false } } } });
    await client.open(uri, text, "yaml", 1);
    await client.diagnostics(uri);
  });
  after(() => client.stop());

  it("gets plain text, indented for the position, never a snippet", async () => {
    const position = new LineIndex(text).positionAt(end + 4);
    const result = (await client.connection.sendRequest("textDocument/completion", { textDocument: { uri }, position })) as { label: string; insertTextFormat?: number; textEdit?: { newText: string } }[] | { items: { label: string; insertTextFormat?: number; textEdit?: { newText: string } }[] };
    const items = Array.isArray(result) ? result : result.items;
    const study = items.find((i) => i.label === "study (rob1)");
    assert.ok(study, items.map((i) => i.label).join(", "));
    assert.equal(study.insertTextFormat, 1);
    assert.ok(!items.some((i) => i.insertTextFormat === 2 || /\$\{?\d/.test(i.textEdit?.newText ?? "")));
    assert.match(study.textEdit!.newText, /^id: Author Year\n {4}cite: key\n {4}design: rct\n/);
  });
});

describe("language server: whole libraries as the bibliography, indexed in a worker thread", function () {
  this.timeout(120000);
  let client: LspClient;
  let dir: string;
  let uri: string;
  let text: string;
  const line = (t: string, key: string) => t.split("\n").findIndex((l) => l.includes(key));
  const hoverAt = async (key: string, t = text) => {
    const l = line(t, `@${key}`);
    const h = await client.connection.sendRequest<{ contents: { value: string } } | null>("textDocument/hover", { textDocument: { uri }, position: { line: l, character: t.split("\n")[l]!.indexOf(`@${key}`) + 2 } });
    const card = h?.contents.value ?? "";
    matchSnapshot(card);
    return card;
  };
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rp-library-"));
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 50 * 1024 * 1024; i++) {
      const e = `@article{entry${i},\n  author = {Author${i}, A. and Other, B.},\n  title = {Trial number ${i}},\n  journal = {Journal ${i % 97}},\n  year = {${1990 + (i % 30)}},\n  abstract = {${"We did things. ".repeat(60)}}\n}\n`;
      parts.push(e);
      size += e.length;
    }
    fs.writeFileSync(path.join(dir, "library.bib"), parts.join(""));
    // RIS and CSL-JSON over the size at which libraries are indexed (1 MB), with derived keys.
    const ris: string[] = [];
    const csl: unknown[] = [];
    for (let i = 0; i < 4000; i++) {
      // One record without an ID: its key is derived (transliterated).
      ris.push(`TY  - JOUR\r\n${i === 3000 ? "" : `ID  - ris${i}\r\n`}AU  - ${i === 3000 ? "Ødegaard" : "Smith"}, B.\r\nTI  - RIS trial ${i}\r\nPY  - 2017\r\nAB  - ${"Results held. ".repeat(20)}\r\nER  - \r\n`);
      csl.push({ id: `http://zotero.org/users/1/items/X${i}`, "citation-key": `zot${i}`, type: "article-journal", title: `CSL trial ${i}`, author: [{ family: `Kjær${i}`, given: "A" }], issued: { "date-parts": [[2018]] }, abstract: "Results held. ".repeat(20) });
    }
    fs.writeFileSync(path.join(dir, "endnote.ris"), ris.join("\r\n"));
    fs.writeFileSync(path.join(dir, "zotero.json"), JSON.stringify(csl, null, 2));
    text = `protocol: 1\ntitle: T - a systematic review protocol\ntype: intervention\nquestion: {}\noutcomes: [{ id: death, name: Death, role: primary }]\nbias: { tool: rob1 }\nsources:\n  - bibliography: library.bib\n  - bibliography: endnote.ris\n  - bibliography: zotero.json\nrationale: See [@entry20000] and [@entry1].\nbackground: Also [@odegaard2017], [@zot3999] and [@nosuchentry].\n`;
    uri = pathToFileURL(path.join(dir, "review.protocol.yaml")).href;
    client = new LspClient();
    await client.initialize(dir);
  });
  after(() => client.stop());

  it("edits are answered while it is indexed; then its citations resolve and only the wrong key is unresolved", async () => {
    await client.open(uri, text, "yaml", 1);
    const first = await client.diagnostics(uri, (p) => p.version === 1);
    assert.deepEqual(first.diagnostics.filter((d) => d.code === "source-unreadable").map((d) => d.message), []);
    for (let v = 2; v <= 4; v++) {
      await client.change(uri, v, [{ range: { start: { line: 1, character: 7 }, end: { line: 1, character: 7 } }, text: "x" }]);
      await client.diagnostics(uri, (x) => x.version === v);
    }
    const resolved = await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === "unresolved-citation"));
    assert.deepEqual(resolved.diagnostics.filter((d) => d.code === "unresolved-citation").map((d) => (d.data as { key: string }).key), ["nosuchentry"]);
    assert.match(await hoverAt("entry20000"), /Trial number 20000/);
    assert.match(await hoverAt("odegaard2017"), /RIS trial 3000/);
    assert.match(await hoverAt("zot3999"), /CSL trial 3999/);
  });

  it("a changed library is re-indexed where it changed, and hovers show the new entry", async () => {
    const bib = path.join(dir, "library.bib");
    fs.writeFileSync(bib, fs.readFileSync(bib, "utf8").replace("title = {Trial number 20000}", "title = {Trial number 20000, corrected}"));
    await client.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: pathToFileURL(bib).href, type: 2 }] });
    await client.logged((m) => /Indexed library\.bib: .*re-indexed where it changed/.test(m));
    assert.match(await hoverAt("entry20000"), /Trial number 20000, corrected/);
  });
});

describe("one settings file for the editor and review-lint (review-protocol.json)", () => {
  let client: LspClient;
  let dir: string;
  const protocol = `${minimalHead("rob1")}studies:
  - id: A 2020
    outcomes: { death: reported }
  - id: B 2021
    outcomes: { death: not-reported }
`;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rp-settings-"));
    fs.writeFileSync(path.join(dir, "review-protocol.json"), JSON.stringify({ severity: { "missing-outcome-status": "off", "missing-bias-domain": "error" }, prismaP: false }));
    fs.writeFileSync(path.join(dir, "a.protocol.yaml"), protocol);
    client = new LspClient();
    await client.initialize(dir);
  });
  after(() => client.stop());

  it("review-lint and the server give the same diagnostics", async () => {
    const cli = spawnSync(process.execPath, [path.join(ROOT, "dist/review-lint.js"), "--root", dir, "--format", "json", dir], { encoding: "utf8" });
    const fromCli = (JSON.parse(cli.stdout) as { code: string; severity: string; range: { start: { line: number } } }[]).map((d) => `${d.range.start.line}:${d.code}:${d.severity}`).sort();
    const uri = pathToFileURL(path.join(dir, "a.protocol.yaml")).href;
    await client.open(uri, protocol, "yaml", 1);
    const published = await client.diagnostics(uri);
    const names = ["", "error", "warning", "information", "hint"];
    const fromServer = published.diagnostics.map((d) => `${d.range.start.line}:${d.code}:${names[d.severity ?? 1]}`).sort();
    assert.deepEqual(fromServer, fromCli);
    assert.ok(fromCli.some((x) => x.endsWith("missing-bias-domain:error")));
    assert.ok(!fromCli.some((x) => x.includes("prisma-p-missing")));
  });

  it("a malformed settings file is one diagnostic on that file, never a crash", () => {
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), "rp-settings-bad-"));
    fs.writeFileSync(path.join(bad, "review-protocol.json"), '{ "severity": { "no-such-code": "off" } }');
    fs.writeFileSync(path.join(bad, "a.protocol.yaml"), protocol);
    const cli = spawnSync(process.execPath, [path.join(ROOT, "dist/review-lint.js"), "--root", bad, "--format", "json", bad], { encoding: "utf8" });
    const diagnostics = JSON.parse(cli.stdout) as { file: string; message: string }[];
    const onSettings = diagnostics.filter((d) => d.file.endsWith("review-protocol.json"));
    assert.equal(onSettings.length, 1);
    assert.match(onSettings[0]!.message, /no-such-code/);
  });
});

describe("language server: quick fixes with tab stops for clients that take snippet edits", () => {
  let client: LspClient;
  const uri = pathToFileURL(path.join(ROOT, "seeds", "snippet.protocol.yaml")).href;
  const lines = fs.readFileSync(SAMPLE, "utf8").split("\n");
  const drop = lines.findIndex((l) => l.includes("allocation-concealment: { judgement: unclear, support: not described in the substudy }"));
  const text = lines.filter((_, i) => i !== drop).join("\n");
  before(async () => {
    client = new LspClient();
    await client.initialize(ROOT, { workspace: { workspaceEdit: { documentChanges: true, snippetEditSupport: true } } });
  });
  after(() => client.stop());

  it("an added domain's empty judgement gets a tab stop; the judgement itself stays empty", async () => {
    await client.open(uri, text, "review-protocol", 1);
    const published = await client.diagnostics(uri, (p) => p.version === 1);
    const missing = published.diagnostics.find((d) => d.code === "missing-bias-domain")!;
    const actions = (await client.connection.sendRequest("textDocument/codeAction", { textDocument: { uri }, range: missing.range, context: { diagnostics: [missing], only: ["quickfix"] } })) as {
      isPreferred?: boolean;
      edit: { documentChanges: { edits: { snippet?: { value: string }; newText?: string }[] }[] };
    }[];
    const edit = actions.find((a) => a.isPreferred)!.edit.documentChanges[0]!.edits[0]!;
    assert.equal(edit.snippet?.value, '      allocation-concealment: { judgement: ${1}, support: "" }\n');
  });
});

describe("language server: a single file opened without its folder", () => {
  let client: LspClient;
  after(() => client.stop());
  it("uses its own folder as the workspace and says so once", async () => {
    client = new LspClient();
    const messages = client.shown;
    await client.initialize(path.join(ROOT, "seeds"));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rp-single-"));
    const text = minimalHead("rob1");
    const uri = pathToFileURL(path.join(dir, "a.protocol.yaml")).href;
    await client.open(uri, text, "yaml", 1);
    await client.diagnostics(uri, (p) => p.version === 1);
    await client.change(uri, 2, [{ text: text + "# more\n" }]);
    await client.diagnostics(uri, (p) => p.version === 2);
    const about = messages.filter((m) => m.includes("without a workspace folder"));
    assert.equal(about.length, 1, messages.join("\n"));
    assert.match(about[0]!, /its own folder .* is the workspace/);
  });
});

describe("language server: deleting a folder of sources", () => {
  let client: LspClient;
  after(() => client.stop());
  it("revalidates the protocols that cite them at once (one event for the folder)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rp-folder-"));
    fs.mkdirSync(path.join(dir, "sources"));
    fs.writeFileSync(path.join(dir, "sources", "refs.bib"), "@article{lee2019, author = {Lee, Min}, title = {Zinc}, year = {2019}}\n");
    const text = minimalHead("rob1") + "rationale: See [@lee2019].\nsources:\n  - bibliography: sources/refs.bib\n";
    const uri = pathToFileURL(path.join(dir, "a.protocol.yaml")).href;
    client = new LspClient();
    await client.initialize(dir);
    await client.open(uri, text, "yaml", 1);
    const first = await client.diagnostics(uri, (p) => p.version === 1);
    assert.ok(!first.diagnostics.some((d) => d.code === "missing-source-file" || d.code === "unresolved-citation"));
    fs.rmSync(path.join(dir, "sources"), { recursive: true });
    client.clear();
    await client.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: pathToFileURL(path.join(dir, "sources")).href, type: 3 }] });
    const after = await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === "missing-source-file"));
    assert.equal(after.version, 1, "revalidated without a change to the document");
  });
});
