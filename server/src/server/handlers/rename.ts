/** textDocument/prepareRename and textDocument/rename; a reason not to rename goes back to the editor. */
import { ResponseError } from "vscode-languageserver/node";
import { prepareRename, rename } from "../../service/rename";
import type { Session } from "../session";

/** LSP's RequestFailed: the editor shows the message where the user asked. */
const REQUEST_FAILED = -32803;

export function registerRename(session: Session): void {
  session.connection.onPrepareRename((params) =>
    session.guard("rename", null, () => {
      const c = session.current(params.textDocument.uri);
      if (!c) return null;
      const prepared = prepareRename(c.analysis, c.lines.offsetAt(params.position));
      if ("error" in prepared) throw new ResponseError(REQUEST_FAILED, prepared.error);
      return { range: c.lines.rangeOf(prepared.start, prepared.end), placeholder: prepared.placeholder };
    }),
  );
  session.connection.onRenameRequest((params) =>
    session.guard("rename", null, () => {
      const uri = params.textDocument.uri;
      const c = session.current(uri);
      if (!c) return null;
      const result = rename(c.analysis, c.lines.offsetAt(params.position), params.newName);
      if ("error" in result) throw new ResponseError(REQUEST_FAILED, result.error);
      return { documentChanges: [{ textDocument: { uri, version: c.version }, edits: result.map((e) => ({ range: c.lines.rangeOf(e.from, e.to), newText: e.text })) }] };
    }),
  );
}
