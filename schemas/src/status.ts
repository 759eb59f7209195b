/**
 * The state of a protocol at a glance (the VS Code status bar): sent by the
 * server after each analysis to a client that asks for it (initialization
 * option `statusNotifications: true`). One definition, read by server and client.
 */

/** The notification's method. */
export const STATUS_NOTIFICATION = "reviewProtocol/status";

export interface ProtocolStatus {
  /** The protocol's document. */
  uri: string;
  /** The document version the status is of. */
  version: number;
  /** `stage: review` (a completed review) or a protocol. */
  stage: "protocol" | "review";
  /** The risk-of-bias tools' short names (`bias.tool` first, then `by_design`'s), e.g. ["RoB 1"]. */
  tools: string[];
  studies: number;
  /** Diagnostics as published (after the settings' severities). */
  errors: number;
  warnings: number;
  /** A library the protocol cites is being indexed: its citations are checked when it is ready. */
  indexing: boolean;
}
