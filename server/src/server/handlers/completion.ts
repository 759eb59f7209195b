/** textDocument/completion: the service's items, as snippets where the client takes them. */
import type { CompletionItem } from "vscode-languageserver/node";
import { complete } from "../../service/completion";
import { toCompletionItem } from "../convert";
import type { Session } from "../session";

export function registerCompletion(session: Session): void {
  session.connection.onCompletion((params) =>
    session.guard("completion", [] as CompletionItem[], () => {
      const c = session.current(params.textDocument.uri);
      if (!c) return [];
      const snippets = session.capabilities.snippets;
      return complete(c.analysis, c.lines.offsetAt(params.position), snippets).map((item) => toCompletionItem(item, c.lines, snippets));
    }),
  );
}
