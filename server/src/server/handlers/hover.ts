/** textDocument/hover: the service's card as markdown. */
import { hover } from "../../service/hover";
import type { Session } from "../session";

export function registerHover(session: Session): void {
  session.connection.onHover((params) =>
    session.guard("hover", null, () => {
      const c = session.current(params.textDocument.uri);
      if (!c) return null;
      const h = hover(c.analysis, c.lines.offsetAt(params.position), (path, offset) => session.linesOfSource(path)?.positionAt(offset).line ?? 0);
      return h ? { contents: { kind: "markdown" as const, value: h.markdown }, range: c.lines.rangeOf(h.start, h.end) } : null;
    }),
  );
}
