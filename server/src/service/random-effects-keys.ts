/**
 * An analysis's random-effects settings — `tau2`, `ci`, `prediction` (contract
 * section 8.1) — in the editor: completion values that explain each method and
 * cite its source, and the key's hover listing them with what this analysis uses.
 * The texts are domain data (schemas/src/domain/synthesis.ts).
 */
import { RANDOM_EFFECTS_KEYS, type RandomEffectsChoice } from "../../../schemas/src/domain";
import { escapeMarkdown } from "./markdown";

export interface MethodValueItem {
  label: string;
  detail: string;
  documentation: string;
  insertText: string;
}

/** The choices of `analyses[].tau2|ci|prediction`, or undefined for another path. */
function choicesAt(path: readonly (string | number)[]): readonly RandomEffectsChoice[] | undefined {
  const key = path[path.length - 1];
  if (path.length !== 3 || path[0] !== "analyses" || typeof key !== "string" || !Object.hasOwn(RANDOM_EFFECTS_KEYS, key)) return undefined;
  return RANDOM_EFFECTS_KEYS[key];
}

const documentation = (c: RandomEffectsChoice) => `${c.description}\n\nSource: ${c.source}.`;

/** Completion values of a random-effects key, each explained with its source; undefined elsewhere. */
export function methodKeyValues(path: readonly string[]): MethodValueItem[] | undefined {
  return choicesAt(path)?.map((c) => ({ label: c.id, detail: c.name, documentation: documentation(c), insertText: c.id }));
}

/** What the hover of a random-effects key (or its value) adds: every choice explained, the one written in bold. */
export function methodKeyNote(path: readonly (string | number)[], written: string | undefined): string | undefined {
  const choices = choicesAt(path);
  if (!choices) return undefined;
  const lines = choices.map((c) => {
    const name = c.id === written ? `**\`${c.id}\`** (this analysis)` : `\`${c.id}\``;
    return `${name}: ${escapeMarkdown(c.name)}. ${escapeMarkdown(c.description)} _Source: ${escapeMarkdown(c.source)}._`;
  });
  return `\n\n${lines.join("\n\n")}`;
}
