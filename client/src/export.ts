/**
 * "Export review (RevMan 5 / data package)": the author picks the format; the
 * server exports the protocol open in the editor (refusing one with errors);
 * the file is written where the author says, never over one without asking.
 */
import * as vscode from "vscode";
import { ExecuteCommandRequest, type LanguageClient } from "vscode-languageclient/node";
import { SERVER_COMMANDS } from "../../schemas/src/commands";
import type { ExportReply } from "../../schemas/src/replies";

const FORMATS = [
  { label: "RevMan 5 file (.rm5)", format: "rm5", description: "for RevMan 5, RevMan Web's import and R meta's read.rm5" },
  { label: "Cochrane data package (.zip)", format: "datapackage", description: "version 1, as the Cochrane Library publishes one; R meta's read.cdir" },
];

export async function exportReview(client: LanguageClient): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return;
  const picked = await vscode.window.showQuickPick(FORMATS, { title: "Export review (RevMan 5 / data package)" });
  if (!picked) return;
  const uri = editor.document.uri;
  const result = (await client.sendRequest(ExecuteCommandRequest.type, { command: SERVER_COMMANDS.exportReview, arguments: [uri.toString(), picked.format] })) as ExportReply | null;
  if (!result) return;
  if ("errors" in result) {
    void vscode.window.showErrorMessage(`Not exported: the protocol has errors (the Problems panel lists them). ${result.errors.slice(0, 3).join(" · ")}`);
    return;
  }
  const folder = (
    await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, defaultUri: vscode.Uri.joinPath(uri, ".."), openLabel: "Export here", title: "Export review: where to write" })
  )?.[0];
  if (!folder) return;
  for (const f of result.files) {
    const target = vscode.Uri.joinPath(folder, f.name);
    let exists = true;
    try {
      await vscode.workspace.fs.stat(target);
    } catch {
      exists = false;
    }
    if (exists && (await vscode.window.showWarningMessage(`${f.name} already exists. Overwrite?`, { modal: true }, "Overwrite")) !== "Overwrite") return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(f.data, "base64"));
  }
  void vscode.window.showInformationMessage([`Exported ${result.files.map((f) => f.name).join(", ")}`, ...result.notes].join(" · "));
}
