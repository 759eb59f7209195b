/**
 * The status bar item for the active protocol: "Review · RoB 1 · 67 studies ·
 * 0 errors · 11 warnings" (what the server sends after each analysis,
 * schemas/src/status.ts), "indexing library…" while a library it cites is
 * indexed; a click opens the Problems panel showing the active file only.
 */
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { CLIENT_COMMANDS } from "../../schemas/src/commands";
import { STATUS_NOTIFICATION, type ProtocolStatus } from "../../schemas/src/status";

/** VS Code's Problems view and its "Show Active File Only" toggle. */
const PROBLEMS = "workbench.actions.view.problems";
const TOGGLE_ACTIVE_FILE = "workbench.actions.workbench.panel.markers.view.toggleActiveFile";
/** Whether this extension turned the toggle on (VS Code keeps the filter per workspace, as we keep this). */
const ACTIVE_FILE_KEY = "reviewProtocol.problemsActiveFileOnly";

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** "Review · RoB 1 · 67 studies · 0 errors · 11 warnings" */
function statusText(s: ProtocolStatus): string {
  return [s.stage === "review" ? "Review" : "Protocol", ...(s.tools.length ? [s.tools.join(" + ")] : []), count(s.studies, "study", "studies"), count(s.errors, "error"), count(s.warnings, "warning")].join(" · ");
}

export function registerStatusBar(client: LanguageClient, context: vscode.ExtensionContext): void {
  const item = vscode.window.createStatusBarItem("reviewProtocol.status", vscode.StatusBarAlignment.Left, 10);
  item.name = "Review Protocol";
  const statuses = new Map<string, ProtocolStatus>();
  const render = () => {
    const document = vscode.window.activeTextEditor?.document;
    const s = document && statuses.get(document.uri.toString());
    if (!s) return item.hide();
    const summary = statusText(s);
    item.text = `${s.indexing ? "$(sync~spin) indexing library… · " : s.errors ? "$(error) " : s.warnings ? "$(warning) " : "$(pass) "}${summary}`;
    item.tooltip = `${summary}${s.indexing ? "\nA library the protocol cites is being indexed: its citations are checked when it is ready." : ""}\nClick: the Problems panel, this file only.`;
    item.accessibilityInformation = { label: `Review Protocol: ${summary}${s.indexing ? ", indexing library" : ""}` };
    item.command = { title: "Show this protocol's problems", command: CLIENT_COMMANDS.showProblems };
    item.show();
  };
  context.subscriptions.push(
    item,
    client.onNotification(STATUS_NOTIFICATION, (s: ProtocolStatus) => {
      statuses.set(s.uri, s);
      render();
    }),
    vscode.window.onDidChangeActiveTextEditor(render),
    vscode.workspace.onDidCloseTextDocument((d) => {
      statuses.delete(d.uri.toString());
      render();
    }),
    vscode.commands.registerCommand(CLIENT_COMMANDS.showProblems, () => showProblems(context)),
  );
}

/** The Problems panel with "Show Active File Only" on (the protocol is the active file when its status item is clicked). */
async function showProblems(context: vscode.ExtensionContext): Promise<void> {
  await vscode.commands.executeCommand(PROBLEMS);
  if (context.workspaceState.get<boolean>(ACTIVE_FILE_KEY)) return;
  try {
    await vscode.commands.executeCommand(TOGGLE_ACTIVE_FILE);
    await context.workspaceState.update(ACTIVE_FILE_KEY, true);
  } catch {
    // An older VS Code without the toggle: the panel shows every file.
  }
}
