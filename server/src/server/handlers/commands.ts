/** workspace/executeCommand: the new-protocol skeleton, the plots of a protocol, a RevMan import, an export. */
import { SERVER_COMMANDS } from "../../../../schemas/src/commands";
import type { ExportReply, ImportReply, PlotsReply, SkeletonReply } from "../../../../schemas/src/replies";
import { PROTOCOL_FILE } from "../../../../schemas/src/files";
import { isExportFormat } from "../../service/workspace/export";
import { plotPlaces } from "../../service/plot-places";
import { protocolSkeleton } from "../../service/skeleton";
import { withProgress } from "../progress";
import type { Session } from "../session";

/** From this many analyses (a review's worth) drawing the plots shows progress. */
const PLOTS_WITH_PROGRESS = 20;

export const COMMANDS = Object.values(SERVER_COMMANDS);

export function registerCommands(session: Session): void {
  session.connection.onExecuteCommand((params) =>
    session.guard("commands", null as unknown, () => {
      const args = params.arguments ?? [];
      switch (params.command) {
        case SERVER_COMMANDS.skeleton:
          // The text of a new protocol: the client's "New review protocol" writes it to a file.
          return protocolSkeleton(typeof args[0] === "string" ? args[0] : undefined) satisfies SkeletonReply;
        case SERVER_COMMANDS.importRm5: {
          // [base64 of the .rm5 file, output name, output folder]: the client read the file the author picked.
          const [data, name, dir] = args;
          if (typeof data !== "string" || typeof name !== "string" || typeof dir !== "string") return { error: "expected the file's bytes, a name and a folder" } satisfies ImportReply;
          // Cancellable: the server writes nothing (the client writes what comes back).
          return withProgress(session.connection, `Importing ${name}.rm5`, true, (progress): ImportReply => {
            progress.report(0, "converting and recomputing the analyses");
            let imported: ImportReply;
            try {
              imported = session.workspace.importReview(Buffer.from(data, "base64"), name, dir);
            } catch (e) {
              // The author learns why in a message; the command line would stop here.
              imported = { error: (e as Error).message };
            }
            return progress.cancelled ? { error: "cancelled; nothing written" } : imported;
          });
        }
        case SERVER_COMMANDS.plots: {
          // The pictures of a protocol, for the extension's webviews: [uri, weighted?].
          const c = typeof args[0] === "string" ? session.current(args[0]) : undefined;
          if (!c) return null satisfies PlotsReply;
          const draw = (): PlotsReply => ({ ...session.workspace.plots(c.analysis, args[1] === true), places: plotPlaces(c.analysis) });
          return c.analysis.metaAnalyses.length < PLOTS_WITH_PROGRESS ? draw() : withProgress(session.connection, `Drawing ${c.analysis.metaAnalyses.length} forest and funnel plots`, false, draw);
        }
        case SERVER_COMMANDS.exportReview: {
          // [uri, "rm5" | "datapackage"]: the files as base64, for the client to write where the author says.
          const uri = typeof args[0] === "string" ? args[0] : "";
          const c = session.current(uri);
          const text = session.documents.get(uri)?.getText();
          if (!c || text === undefined || !isExportFormat(args[1])) return { errors: ["not an open protocol, or not a format: rm5, datapackage"] } satisfies ExportReply;
          const name = decodeURIComponent(uri.slice(uri.lastIndexOf("/") + 1)).replace(PROTOCOL_FILE, "");
          const r = session.workspace.exportAnalysed(text, c.analysis, c.analysis.diagnostics, name, args[1]);
          return ("errors" in r ? r : { files: r.files.map((f) => ({ name: f.name, data: Buffer.from(f.bytes).toString("base64") })), notes: r.notes }) satisfies ExportReply;
        }
        default:
          return null;
      }
    }),
  );
}
