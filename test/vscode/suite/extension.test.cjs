// The standard extension integration tests, in a real VS Code.
const assert = require("node:assert/strict");
const path = require("node:path");
const vscode = require("vscode");

const SAMPLE = path.resolve(__dirname, "../../../seeds/mms-lactation.protocol.yaml");

async function until(check, what) {
  for (let i = 0; i < 600; i++) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("Review Protocol in VS Code", () => {
  let doc;
  before(async () => {
    doc = await vscode.workspace.openTextDocument(SAMPLE);
    await vscode.window.showTextDocument(doc);
  });

  it("activates on a protocol and gives it the review-protocol language", async () => {
    assert.equal(doc.languageId, "review-protocol");
    const ext = vscode.extensions.all.find((e) => e.packageJSON.name === "review-protocol");
    await until(() => ext && ext.isActive, "activation");
  });

  it("shows the outcome-not-reported warnings", async () => {
    const warnings = await until(() => {
      const ds = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === "outcome-not-reported" && d.severity === vscode.DiagnosticSeverity.Warning);
      return ds.length === 3 && ds;
    }, "diagnostics");
    assert.equal(warnings.length, 3);
  });

  it("hovers a citation with its source card", async () => {
    const at = doc.positionAt(doc.getText().indexOf("cite: baxter2025") + 9);
    const hovers = await vscode.commands.executeCommand("vscode.executeHoverProvider", doc.uri, at);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === "string" ? c : c.value))).join("\n");
    assert.match(text, /Maternal multiple micronutrient supplementation in rural Pakistan/);
  });

  it("completes the tool's judgements", async () => {
    const at = doc.positionAt(doc.getText().indexOf("judgement: low, support: none identified") + 11);
    const list = await vscode.commands.executeCommand("vscode.executeCompletionItemProvider", doc.uri, at);
    const labels = list.items.map((i) => (typeof i.label === "string" ? i.label : i.label.label));
    for (const j of ["low", "unclear", "high"]) assert.ok(labels.includes(j), j);
  });

  it("a quick fix completes an incomplete record and the warning goes", async () => {
    const file = vscode.Uri.file(path.join(path.dirname(SAMPLE), "edited.protocol.yaml"));
    const text = doc.getText().replace(/\n\s+allocation-concealment: \{ judgement: unclear, support: not described in the substudy \}/, "");
    await vscode.workspace.fs.writeFile(file, Buffer.from(text));
    try {
      const edited = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(edited);
      const missing = await until(() => vscode.languages.getDiagnostics(file).find((d) => d.code === "missing-bias-domain"), "missing-bias-domain");
      const actions = await vscode.commands.executeCommand("vscode.executeCodeActionProvider", file, missing.range, vscode.CodeActionKind.QuickFix.value);
      const fix = actions.find((a) => a.isPreferred);
      assert.ok(fix && fix.edit, "a preferred quick fix");
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      await until(() => !vscode.languages.getDiagnostics(file).some((d) => d.code === "missing-bias-domain"), "the warning to go");
      assert.match(edited.getText(), /allocation-concealment: \{ judgement: unclear, support: "" \}/);
    } finally {
      await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
      await vscode.workspace.fs.delete(file);
    }
  });
});
