/** The protocol's state at a glance, sent after each analysis to a client that asked for it (the VS Code status bar). */
import { DiagnosticSeverity, type Diagnostic } from "vscode-languageserver/node";
import { STATUS_NOTIFICATION } from "../../../schemas/src/status";
import type { CheckedDocument } from "../service/workspace/workspace";
import { protocolStatus } from "../service/status";
import type { Connection } from "vscode-languageserver/node";

export function sendStatus(connection: Connection, uri: string, version: number, analysis: CheckedDocument["analysis"], published: readonly Diagnostic[]): void {
  let errors = 0;
  let warnings = 0;
  for (const d of published) {
    if (d.severity === DiagnosticSeverity.Error) errors++;
    else if (d.severity === DiagnosticSeverity.Warning) warnings++;
  }
  void connection.sendNotification(STATUS_NOTIFICATION, protocolStatus(uri, version, analysis, { errors, warnings }));
}
