/**
 * Command ids: the VS Code commands the extension contributes, and the
 * workspace/executeCommand ids the server answers. One definition, read by the
 * client, the server and the manifest generator.
 */
export const CLIENT_COMMANDS = {
  newProtocol: "reviewProtocol.newProtocol",
  showPlots: "reviewProtocol.showPlots",
  showMatrix: "reviewProtocol.showMatrix",
  showForestPlots: "reviewProtocol.showForestPlots",
  showSummaryOfFindings: "reviewProtocol.showSummaryOfFindings",
  showPrismaFlow: "reviewProtocol.showPrismaFlow",
  importRm5: "reviewProtocol.importRm5",
  exportReview: "reviewProtocol.exportReview",
  /** The status bar item's click: the Problems panel, the active protocol only. */
  showProblems: "reviewProtocol.showProblems",
} as const;

export const SERVER_COMMANDS = {
  /** () -> the text of a new protocol */
  skeleton: "reviewProtocol.server.skeleton",
  /** (uri, weighted?) -> the SVGs of a protocol */
  plots: "reviewProtocol.server.plots",
  /** (base64 of an .rm5 file, name, folder) -> the imported protocol and references, or an error */
  importRm5: "reviewProtocol.server.importRm5",
  /** (uri, "rm5" | "datapackage") -> the exported files (base64) and notes, or the protocol's errors */
  exportReview: "reviewProtocol.server.exportReview",
} as const;
