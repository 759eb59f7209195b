// citation-js ships no type declarations; these cover what the core uses.
declare module "@citation-js/core" {
  export const plugins: {
    input: {
      chainLink(data: unknown, options?: { forceType?: string }): unknown;
      type(data: unknown): string;
    };
  };
}
declare module "@citation-js/plugin-bibtex";
declare module "@citation-js/plugin-ris";
declare module "@citation-js/name" {
  export function parse(name: string): { family?: string; given?: string; literal?: string };
}
