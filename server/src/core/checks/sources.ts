/**
 * Checks of the `sources` section and of what the sources state: each file and
 * bibliography can be read, inside the workspace; each citation key is defined
 * once; a study's DOI and registrations agree with the source it cites.
 */
import { sameDoi } from "../model/ids";
import type { SourceDefinition, SourceProblem } from "../sources/definitions";
import { shift } from "../syntax/span";
import { diagnostic, type Diagnostic } from "./diagnostics";
import { replaceWith, withFixes } from "./fixes";
import type { StudyAt } from "./studies";

/** The problems met reading `sources`, as diagnostics (in the order they were met). */
export function sourceDiagnostics(problems: readonly SourceProblem[]): Diagnostic[] {
  return problems.map((p) => {
    const { start, end } = p.span;
    switch (p.kind) {
      case "outside":
        return diagnostic("source-outside-workspace", start, end, `'${p.written}' is outside the workspace (${p.reason}); it is not read. Open the folder that holds both the protocol and the source in the editor, or pass --root with that folder to review-lint`, { path: p.written });
      case "missing":
        return diagnostic("missing-source-file", start, end, `No file '${p.written}' (relative to the protocol's folder); fix the path or add the file`, { path: p.written });
      case "unreadable":
        return diagnostic("source-unreadable", start, end, `'${p.written}' cannot be read: ${p.reason}`, { path: p.written });
      case "entries-unreadable":
        return diagnostic("source-unreadable", start, end, `In '${p.written}', ${p.reason}`, { path: p.written });
      case "defined-twice": {
        const where = p.earlier === "file" ? "an earlier `sources` entry" : `an earlier bibliography`;
        return diagnostic("duplicate-id", start, end, `Citation key '${p.key}' is already defined by ${where}; keys must be unique across sources`, { id: p.key });
      }
      case "twice-in-file":
        return diagnostic("duplicate-id", start, end, `Citation key '${p.key}' is defined twice in '${p.written}'`, { id: p.key });
    }
  });
}

/** A study's DOI or registrations that disagree with what its cited source states. */
export function sourceMismatches(studies: readonly StudyAt[], sources: ReadonlyMap<string, SourceDefinition>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { base, checked } of studies) {
    const { cite, doi, registrations } = checked.model;
    const key = cite?.value;
    const meta = key !== undefined ? sources.get(key)?.meta : undefined;
    if (!meta) continue;
    if (doi && meta.dois.length && !meta.dois.some((d) => sameDoi(d, doi.value))) {
      const d = diagnostic(
        "source-mismatch",
        base + doi.start,
        base + doi.end,
        `DOI ${doi.value} differs from the DOI its source '${key}' states (${meta.doi}); correct it or cite the right source`,
        { value: doi.value, expected: meta.doi, source: key },
      );
      out.push(withFixes(d, meta.doi ? [replaceWith(shift(doi, base), meta.doi, `Use the source's DOI ${meta.doi}`)] : []));
    }
    if (!meta.registrations.length) continue;
    const stated = new Set(meta.registrations.map((r) => r.toLowerCase()));
    for (const reg of registrations) {
      if (stated.has(reg.value.toLowerCase())) continue;
      out.push(
        diagnostic(
          "source-mismatch",
          base + reg.start,
          base + reg.end,
          `Registration ${reg.value} is not among those its source '${key}' states (${meta.registrations.join(", ")})`,
          { value: reg.value, expected: meta.registrations, source: key },
        ),
      );
    }
  }
  return out;
}
