/**
 * Loaded by mocha (`--require`) in the runs of test/parity.test.ts: records
 * every answer a feature gives while the feature tests run, with the protocol
 * it was asked about and how many chunks each reader read for it, and writes
 * them to $PARITY_RECORD when the run ends. The protocol is parsed on the path
 * $REVIEW_PROTOCOL_PARSE names (core/parse.ts reads it).
 */
import * as fs from "node:fs";
import * as analyseModule from "../../server/src/core/analyzer/analyzer";
import type { ProtocolAnalysis as Analysis } from "../../server/src/core/analyzer/analyzer";
import { splitDocument } from "../../server/src/core/syntax/chunks";
import * as forestModule from "../../server/src/core/pictures/forest";
import * as plotsModule from "../../server/src/core/pictures/plots";
import * as resultsModule from "../../server/src/core/model/results";
import * as codeActionsModule from "../../server/src/service/code-actions";
import * as completionModule from "../../server/src/service/completion";
import * as hoverModule from "../../server/src/service/hover";
import * as navigationModule from "../../server/src/service/navigation";
import * as renameModule from "../../server/src/service/rename";
import * as symbolsModule from "../../server/src/service/symbols";
import { canonical, digest, hasAnchors } from "./parity";

/** One answer: which feature, about which protocol, and the answer's digest (its start, to show a difference). */
export interface Recorded {
  feature: string;
  fixture: string;
  answer: string;
  preview: string;
  /** How the protocol was read: chunks by the fast reader and by `yaml`, whether it can be read in chunks (no anchors), whether it parses. */
  fast: number;
  yaml: number;
  chunked: boolean;
  broken: boolean;
}

interface Reading {
  text: string;
  fast: number;
  yaml: number;
  chunked: boolean;
  broken: boolean;
}

const records: Recorded[] = [];
const readings = new WeakMap<object, Reading>();
let last: Reading = { text: "", fast: 0, yaml: 0, chunked: false, broken: false };

// Each analysis remembers how it was read.
const proto = analyseModule.ProtocolAnalyzer.prototype;
const analyse = proto.analyse;
proto.analyse = function (this: analyseModule.ProtocolAnalyzer, ...args: Parameters<typeof analyse>): Analysis {
  const analysis = analyse.apply(this, args);
  const text = args[0];
  const { fast, yaml } = analysis.parsed.readBy;
  last = { text, fast, yaml, chunked: splitDocument(text).mode === "chunks" && !hasAnchors(text), broken: analysis.parsed.errors.length > 0 };
  readings.set(analysis, last);
  return analysis;
};

// Temporary folders differ from run to run: they are not part of an answer.
const TEMPORARY = /\/tmp\/[^"\s/]+/g;

/** Wraps a module's exported function so that each call records its answer. */
function record(module: object, name: string, feature: string): void {
  const exports = module as Record<string, (...args: unknown[]) => unknown>;
  const original = exports[name]!;
  exports[name] = function (this: unknown, ...args: unknown[]) {
    const answer = original.apply(this, args);
    const reading: Reading = (args[0] !== null && typeof args[0] === "object" ? readings.get(args[0]) : undefined) ?? last;
    const text = canonical(answer).replace(TEMPORARY, "/tmp/…");
    records.push({ feature, fixture: digest(reading.text), answer: digest(text), preview: text.slice(0, 400), fast: reading.fast, yaml: reading.yaml, chunked: reading.chunked, broken: reading.broken });
    return answer;
  };
}

record(hoverModule, "hover", "hover");
record(completionModule, "complete", "completion");
record(navigationModule, "definition", "definition");
record(navigationModule, "references", "references");
record(renameModule, "prepareRename", "prepare rename");
record(renameModule, "rename", "rename");
record(symbolsModule, "documentSymbols", "document symbols");
record(symbolsModule, "codeLenses", "code lens");
record(codeActionsModule, "quickFixes", "code actions");
record(codeActionsModule, "fixAll", "fix all");
record(plotsModule, "plotData", "plot data");
record(plotsModule, "plots", "plots");
record(forestModule, "forestSvg", "forest data");
record(resultsModule, "resultsJson", "forest data");

process.on("exit", () => {
  const file = process.env.PARITY_RECORD;
  if (file) fs.writeFileSync(file, JSON.stringify(records));
});
