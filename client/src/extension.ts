/** VS Code glue only: starts the language server over IPC, shows its log, and the commands (new protocol, plots, import, export). */
import * as vscode from "vscode";
import { CLIENT_COMMANDS, SERVER_COMMANDS } from "../../schemas/src/commands";
import { PROTOCOL_EXTENSIONS, PROTOCOL_FILE, protocolFile } from "../../schemas/src/files";
import type { SkeletonReply } from "../../schemas/src/replies";
import { exportReview } from "./export";
import { importRevMan } from "./import";
import { showPlots } from "./plots";
import { registerStatusBar } from "./status-bar";
import { ExecuteCommandRequest, LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath("dist/server.js");
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ["--nolazy", "--inspect=6009"] } },
  };
  const outputChannel = vscode.window.createOutputChannel("Review Protocol", { log: true });
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "review-protocol" },
      { scheme: "file", pattern: "**/*.protocol.{yaml,yml}" },
    ],
    synchronize: {
      configurationSection: "reviewProtocol",
      // Sources and bibliographies may have any name: the server keeps only the events it needs.
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*"),
    },
    outputChannel,
    // The status bar item's counts (schemas/src/status.ts).
    initializationOptions: { statusNotifications: true },
  };
  client = new LanguageClient("reviewProtocol", "Review Protocol", serverOptions, clientOptions);
  context.subscriptions.push(
    outputChannel,
    vscode.commands.registerCommand(CLIENT_COMMANDS.newProtocol, newProtocol),
    vscode.commands.registerCommand(CLIENT_COMMANDS.showPlots, () => client && showPlots(client, "rob")),
    vscode.commands.registerCommand(CLIENT_COMMANDS.showMatrix, () => client && showPlots(client, "matrix")),
    vscode.commands.registerCommand(CLIENT_COMMANDS.showForestPlots, () => client && showPlots(client, "forest")),
    vscode.commands.registerCommand(CLIENT_COMMANDS.showSummaryOfFindings, () => client && showPlots(client, "sof")),
    vscode.commands.registerCommand(CLIENT_COMMANDS.showPrismaFlow, () => client && showPlots(client, "flow")),
    vscode.commands.registerCommand(CLIENT_COMMANDS.importRm5, (uri?: vscode.Uri) => client && importRevMan(client, uri)),
    vscode.commands.registerCommand(CLIENT_COMMANDS.exportReview, () => client && exportReview(client)),
  );
  registerStatusBar(client, context);
  await client.start();
}

/** Asks where to save, writes a protocol skeleton covering every PRISMA-P item, and opens it. */
async function newProtocol(): Promise<void> {
  if (!client) return;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  let target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, protocolFile("review")) : undefined,
    filters: { "Review protocol": [PROTOCOL_EXTENSIONS[0].slice(1), "yaml", "yml"] },
    title: "New review protocol",
  });
  if (!target) return;
  if (!PROTOCOL_FILE.test(target.path)) target = target.with({ path: target.path.replace(/(\.ya?ml)?$/, PROTOCOL_EXTENSIONS[0]) });
  const text = (await client.sendRequest(ExecuteCommandRequest.type, { command: SERVER_COMMANDS.skeleton, arguments: [] })) as SkeletonReply;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  await vscode.window.showTextDocument(target);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
