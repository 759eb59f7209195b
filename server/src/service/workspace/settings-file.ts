/**
 * `review-protocol.json` at a workspace root, read for the editor and the
 * command line alike (contract section 7): its settings under the caller's
 * (the editor's settings or the command line's --severity win, `mergeSettings`),
 * or one diagnostic on the file when it is malformed — never a crash. A file
 * is read only when it is a plain file at the root (a symbolic link could lead
 * out of the workspace); its settings are kept per root by its text.
 */
import * as nodePath from "node:path";
import { diagnostic, type Diagnostic } from "../../core/checks/diagnostics";
import { LineIndex } from "../../core/syntax/text";
import { mergeSettings, parseSettingsFile, SETTINGS_FILE, type Settings } from "../settings";
import type { FileSystem } from "./file-system";

/** The settings file as last read, and what it is worth reporting. */
export interface SettingsFileState {
  /** Its path (whether or not it is there). */
  file: string;
  /** Its text; undefined when there is none. */
  text?: string;
  /** What it sets, when it is there and well-formed. */
  settings?: Partial<Settings>;
  /** Why it cannot be used, on the file (with its lines), when it is malformed. */
  problem?: { diagnostic: Diagnostic; lines: LineIndex };
  /** Its text changed since it was last read (or it appeared): what was said about it needs saying again. */
  changed: boolean;
}

export class SettingsFiles {
  private readonly known = new Map<string, SettingsFileState>();

  constructor(private readonly fs: FileSystem) {}

  /** The root's settings file, read again; parsed only when its text changed. */
  read(root: string): SettingsFileState {
    const file = nodePath.join(root, SETTINGS_FILE);
    let text: string | undefined;
    try {
      text = this.fs.lstat(file)?.isFile ? this.fs.readFile(file) : undefined;
    } catch {
      text = undefined;
    }
    const known = this.known.get(root);
    if (known && known.text === text) return { ...known, changed: false };
    const state = parsed(file, text, known !== undefined || text !== undefined);
    this.known.set(root, state);
    return state;
  }

  /** The settings a protocol under `root` is checked with: the file's under `overrides`. */
  effective(root: string, overrides: Settings): { settings: Settings; file: SettingsFileState } {
    const file = this.read(root);
    return { settings: mergeSettings(file.settings, overrides), file };
  }
}

function parsed(file: string, text: string | undefined, changed: boolean): SettingsFileState {
  if (text === undefined) return { file, changed };
  const result = parseSettingsFile(text);
  if ("settings" in result) return { file, text, settings: result.settings, changed };
  const problem = diagnostic("schema-type", result.offset, Math.min(text.length, result.offset + 1), result.error);
  return { file, text, problem: { diagnostic: problem, lines: new LineIndex(text) }, changed };
}
