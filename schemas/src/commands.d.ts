/**
 * Command ids: the VS Code commands the extension contributes, and the
 * workspace/executeCommand ids the server answers. One definition, read by the
 * client, the server and the manifest generator.
 */
export declare const CLIENT_COMMANDS: {
    readonly newProtocol: "reviewProtocol.newProtocol";
    readonly showPlots: "reviewProtocol.showPlots";
    readonly showMatrix: "reviewProtocol.showMatrix";
    readonly showForestPlots: "reviewProtocol.showForestPlots";
    readonly importRm5: "reviewProtocol.importRm5";
};
export declare const SERVER_COMMANDS: {
    /** () -> the text of a new protocol */
    readonly skeleton: "reviewProtocol.server.skeleton";
    /** (uri, weighted?) -> the SVGs of a protocol */
    readonly plots: "reviewProtocol.server.plots";
    /** (base64 of an .rm5 file, name, folder) -> the imported protocol and references, or an error */
    readonly importRm5: "reviewProtocol.server.importRm5";
};
