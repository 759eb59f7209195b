/**
 * Files generated from the single sources of truth (the zod schema, the domain
 * data, the settings definition): the JSON Schema, the TextMate injection
 * grammar, the snippets, and the extension manifest's contributions.
 * `npm run gen` writes them; a test fails when a checked-in copy is stale.
 */
import { ORBIT, OUTCOME_STATUSES, TOOLS, type OrbitDef } from "../../../schemas/src/domain";
import { CLIENT_COMMANDS } from "../../../schemas/src/commands";
import { studyRecordLines } from "../core/model/templates";
import { builtInToolView } from "../core/model/tools";
import { protocolJsonSchemaText } from "../../../schemas/src/json-schema";
import { PROTOCOL_EXTENSIONS, PROTOCOL_FILE_PATTERNS } from "../../../schemas/src/files";
import { SETTINGS_FILE, SETTINGS_FILE_SCHEMA, SETTINGS_SCHEMA } from "./settings";

const LANGUAGE = "review-protocol";

/** Judgement ids by what they mean, across every tool: good, concern, bad, or no judgement. */
function judgementTones(): Record<keyof typeof TONE_SCOPE, string[]> {
  const tones = { good: new Set<string>(), concern: new Set<string>(), bad: new Set<string>(), none: new Set<string>() };
  for (const tool of TOOLS) {
    for (const j of tool.judgements) {
      if (j.severity === undefined) tones.none.add(j.id);
      else if (j.severity === 0) tones.good.add(j.id);
      else if (j.severity === 1) tones.concern.add(j.id);
      else tones.bad.add(j.id);
    }
  }
  const sorted = (s: Set<string>) => [...s].sort((a, b) => b.length - a.length);
  return { good: sorted(tones.good), concern: sorted(tones.concern), bad: sorted(tones.bad), none: sorted(tones.none) };
}

const TONE_SCOPE = { good: "markup.inserted", concern: "markup.changed", bad: "markup.deleted", none: "comment" } as const;
const alternatives = (ids: readonly string[]) => [...ids].sort((a, b) => b.length - a.length).map((i) => i.replace(/[-]/g, "\\-")).join("|");
const KEY = "entity.name.tag.yaml";
const COLON = "punctuation.separator.key-value.mapping.yaml";

function injectionGrammar(): Record<string, unknown> {
  const tones = judgementTones();
  const judgementPatterns = (Object.keys(tones) as (keyof typeof tones)[])
    .filter((t) => tones[t].length)
    .map((t) => ({
      match: `\\b(judgement|overall|applicability)(\\s*)(:)(\\s*)(${alternatives(tones[t])})(?![\\w-])`,
      captures: { "1": { name: KEY }, "3": { name: COLON }, "5": { name: `${TONE_SCOPE[t]}.judgement.${t}.${LANGUAGE}` } },
    }));
  const statusTone = (id: string) => {
    const s = OUTCOME_STATUSES.find((x) => x.id === id)!;
    return s.usable ? "good" : s.givesResults ? "concern" : "bad";
  };
  const statusPatterns = (["good", "concern", "bad"] as const).map((t) => ({
    match: `(?<=:\\s)(${alternatives(OUTCOME_STATUSES.filter((s) => statusTone(s.id) === t).map((s) => s.id))})(?![\\w-])`,
    captures: { "1": { name: `${TONE_SCOPE[t]}.status.${LANGUAGE}` } },
  }));
  const orbitTone: Record<OrbitDef["risk"], "bad" | "concern" | "good"> = { high: "bad", low: "concern", none: "good" };
  const orbitPatterns = (Object.keys(orbitTone) as OrbitDef["risk"][]).map((risk) => ({
    match: `\\b(orbit)(\\s*)(:)(\\s*)([${ORBIT.filter((o) => o.risk === risk).map((o) => o.letter).join("")}])\\b`,
    captures: { "1": { name: KEY }, "3": { name: COLON }, "5": { name: `${TONE_SCOPE[orbitTone[risk]]}.orbit.${LANGUAGE}` } },
  }));
  return {
    $schema: "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
    scopeName: `${LANGUAGE}.injection`,
    injectionSelector: `L:source.${LANGUAGE} -comment -string.quoted`,
    patterns: [{ include: "#citation" }, { include: "#cite" }, { include: "#id" }, { include: "#judgement" }, { include: "#status" }, { include: "#orbit" }],
    repository: {
      citation: {
        comment: "Pandoc citations in text: [@key], [@a; @b], [see @key, p. 3]",
        match: "(?<=[\\[\\s;-])(@)([\\p{L}\\p{N}_][\\p{L}\\p{N}_:.#$%&+?<>~/-]*[\\p{L}\\p{N}_]|[\\p{L}\\p{N}_])",
        captures: { "1": { name: `punctuation.definition.citation.${LANGUAGE}` }, "2": { name: `entity.name.reference.citation.${LANGUAGE}` } },
      },
      cite: {
        comment: "Citation keys: cite, update_of, and the key of a sources entry",
        match: "\\b(cite|update_of|key)(\\s*)(:)(\\s*)([\\p{L}\\p{N}_][^\\s,}\\]#]*)",
        captures: { "1": { name: KEY }, "3": { name: COLON }, "5": { name: `entity.name.reference.citation.${LANGUAGE}` } },
      },
      id: {
        comment: "Ids of studies, outcomes, interventions and comparators",
        match: "\\b(id)(\\s*)(:)(\\s*)([^\\s,}\\]#][^,}\\]#]*?)(?=\\s*(?:[,}\\]]|#|$))",
        captures: { "1": { name: KEY }, "3": { name: COLON }, "5": { name: `entity.name.type.id.${LANGUAGE}` } },
      },
      judgement: { patterns: judgementPatterns },
      status: { patterns: statusPatterns },
      orbit: { patterns: orbitPatterns },
    },
  };
}

function baseGrammar(): Record<string, unknown> {
  return {
    $schema: "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
    name: "Review Protocol",
    scopeName: `source.${LANGUAGE}`,
    comment: "YAML; the injection grammar adds citations, judgements, statuses and ids",
    patterns: [{ include: "source.yaml" }],
  };
}

function snippets(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const def of TOOLS) {
    const tool = builtInToolView(def);
    const [first, ...rest] = studyRecordLines(tool, { outcomes: [], arms: [], snippet: true });
    out[`Study (${tool.id})`] = {
      prefix: [`study-${tool.id}`, "study"],
      description: `A study record with every ${tool.name} domain (judgements empty: not yet assessed)`,
      body: [`- ${first}`, ...rest],
    };
  }
  out["Outcome"] = {
    prefix: "outcome",
    description: "A protocol outcome",
    body: ["- id: ${1:outcome-id}", "  name: ${2:Outcome name}", "  role: ${3|primary,secondary|}", "  type: ${4|dichotomous,continuous,count,time-to-event,ordinal,qualitative|}"],
  };
  out["Source document"] = { prefix: "source", description: "A source document in the workspace", body: ["- key: ${1:author2025}", "  file: ${2:sources/file.md}"] };
  out["Bibliography"] = { prefix: "bibliography", description: "A BibTeX, RIS or CSL-JSON file", body: ["- bibliography: ${1:refs/included.bib}"] };
  return out;
}

/** The parts of package.json generated from the code. */
export function manifestContributes(): Record<string, unknown> {
  return {
    languages: [
      {
        id: LANGUAGE,
        aliases: ["Review Protocol", LANGUAGE],
        extensions: [...PROTOCOL_EXTENSIONS],
        filenamePatterns: [...PROTOCOL_FILE_PATTERNS],
        configuration: "./client/language-configuration.json",
        icon: { light: "./client/images/icon.png", dark: "./client/images/icon.png" },
      },
    ],
    grammars: [
      { language: LANGUAGE, scopeName: `source.${LANGUAGE}`, path: "./syntaxes/review-protocol.tmLanguage.json" },
      { scopeName: `${LANGUAGE}.injection`, path: "./syntaxes/review-protocol.injection.tmLanguage.json", injectTo: [`source.${LANGUAGE}`] },
    ],
    snippets: [{ language: LANGUAGE, path: "./client/snippets.json" }],
    yamlValidation: [{ fileMatch: [...PROTOCOL_FILE_PATTERNS], url: "./schemas/protocol.schema.json" }],
    jsonValidation: [{ fileMatch: SETTINGS_FILE, url: "./schemas/settings.schema.json" }],
    commands: [
      { command: CLIENT_COMMANDS.newProtocol, title: "New review protocol", category: "Review Protocol" },
      { command: CLIENT_COMMANDS.showPlots, title: "Show risk-of-bias plots", category: "Review Protocol", enablement: `editorLangId == ${LANGUAGE}` },
      { command: CLIENT_COMMANDS.showMatrix, title: "Show outcome-reporting matrix", category: "Review Protocol", enablement: `editorLangId == ${LANGUAGE}` },
      { command: CLIENT_COMMANDS.showForestPlots, title: "Show forest and funnel plots", category: "Review Protocol", enablement: `editorLangId == ${LANGUAGE}` },
      { command: CLIENT_COMMANDS.showSummaryOfFindings, title: "Show summary of findings", category: "Review Protocol", enablement: `editorLangId == ${LANGUAGE}` },
      { command: CLIENT_COMMANDS.showPrismaFlow, title: "Show PRISMA flow diagram", category: "Review Protocol", enablement: `editorLangId == ${LANGUAGE}` },
      { command: CLIENT_COMMANDS.importRm5, title: "Import RevMan review (.rm5)", category: "Review Protocol" },
      { command: CLIENT_COMMANDS.exportReview, title: "Export review (RevMan 5 / data package)", category: "Review Protocol", enablement: `editorLangId == ${LANGUAGE}` },
      { command: CLIENT_COMMANDS.showProblems, title: "Show this protocol's problems", category: "Review Protocol", enablement: `editorLangId == ${LANGUAGE}` },
    ],
    menus: {
      "editor/title": [{ command: CLIENT_COMMANDS.showPlots, when: `editorLangId == ${LANGUAGE}`, group: "navigation" }],
      "explorer/context": [{ command: CLIENT_COMMANDS.importRm5, when: "resourceExtname == .rm5", group: "navigation" }],
    },
    configuration: { title: "Review Protocol", properties: SETTINGS_SCHEMA },
    walkthroughs: [
      {
        id: "reviewProtocol.start",
        title: "Write a systematic-review protocol",
        description: "Check a protocol as you type, complete records in one click, and see the evidence.",
        steps: [
          { id: "open", title: "Open a protocol", description: `Open a ${PROTOCOL_FILE_PATTERNS[0]} file, or start one.\n[New review protocol](command:reviewProtocol.newProtocol)`, media: { markdown: "client/walkthrough/open.md" } },
          { id: "problems", title: "See what is missing", description: "Diagnostics, hover cards on citations and the domain data.\n[Open the Problems panel](command:workbench.actions.view.problems)", media: { markdown: "client/walkthrough/problems.md" } },
          { id: "fix", title: "Complete a record", description: "Quick fixes and completion from the schema and the risk-of-bias tools.", media: { markdown: "client/walkthrough/fix.md" } },
          { id: "plots", title: "See the evidence", description: "Traffic-light plots and the outcome-reporting matrix.\n[Show risk-of-bias plots](command:reviewProtocol.showPlots)", media: { markdown: "client/walkthrough/plots.md" } },
        ],
      },
    ],
  };
}

/** Top-level manifest keys generated from the code (besides `contributes`). */
export function manifestTopLevel(): Record<string, unknown> {
  return {
    capabilities: {
      // Nothing in a workspace is ever executed: the server reads protocol, source
      // and bibliography files inside the workspace as text, and nothing else.
      untrustedWorkspaces: {
        supported: true,
        description: "Review Protocol never runs code from the workspace: it reads protocols, source documents and bibliographies inside the workspace as text.",
      },
      virtualWorkspaces: { supported: "limited", description: "Source documents and bibliographies are read from the file system; in virtual workspaces citations to them stay unresolved." },
    },
  };
}

const json = (v: unknown) => JSON.stringify(v, null, 2) + "\n";

/** Every generated file, by path from the project root (package.json: only `contributes`). */
export function generatedFiles(): Record<string, string> {
  return {
    "schemas/protocol.schema.json": protocolJsonSchemaText(),
    "schemas/settings.schema.json": json(SETTINGS_FILE_SCHEMA),
    "syntaxes/review-protocol.tmLanguage.json": json(baseGrammar()),
    "syntaxes/review-protocol.injection.tmLanguage.json": json(injectionGrammar()),
    "client/snippets.json": json(snippets()),
  };
}
