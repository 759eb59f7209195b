/** workspace/executeCommand: the new-protocol skeleton, the plots of a protocol, a RevMan import. */
import { SERVER_COMMANDS } from "../../../../schemas/src/commands";
import type { ImportReply, PlotsReply, SkeletonReply } from "../../../../schemas/src/replies";
import { protocolSkeleton } from "../../service/skeleton";
import type { Session } from "../session";

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
          try {
            return session.workspace.importReview(Buffer.from(data, "base64"), name, dir);
          } catch (e) {
            // The author learns why in a message; the command line would stop here.
            return { error: (e as Error).message } satisfies ImportReply;
          }
        }
        case SERVER_COMMANDS.plots: {
          // The pictures of a protocol, for the extension's webviews: [uri, weighted?].
          const c = typeof args[0] === "string" ? session.current(args[0]) : undefined;
          return (c ? session.workspace.plots(c.analysis, args[1] === true) : null) satisfies PlotsReply;
        }
        default:
          return null;
      }
    }),
  );
}
