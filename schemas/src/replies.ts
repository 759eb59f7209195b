/**
 * What the server answers to its own requests (`workspace/executeCommand` with
 * the ids of commands.ts), declared once: the server's workspace returns these
 * types and the client reads them.
 */
import type { PlotPlace } from "./plot-places";

/** The pictures of a protocol (SVG), for the plot webviews. */
export interface Plots {
  /** The protocol's own tool (`bias.tool`). */
  trafficLight: string;
  summary: string;
  matrix: string;
  /** One traffic light and summary per tool the studies are judged with (`bias.by_design`), the protocol's first. */
  rob: { tool: string; trafficLight: string; summary: string }[];
  /** A forest plot per analysis, in the file's order. */
  forests: { id: string; svg: string }[];
  /** A funnel plot per analysis, in the file's order. */
  funnels: { id: string; svg: string }[];
  /** A summary of findings table per compare pair of the `certainty` entries: an HTML fragment for a view, and a self-contained page. */
  summaries: { experimental: string; control: string; html: string; page: string }[];
  /** The PRISMA 2020 flow diagram, when the protocol has a `flow`. */
  prismaFlow: string | null;
}

/** The pictures as the editor's webviews get them: with where each analysis is (the picker's labels, the analysis under the cursor). */
export interface PlotsWithPlaces extends Plots {
  places?: PlotPlace[];
}

/** `null` when the document is not an open protocol. */
export type PlotsReply = PlotsWithPlaces | null;

/** A RevMan review converted and checked: the files' texts and what to tell the author; or why it cannot be imported. */
export type ImportReply =
  | { protocol: string; references?: string; analyses: number; unstored: number; failures: string[]; summary: string[] }
  | { error: string; line?: number; file?: string };

/** An export (contract section 10): its files in base64, for the client to write where the author says, or the protocol's errors. */
export type ExportReply = { files: { name: string; data: string }[]; notes: string[] } | { errors: string[] };

/** The text of a new protocol. */
export type SkeletonReply = string;
