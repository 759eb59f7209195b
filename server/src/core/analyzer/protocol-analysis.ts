/**
 * What the analysis of a protocol gives every feature: the parse, the
 * diagnostics, and the semantic model — the protocol's outcomes, arms, sources
 * and stage, each study (as read and checked, and placed at the document's
 * offsets), each meta-analysis with its results — plus the files it read.
 */
import type { CheckedStudy, StudyAt } from "../checks/studies";
import { studyContext, type StudyContext } from "../checks/study-context";
import type { Diagnostic } from "../checks/diagnostics";
import type { CertaintyEntry, FlowModel } from "../model/evidence";
import type { MetaAnalysisModel } from "../model/meta-analyses";
import type { ArmModel, OutcomeModel, SourceEntryModel, StageModel } from "../model/protocol";
import type { StudyModel } from "../model/studies";
import type { SourceDefinition, SourceOptions } from "../sources/definitions";
import type { CitationRef } from "../syntax/citations";
import type { ParsedProtocol } from "../syntax/parse";

/** Where the protocol is and what it may read. */
export type AnalyzerOptions = SourceOptions;

/** A study of the protocol: as read and checked (its chunk's coordinates, at `base`), and its model at the document's offsets. */
export interface StudyInfo extends StudyAt {
  checked: CheckedStudy;
  /** The study as typed values at the document's offsets (placed when first read). */
  readonly model: StudyModel;
}

export interface ProtocolAnalysis {
  parsed: ParsedProtocol;
  diagnostics: Diagnostic[];
  /** The protocol's tool, outcomes and arms (what the study checks were given). */
  context: StudyContext;
  /** Absolute paths of the source files and bibliographies the protocol names. */
  dependencies: string[];
  sources: Map<string, SourceDefinition>;
  /** The protocol's outcomes, as declared. */
  outcomes: OutcomeModel[];
  /** The question's arms (interventions and comparators), as declared. */
  arms: ArmModel[];
  /** The `sources` entries, as written. */
  sourceEntries: SourceEntryModel[];
  /** A whole library is being indexed (in the background): its keys are not in `sources` yet. */
  indexing?: boolean;
  studies: StudyInfo[];
  /** Citations outside the studies (the studies' are in their models). Absolute offsets. */
  citations: CitationRef[];
  /** The `analyses` section: each meta-analysis with its rows and results. */
  metaAnalyses: MetaAnalysisModel[];
  /** A protocol (the default) or a completed review (`stage: review`). */
  stage: StageModel;
  /** The `certainty` entries (GRADE per analysis), as written. */
  certainty: CertaintyEntry[];
  /** The `flow` counts (PRISMA 2020), when the file has a `flow` mapping. */
  flow?: FlowModel;
  /** The question's population as described (read when the file rates certainty: the summary of findings' heading). */
  population?: string;
}

/** The analysis of a text that is not checked, with the one diagnostic that says why. */
export function notChecked(parsed: ParsedProtocol, why: Diagnostic): ProtocolAnalysis {
  return {
    parsed,
    diagnostics: [why],
    context: studyContext(),
    dependencies: [],
    sources: new Map(),
    outcomes: [],
    arms: [],
    sourceEntries: [],
    studies: [],
    citations: [],
    metaAnalyses: [],
    stage: { review: false },
    certainty: [],
  };
}
