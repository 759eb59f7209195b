/**
 * Ids as authors mean them: compared after Unicode NFC normalisation, with every
 * Unicode space taken as a plain space (contract section 5). `Müller 2019` typed
 * with a combining diaeresis, or with a no-break space, is the same id.
 */
export function normaliseId(id: string): string {
  // Printable ASCII is already NFC and has no other spaces: most ids, every edit.
  if (/^[\x20-\x7e]*$/.test(id)) return id;
  return id.normalize("NFC").replace(/\p{Zs}/gu, " ");
}

export function sameId(a: string, b: string): boolean {
  return a === b || normaliseId(a) === normaliseId(b);
}

/** The id with its invisible differences shown: `Nguyễn·2020 (U+00A0)`. */
export function showInvisible(id: string): string {
  const odd = [...id].filter((c) => /\p{Zs}/u.test(c) && c !== " ");
  const combining = /\p{M}/u.test(id) && id.normalize("NFC") !== id;
  if (!odd.length && !combining) return id;
  const shown = id.replace(/\p{Zs}/gu, (c) => (c === " " ? c : "·"));
  const codes = [...new Set(odd.map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`))];
  return `${shown} (${[...codes, ...(combining ? ["not NFC: a combining mark"] : [])].join(", ")})`;
}

/**
 * A DOI as compared and shown: without `https://doi.org/`, `http://dx.doi.org/`
 * or `doi:` (contract section 3); compare case-insensitively.
 */
export function bareDoi(doi: string): string;
export function bareDoi(doi: string | undefined): string | undefined;
export function bareDoi(doi: string | undefined): string | undefined {
  if (doi === undefined) return undefined;
  return doi
    .trim()
    .replace(/^(?:https?:\/\/)?(?:dx\.)?doi\.org\//i, "")
    .replace(/^doi:\s*/i, "")
    .replace(/[.,;]+$/, "");
}

export function sameDoi(a: string, b: string): boolean {
  return bareDoi(a).toLowerCase() === bareDoi(b).toLowerCase();
}
