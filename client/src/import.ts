/**
 * "Import RevMan review (.rm5)": the author picks a file; the server converts it
 * (and checks every analysis against the results RevMan stored); the protocol
 * and its references are written beside the file and the protocol is opened.
 */
import * as vscode from "vscode";
import { ExecuteCommandRequest, type LanguageClient } from "vscode-languageclient/node";
import { SERVER_COMMANDS } from "../../schemas/src/commands";
import { protocolFile, referencesFile } from "../../schemas/src/files";
import type { ImportReply } from "../../schemas/src/replies";

export async function importRevMan(client: LanguageClient, picked?: vscode.Uri): Promise<void> {
  const uri =
    picked ??
    (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { "RevMan 5 review": ["rm5"] }, title: "Import RevMan review (.rm5)" }))?.[0];
  if (!uri) return;
  const bytes = await vscode.workspace.fs.readFile(uri);
  const folder = vscode.Uri.joinPath(uri, "..");
  const name = uri.path.split("/").pop()!.replace(/\.rm5$/i, "");
  const result = (await client.sendRequest(ExecuteCommandRequest.type, {
    command: SERVER_COMMANDS.importRm5,
    arguments: [Buffer.from(bytes).toString("base64"), name, folder.fsPath],
  })) as ImportReply | null;
  if (!result) return;
  if ("error" in result) {
    void vscode.window.showErrorMessage(`Cannot import ${name}.rm5${result.line ? ` (line ${result.line})` : ""}: ${result.error}`);
    return;
  }
  const protocol = vscode.Uri.joinPath(folder, protocolFile(name));
  const references = vscode.Uri.joinPath(folder, referencesFile(name));
  const targets: [vscode.Uri, string][] = [[protocol, result.protocol], ...(result.references ? [[references, result.references] as [vscode.Uri, string]] : [])];
  const existing: vscode.Uri[] = [];
  for (const [target] of targets) {
    try {
      await vscode.workspace.fs.stat(target);
      existing.push(target);
    } catch {
      // not there: fine
    }
  }
  if (existing.length) {
    const answer = await vscode.window.showWarningMessage(`${existing.map((u) => u.path.split("/").pop()).join(" and ")} already exist. Overwrite?`, { modal: true }, "Overwrite");
    if (answer !== "Overwrite") return;
  }
  for (const [target, text] of targets) await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  await vscode.window.showTextDocument(protocol);
  // The command line's summary: the analyses line first, the rest (references, not mapped, merged) after it.
  const analysesLine = result.summary.find((l) => /^\d+ analys[ie]s;/.test(l)) ?? "";
  const rest = result.summary.filter((l) => l !== analysesLine && !l.startsWith("  does not reproduce"));
  const message = [analysesLine, ...rest].filter(Boolean).join(" · ");
  if (result.failures.length) void vscode.window.showWarningMessage(`${message}. Not reproduced: ${result.failures.join(" | ")}`);
  else void vscode.window.showInformationMessage(message);
}
