/** workspace/executeCommand: the new-protocol skeleton, the plots of a protocol, a RevMan import. */
import { SERVER_COMMANDS } from "../../../../schemas/src/commands";
import { plots } from "../../core/pictures/plots";
import { importReview } from "../../service/import";
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
          return protocolSkeleton(typeof args[0] === "string" ? args[0] : undefined);
        case SERVER_COMMANDS.importRm5: {
          // [base64 of the .rm5 file, output name, output folder]: the client read the file the author picked.
          const [data, name, dir] = args;
          if (typeof data !== "string" || typeof name !== "string" || typeof dir !== "string") return { error: "expected the file's bytes, a name and a folder" };
          // Cancellable: the server writes nothing (the client writes what comes back).
          return withProgress(session.connection, `Importing ${name}.rm5`, true, (progress) => {
            progress.report(0, "converting and recomputing the analyses");
            const imported = importReview(Buffer.from(data, "base64"), name, dir);
            return progress.cancelled ? { error: "cancelled; nothing written" } : imported;
          });
        }
        case SERVER_COMMANDS.plots: {
          // The pictures of a protocol, for the extension's webviews: [uri, weighted?].
          const c = typeof args[0] === "string" ? session.current(args[0]) : undefined;
          if (!c) return null;
          const draw = () => ({ ...plots(c.analysis, args[1] === true), places: plotPlaces(c.analysis) });
          return c.analysis.metaAnalyses.length < PLOTS_WITH_PROGRESS ? draw() : withProgress(session.connection, `Drawing ${c.analysis.metaAnalyses.length} forest and funnel plots`, false, draw);
        }
        default:
          return null;
      }
    }),
  );
}
