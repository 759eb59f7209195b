// The standard extension integration tests, in a real VS Code.
const assert = require("node:assert/strict");
const path = require("node:path");
const vscode = require("vscode");

// The workspace is a copy of seeds/ (run.mjs and code-server.mjs open one); else seeds/ itself.
const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? path.resolve(__dirname, "../../../seeds");
const SAMPLE = path.join(folder, "mms-lactation.protocol.yaml");

/** Resolves with check()'s first truthy value, checked now and on each diagnostics or tabs change (no polling). */
function until(check, what, timeout = 60000) {
  return new Promise((resolve, reject) => {
    const subscriptions = [];
    const done = (fn, value) => {
      clearTimeout(timer);
      for (const s of subscriptions) s.dispose();
      fn(value);
    };
    const timer = setTimeout(() => done(reject, new Error(`timed out waiting for ${what}`)), timeout);
    const test = async () => {
      try {
        const value = await check();
        if (value) done(resolve, value);
      } catch (e) {
        done(reject, e);
      }
    };
    subscriptions.push(vscode.languages.onDidChangeDiagnostics(test), vscode.window.tabGroups.onDidChangeTabs(test));
    void test();
  });
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
    assert.ok(ext, "the extension is installed");
    await ext.activate();
    assert.ok(ext.isActive);
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
      // The judgement is left empty for the reviewer (never invented); bias-not-assessed says so.
      assert.match(edited.getText(), /allocation-concealment: \{ judgement: , support: "" \}/);
    } finally {
      await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
      await vscode.workspace.fs.delete(file);
    }
  });

  it("the plots command opens a webview beside the protocol", async () => {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand("reviewProtocol.showPlots");
    const webview = await until(
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes("reviewProtocol.rob")),
      "the plots webview",
    );
    assert.match(webview.label, /risk of bias/i);
  });

  it("a settings change alters a diagnostic's severity", async () => {
    const config = vscode.workspace.getConfiguration("reviewProtocol");
    const outcomes = () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === "outcome-not-reported");
    const isError = () => outcomes().length > 0 && outcomes().every((d) => d.severity === vscode.DiagnosticSeverity.Error);
    await config.update("severity", { "outcome-not-reported": "error" }, vscode.ConfigurationTarget.Workspace);
    try {
      await until(isError, "the warnings to become errors");
    } finally {
      await config.update("severity", undefined, vscode.ConfigurationTarget.Workspace);
    }
    await until(() => outcomes().filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length === 3, "the three warnings back");
  });
});
