/** Small helpers the SVG pictures share (forest, funnel, risk of bias). */

const FONT = `font-family="Helvetica, Arial, 'Liberation Sans', sans-serif"`;

export function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A coordinate with at most one decimal. */
export function px(x: number): string {
  return String(Math.round(x * 10) / 10);
}

/** A whole picture: white background, a title for screen readers. */
export function svgDocument(width: number, height: number, title: string, body: readonly string[], attributes = ""): string {
  const w = Math.ceil(width);
  const h = Math.ceil(height);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(title)}"${attributes} ${FONT} font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${w}" height="${h}" fill="#ffffff"/>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}
