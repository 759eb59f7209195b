/**
 * User settings (`reviewProtocol.*`), defined once: the server reads them, the
 * extension manifest's `contributes.configuration` lists them, and this module
 * applies them to diagnostics.
 */
import { ALL_CODES, type Code, type Diagnostic, type Severity } from "../core/checks/diagnostics";
import { parseJson } from "../core/syntax/text";

type SeveritySetting = Severity | "off";

export interface Settings {
  /** Per-code severity overrides, e.g. { "missing-bias-support": "off" }. */
  severity: Partial<Record<Code, SeveritySetting>>;
  /** Report PRISMA-P items the protocol does not address. */
  prismaP: boolean;
}

export const DEFAULT_SETTINGS: Settings = { severity: {}, prismaP: true };

export const SETTINGS_SECTION = "reviewProtocol";

/** The manifest's `contributes.configuration.properties`, generated from this definition. */
export const SETTINGS_SCHEMA = {
  [`${SETTINGS_SECTION}.severity`]: {
    type: "object",
    default: {},
    markdownDescription:
      "Severity per diagnostic code: `error`, `warning`, `information`, `hint` or `off`. Example: `{ \"missing-bias-support\": \"off\" }`.",
    propertyNames: { enum: ALL_CODES },
    additionalProperties: { type: "string", enum: ["error", "warning", "information", "hint", "off"] },
  },
  [`${SETTINGS_SECTION}.prismaP`]: {
    type: "boolean",
    default: true,
    description: "Report PRISMA-P 2015 items that the protocol does not address (information diagnostics).",
  },
} as const;

const LEVELS = new Set(["error", "warning", "information", "hint", "off"]);

/** Reads settings sent by a client, keeping only what is valid. */
export function parseSettings(raw: unknown): Settings {
  const settings: Settings = { severity: {}, prismaP: true };
  if (!raw || typeof raw !== "object") return settings;
  const r = raw as Record<string, unknown>;
  if (typeof r.prismaP === "boolean") settings.prismaP = r.prismaP;
  if (r.severity && typeof r.severity === "object") {
    for (const [code, level] of Object.entries(r.severity as Record<string, unknown>)) {
      if ((ALL_CODES as string[]).includes(code) && typeof level === "string" && LEVELS.has(level)) {
        settings.severity[code as Code] = level as SeveritySetting;
      }
    }
  }
  return settings;
}

export function applySettings(diagnostics: readonly Diagnostic[], settings: Settings): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (!settings.prismaP && d.code === "prisma-p-missing") continue;
    const level = settings.severity[d.code];
    if (level === "off") continue;
    out.push(level ? { ...d, severity: level } : d);
  }
  return out;
}

/** The settings file shared by the editor and `review-lint`, at the workspace root (contract section 7). */
export const SETTINGS_FILE = "review-protocol.json";

/** JSON Schema of the settings file (generated into schemas/, associated in the manifest). */
export const SETTINGS_FILE_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "Review Protocol settings (review-protocol.json)",
  description: "Settings shared by the editor and review-lint; the editor's reviewProtocol.* settings override them.",
  type: "object",
  additionalProperties: false,
  properties: {
    severity: { ...SETTINGS_SCHEMA[`${SETTINGS_SECTION}.severity`] },
    prismaP: { ...SETTINGS_SCHEMA[`${SETTINGS_SECTION}.prismaP`] },
  },
} as const;

/** A settings file's content: its settings (only what it sets), or why it cannot be used and where. */
export type SettingsFile = { settings: Partial<Settings> } | { error: string; offset: number };

/** Reads the text of `review-protocol.json`. Never throws: a malformed file is an error with its place. */
export function parseSettingsFile(text: string): SettingsFile {
  const json = parseJson(text);
  if ("error" in json) return { error: `${SETTINGS_FILE} is not valid JSON: ${json.error}`, offset: json.offset ?? 0 };
  const raw = json.value;
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return { error: `${SETTINGS_FILE} must be an object like { "severity": { "missing-bias-support": "off" }, "prismaP": true }`, offset: 0 };
  const r = raw as Record<string, unknown>;
  const unknownKeys = Object.keys(r).filter((k) => k !== "severity" && k !== "prismaP");
  if (unknownKeys.length) return { error: `${SETTINGS_FILE}: unknown setting ${unknownKeys.map((k) => `'${k}'`).join(", ")} (severity, prismaP)`, offset: Math.max(0, text.indexOf(`"${unknownKeys[0]}"`)) };
  const badCodes = r.severity && typeof r.severity === "object" ? Object.entries(r.severity as Record<string, unknown>).filter(([c, l]) => !(ALL_CODES as string[]).includes(c) || typeof l !== "string" || !LEVELS.has(l)) : [];
  if (badCodes.length) return { error: `${SETTINGS_FILE}: '${badCodes[0]![0]}': ${badCodes[0]![1]} is not a code with error, warning, information, hint or off`, offset: Math.max(0, text.indexOf(`"${badCodes[0]![0]}"`)) };
  if (r.prismaP !== undefined && typeof r.prismaP !== "boolean") return { error: `${SETTINGS_FILE}: prismaP must be true or false`, offset: Math.max(0, text.indexOf('"prismaP"')) };
  const parsed = parseSettings(r);
  return { settings: { severity: parsed.severity, ...(typeof r.prismaP === "boolean" ? { prismaP: r.prismaP } : {}) } };
}

/** The file's settings under the editor's: the editor wins per code, and for prismaP when it differs from the default. */
export function mergeSettings(file: Partial<Settings> | undefined, editor: Settings): Settings {
  return {
    severity: { ...(file?.severity ?? {}), ...editor.severity },
    prismaP: editor.prismaP !== DEFAULT_SETTINGS.prismaP ? editor.prismaP : (file?.prismaP ?? editor.prismaP),
  };
}
