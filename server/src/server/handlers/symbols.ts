/** textDocument/documentSymbol (the outline) and textDocument/codeLens. */
import type { CodeLens, DocumentSymbol } from "vscode-languageserver/node";
import { codeLenses, documentSymbols } from "../../service/symbols";
import { toDocumentSymbol } from "../convert";
import type { Session } from "../session";

export function registerSymbols(session: Session): void {
  session.connection.onDocumentSymbol((params) =>
    session.guard("document symbols", [] as DocumentSymbol[], () => {
      const c = session.current(params.textDocument.uri);
      return c ? documentSymbols(c.analysis).map((s) => toDocumentSymbol(s, c.lines)) : [];
    }),
  );
  session.connection.onCodeLens((params) =>
    session.guard("code lens", [] as CodeLens[], () => {
      const c = session.current(params.textDocument.uri);
      if (!c) return [];
      return codeLenses(c.analysis).map((l) => ({ range: c.lines.rangeOf(l.offset, l.offset), command: { title: l.title, command: "" } }));
    }),
  );
}
