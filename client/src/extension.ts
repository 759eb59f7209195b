/** VS Code glue only: starts the language server over IPC and shows its log. */
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

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
  };
  client = new LanguageClient("reviewProtocol", "Review Protocol", serverOptions, clientOptions);
  context.subscriptions.push(outputChannel);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
