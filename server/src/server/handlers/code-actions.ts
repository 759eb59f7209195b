/** textDocument/codeAction: each diagnostic's fixes (a pure function of its data), and fix-all. */
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
          // Pure function of the diagnostic: its start and the fixes in its data.
          for (const action of quickFixes([{ code: d.code, start: c.lines.offsetAt(d.range.start), data: d.data }])) {
            out.push(toCodeAction(uri, c.version, c.lines, action, [d], snippetEdits));
          }
        }
        const codes = new Set(params.context.diagnostics.map((d) => String(d.code)));
        for (const action of fixAll(c.analysis.diagnostics, codes)) out.push({ ...toCodeAction(uri, c.version, c.lines, action, [], snippetEdits), kind: CodeActionKind.QuickFix });
      }
      if (wants(CodeActionKind.SourceFixAll)) {
        for (const action of fixAll(c.analysis.diagnostics)) out.push(toCodeAction(uri, c.version, c.lines, action, [], snippetEdits));
      }
      return out;
    }),
  );
}
