/** Small Markdown helpers for hover cards. */
import { bareDoi } from "../core/model/ids";

export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}\[\]<>#|])/g, "\\$1");
}

/** Authors as a card shows them: the first three, then "et al.". */
export function authorList(authors: readonly string[]): string {
  if (authors.length <= 3) return authors.join(", ");
  return `${authors.slice(0, 3).join(", ")} et al.`;
}

const REGISTRY_LINKS: [RegExp, (id: string) => string][] = [
  [/^NCT\d{8}$/, (id) => `https://clinicaltrials.gov/study/${id}`],
  [/^ISRCTN\d{8}$/, (id) => `https://www.isrctn.com/${id}`],
  [/^CRD\d{11}$/, (id) => `https://www.crd.york.ac.uk/prospero/display_record.php?RecordID=${id.slice(3)}`],
  [/^ACTRN\d{14}$/, (id) => `https://www.anzctr.org.au/${id}.aspx`],
  [/^DRKS\d{8}$/, (id) => `https://drks.de/search/en/trial/${id}`],
];

export function registrationLink(id: string): string {
  const link = REGISTRY_LINKS.find(([re]) => re.test(id));
  return link ? `[${id}](${link[1](id)})` : id;
}

export function doiLink(doi: string): string {
  const bare = bareDoi(doi);
  return `[${escapeMarkdown(bare)}](https://doi.org/${encodeURI(bare)})`;
}

/** Text with *italic* spans (from LaTeX or HTML in titles) kept as emphasis, everything else escaped. */
export function markdownWithItalics(text: string): string {
  return text
    .split(/(\*[^*\n]+\*)/)
    .map((part) => (/^\*[^*\n]+\*$/.test(part) ? `*${escapeMarkdown(part.slice(1, -1))}*` : escapeMarkdown(part)))
    .join("");
}
