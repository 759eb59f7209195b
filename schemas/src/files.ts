/**
 * The names of the files the tools read and write, in one place: protocols
 * (`*.protocol.yaml`), and what review-lint (`--plots`, `--results`) and
 * review-import write. Shared by the server, the command line, the client and
 * the manifest (server/src/service/artifacts.ts); a tidy test keeps these names
 * out of every other file.
 */

/** A protocol's file name ends so; the first is what the tools write. */
export const PROTOCOL_EXTENSIONS = [".protocol.yaml", ".protocol.yml"] as const;

/** Glob patterns of protocol files (the manifest, messages): `*.protocol.yaml`, `*.protocol.yml`. */
export const PROTOCOL_FILE_PATTERNS: readonly string[] = PROTOCOL_EXTENSIONS.map((e) => `*${e}`);

/** A path that names a protocol. */
export const PROTOCOL_FILE = /\.protocol\.ya?ml$/;

/** The protocol file of a protocol named `name` (`name.protocol.yaml`). */
export function protocolFile(name: string): string {
  return `${name}${PROTOCOL_EXTENSIONS[0]}`;
}

/** A protocol's path without its extension (`reviews/a.protocol.yaml` → `reviews/a`). */
export function protocolName(path: string): string {
  return path.replace(PROTOCOL_FILE, "");
}

/** The bibliography review-import writes beside a protocol named `name` (CSL-JSON). */
export function referencesFile(name: string): string {
  return `${name}.references.json`;
}

/** The numbers review-lint --results writes for a protocol named `name`. */
export function resultsFile(name: string): string {
  return `${name}.results.json`;
}

/** The pictures review-lint --plots writes for a protocol; `tool`: the risk-of-bias pictures of a tool other than the protocol's own. */
export const PLOT_FILES = {
  trafficLight: (tool?: string) => (tool === undefined ? "rob-traffic-light.svg" : `rob-traffic-light-${tool}.svg`),
  summary: (tool?: string) => (tool === undefined ? "rob-summary.svg" : `rob-summary-${tool}.svg`),
  outcomeMatrix: "outcome-matrix.svg",
  forest: (analysis: string) => `forest-${analysis}.svg`,
  funnel: (analysis: string) => `funnel-${analysis}.svg`,
  /** The summary of findings table of a compare pair, a self-contained HTML page. */
  summaryOfFindings: (experimental: string, control: string) => `sof-${experimental}-vs-${control}.html`,
  prismaFlow: "prisma-flow.svg",
};

/**
 * A Cochrane data package (contract section 10): `<ID>-files/<ID>-data.zip`
 * holding `<ID>-analysis-data/` and `<ID>-study-data/`, each file named
 * `<ID>-<suffix>`. Suffixes, and the folders they sit in.
 */
export const PACKAGE_FILES = {
  overall: "-overall-estimates-and-settings.csv",
  rows: "-data-rows.csv",
  subgroupEstimates: "-subgroup-estimates.csv",
  studies: "-study-information.csv",
  riskOfBias: "-risk-of-bias.csv",
  references: "-included.ris",
  /** A diagnostic test accuracy review's analysis file. */
  parameters: "-parameters.csv",
  analysisFolder: "-analysis-data",
  studyFolder: "-study-data",
  filesFolder: "-files",
  dataZip: "-data.zip",
} as const;

/** A path that names a data package or its data ZIP. */
export const PACKAGE_FILE = /\.zip$/i;

/** What review-export writes for a protocol named `name`: a RevMan 5 file, a data package. */
export function rm5File(name: string): string {
  return `${name}.rm5`;
}
export function packageFile(id: string): string {
  return `${id}-datapackage.zip`;
}
