/** textDocument/codeAction: each diagnostic's fixes (built from its data against the current document), and fix-all. */
import { CodeActionKind, type CodeAction } from "vscode-languageserver/node";
import { DIAGNOSTIC_SOURCE } from "../../core/checks/diagnostics";
import { fixAll, quickFixes } from "../../service/code-actions";
import { toCodeAction } from "../convert";
import type { Session } from "../session";

export function registerCodeActions(session: Session): void {
  session.connection.onCodeAction((params) =>
    session.guard("code actions", [] as CodeAction[], () => {
      const uri = params.textDocument.uri;
      const c = session.current(uri);
      if (!c) return [];
      const snippetEdits = session.capabilities.snippetEdits;
      const only = params.context.only;
      const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
      const out: CodeAction[] = [];
      if (wants(CodeActionKind.QuickFix)) {
        for (const d of params.context.diagnostics) {
          if (d.source !== DIAGNOSTIC_SOURCE || typeof d.code !== "string") continue;
          // A pure function of the diagnostic (its start now, the fixes its data describes) and the document now.
          for (const action of quickFixes(c.analysis, [{ code: d.code, start: c.lines.offsetAt(d.range.start), data: d.data }])) {
            out.push(toCodeAction(uri, c.version, c.lines, action, [d], snippetEdits));
          }
        }
        const codes = new Set(params.context.diagnostics.map((d) => String(d.code)));
        for (const action of fixAll(c.analysis, codes)) out.push({ ...toCodeAction(uri, c.version, c.lines, action, [], snippetEdits), kind: CodeActionKind.QuickFix });
      }
      if (wants(CodeActionKind.SourceFixAll)) {
        for (const action of fixAll(c.analysis)) out.push(toCodeAction(uri, c.version, c.lines, action, [], snippetEdits));
      }
      return out;
    }),
  );
}
