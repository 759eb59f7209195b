/**
 * User settings (`reviewProtocol.*`), defined once: the server reads them, the
 * extension manifest's `contributes.configuration` lists them, and this module
 * applies them to diagnostics.
 */
import { ALL_CODES, type Code, type Diagnostic, type Severity } from "../core/diagnostics";

export type SeveritySetting = Severity | "off";

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
