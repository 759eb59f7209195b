/**
 * PRISMA-P 2015 (contract section 2): each item a protocol must address, by the
 * keys that address it (domain.ts), unless the authors declare it not
 * applicable. Asked of protocols only, at the document's first key.
 */
import { PRISMA_P } from "../../../../schemas/src/domain";
import type { ParsedProtocol } from "../syntax/parse";
import { listOf } from "../syntax/suggest";
import { scalarText, stringOf, valueOf, type PathSegment, type TreeNode } from "../syntax/tree";
import { diagnostic, type Diagnostic } from "./diagnostics";

function addressed(parsed: ParsedProtocol, path: readonly string[], mentions: RegExp | undefined): boolean {
  const section = parsed.sections.find((s) => s.key === path[0]);
  if (!section) return false;
  const walk = (node: TreeNode | null | undefined, rest: readonly PathSegment[]): boolean => {
    if (!node) return false;
    if (!rest.length) {
      if (node.kind === "scalar") return node.value !== null && String(node.value).trim() !== "" && (!mentions || mentions.test(String(node.value)));
      return node.kind === "seq" ? node.items.length > 0 : node.pairs.length > 0;
    }
    const [head, ...tail] = rest;
    if (head === "*") return node.kind === "seq" && node.items.some((item) => walk(item, tail));
    return walk(valueOf(node, String(head)), tail);
  };
  return walk(section.value, path.slice(1));
}

function filled(node: TreeNode | null | undefined): boolean {
  if (!node) return false;
  if (node.kind === "scalar") return node.value !== null && node.value !== false && String(node.value).trim() !== "";
  return node.kind === "seq" ? node.items.length > 0 : node.pairs.length > 0;
}

/** What the authors list lacks for an item asked of them (3a, 3b), or undefined when complete. */
function authorsLack(parsed: ParsedProtocol, ask: NonNullable<(typeof PRISMA_P)[number]["authors"]>): string | undefined {
  const list = parsed.sections.find((s) => s.key === "authors")?.value;
  if (list?.kind !== "seq" || !list.items.length) return `add \`authors\` with ${listOf([...ask.every, ...(ask.corresponding ?? []), ...(ask.some ?? [])])}`;
  const lacks: string[] = [];
  for (const key of ask.every) {
    const without = list.items.filter((a) => !filled(valueOf(a, key))).map((a, i) => scalarText(valueOf(a, "name")) ?? `author ${i + 1}`);
    if (without.length) lacks.push(`\`${key}\` for ${listOf(without)}`);
  }
  if (ask.corresponding?.length) {
    const corresponding = list.items.find((a) => valueOf(a, "corresponding")?.kind === "scalar" && (valueOf(a, "corresponding") as { value: unknown }).value === true) ?? list.items[0]!;
    const name = scalarText(valueOf(corresponding, "name")) ?? "the corresponding author";
    for (const key of ask.corresponding) if (!filled(valueOf(corresponding, key))) lacks.push(`\`${key}\` for ${name} (the corresponding author)`);
  }
  for (const key of ask.some ?? []) if (!list.items.some((a) => filled(valueOf(a, key)))) lacks.push(`\`${key}: true\` on one author`);
  return lacks.length ? `add ${listOf(lacks)}` : undefined;
}

/** Items the authors declare not applicable (`prisma_p.not_applicable`), as item strings. */
function notApplicable(parsed: ParsedProtocol): Set<string> {
  const list = valueOf(parsed.sections.find((s) => s.key === "prisma_p")?.value, "not_applicable");
  return new Set(list?.kind === "seq" ? list.items.map(scalarText).filter((x): x is string => x !== undefined) : []);
}

export function prismaP(parsed: ParsedProtocol): Diagnostic[] {
  const out: Diagnostic[] = [];
  const skip = notApplicable(parsed);
  const title = stringOf(parsed.sections.find((s) => s.key === "title")?.value) ?? "";
  for (const item of PRISMA_P) {
    if (skip.has(item.item)) continue;
    if (item.askedIfTitle && !item.askedIfTitle.test(title)) continue;
    let how: string | undefined;
    if (item.authors) how = authorsLack(parsed, item.authors);
    else if (!item.paths.some((p) => addressed(parsed, p, item.mentions))) {
      const where = item.paths.map((p) => `\`${p.filter((x) => x !== "*").join(".")}\``).join(" or ");
      how = `add ${item.mentions ? `${where} (mentioning ${item.mentions.source})` : where}`;
    }
    if (!how) continue;
    out.push(
      diagnostic("prisma-p-missing", parsed.firstKey.start, parsed.firstKey.end, `PRISMA-P item ${item.item} (${item.title}) is not addressed: ${how}, or list '${item.item}' in prisma_p.not_applicable`, {
        item: item.item,
        paths: item.paths,
      }),
    );
  }
  return out;
}
