/** textDocument/definition and textDocument/references, into the protocol or its source files. */
import type { Location } from "vscode-languageserver/node";
import { definition, references } from "../../service/navigation";
import { toLocation } from "../convert";
import type { Session } from "../session";

export function registerNavigation(session: Session): void {
  const sourceLines = (path: string) => session.linesOfSource(path);
  session.connection.onDefinition((params) =>
    session.guard("definition", null, () => {
      const c = session.current(params.textDocument.uri);
      if (!c) return null;
      const place = definition(c.analysis, c.lines.offsetAt(params.position));
      return place ? (toLocation(params.textDocument.uri, c.lines, place, sourceLines) ?? null) : null;
    }),
  );
  session.connection.onReferences((params) =>
    session.guard("references", null, () => {
      const c = session.current(params.textDocument.uri);
      if (!c) return null;
      const places = references(c.analysis, c.lines.offsetAt(params.position), params.context.includeDeclaration);
      return places ? places.map((p) => toLocation(params.textDocument.uri, c.lines, p, sourceLines)).filter((l): l is Location => Boolean(l)) : null;
    }),
  );
}
