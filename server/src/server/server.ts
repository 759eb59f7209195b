/**
 * LSP glue only: documents in, diagnostics out. All analysis is in ../core, all
 * editor features as plain data in ../service; each LSP feature has its handler
 * in ./handlers, every handler runs inside the session's guard, and offsets
 * become positions in ./convert.ts.
 */
import { createConnection, ProposedFeatures, type Connection } from "vscode-languageserver/node";
import { registerCodeActions } from "./handlers/code-actions";
import { registerCommands } from "./handlers/commands";
import { registerCompletion } from "./handlers/completion";
import { registerHover } from "./handlers/hover";
import { registerLifecycle } from "./handlers/lifecycle";
import { registerNavigation } from "./handlers/navigation";
import { registerRename } from "./handlers/rename";
import { registerSymbols } from "./handlers/symbols";
import { Session } from "./session";

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  const session = new Session(connection);
  for (const register of [registerLifecycle, registerHover, registerNavigation, registerCodeActions, registerCompletion, registerRename, registerSymbols, registerCommands]) register(session);
  session.documents.listen(connection);
  connection.listen();
  return connection;
}
