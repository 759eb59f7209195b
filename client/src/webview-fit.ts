/**
 * Pictures that fit the editor pane, for every webview that shows SVGs (forest
 * and funnel plots, risk of bias, the outcome matrix; summary of findings and
 * the PRISMA flow as they come). Each SVG is scaled to the pane's width through
 * its viewBox (vector, so crisp at any size), never wider than drawn unless
 * zoomed; a toolbar zooms (buttons, Ctrl/Cmd + wheel) and, when there are
 * several pictures, a picker shows one at a time. The extension may post
 * `{ type: "focus", id }` to show another (the analysis under the cursor);
 * the webview posts `{ type: "shown", id }` when the reader picks one, so the
 * extension can show it first again after a refresh. The zoom survives a
 * refresh (the webview's state).
 *
 * Use: the page's body is `fittedPictures(pictures, first)`, its style
 * includes `FIT_CSS`, and its nonce'd script includes `FIT_SCRIPT`.
 */

export interface Picture {
  /** Stable across refreshes (an analysis id, a tool id). */
  id: string;
  /** What the picker shows. */
  label: string;
  /** The SVG (or HTML holding SVGs) to fit. */
  html: string;
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The toolbar (picker when more than one, zoom) and one section per picture; `first` shown first (else the first). */
export function fittedPictures(pictures: readonly Picture[], first?: string): string {
  const shown = pictures.some((p) => p.id === first) ? first : pictures[0]?.id;
  const picker =
    pictures.length > 1
      ? `<label class="fit-picker">Show <select id="fit-picker">${pictures
          .map((p) => `<option value="${escapeHtml(p.id)}"${p.id === shown ? " selected" : ""}>${escapeHtml(p.label)}</option>`)
          .join("")}</select></label>`
      : "";
  const zoom =
    `<span class="fit-zoom" role="group" aria-label="Zoom"><button type="button" data-zoom="out" title="Zoom out (Ctrl+wheel)">−</button>` +
    `<button type="button" data-zoom="fit" title="Fit the pane's width">Fit</button><button type="button" data-zoom="in" title="Zoom in (Ctrl+wheel)">+</button>` +
    `<span id="fit-level">Fit</span></span>`;
  const sections = pictures
    .map((p) => `<section class="fit-picture" data-picture="${escapeHtml(p.id)}"${p.id === shown ? "" : " hidden"}>${p.html}</section>`)
    .join("");
  return `<div class="fit-toolbar">${picker}${zoom}</div><div id="fit-pictures">${sections}</div>`;
}

/** Scales each SVG to the pane's width; zoomed, to its drawn width times the zoom (the pane scrolls). */
export const FIT_CSS = `
.fit-toolbar{position:sticky;top:0;z-index:1;display:flex;flex-wrap:wrap;gap:8px;align-items:center;padding:6px 0;background:#fff;border-bottom:1px solid #ddd}
.fit-toolbar select{max-width:70vw}
.fit-zoom button{min-width:2em;margin-right:2px}
#fit-level{margin-left:4px;color:#555;font-size:12px}
.fit-picture svg{display:block;max-width:100%;height:auto;margin:8px 0;shape-rendering:geometricPrecision;text-rendering:geometricPrecision}
body.fit-zoomed .fit-picture svg{max-width:none}
`;

/** The webview's side: picker, zoom, focus messages, state. Plain browser JavaScript (in the page's nonce'd script). */
export const FIT_SCRIPT = `
(() => {
  const api = typeof vscode !== "undefined" ? vscode : acquireVsCodeApi();
  const state = Object.assign({ zoom: 0 }, api.getState() || {});
  const picker = document.getElementById("fit-picker");
  const level = document.getElementById("fit-level");
  const show = (id) => {
    const sections = [...document.querySelectorAll("[data-picture]")];
    if (!sections.some((s) => s.dataset.picture === id)) return;
    for (const s of sections) s.hidden = s.dataset.picture !== id;
    if (picker) picker.value = id;
  };
  // zoom 0 is "fit the pane"; otherwise a factor of the drawn size.
  const applyZoom = () => {
    document.body.classList.toggle("fit-zoomed", state.zoom > 0);
    for (const svg of document.querySelectorAll(".fit-picture svg")) {
      const drawn = Number(svg.getAttribute("width")) || svg.viewBox.baseVal.width;
      svg.style.width = state.zoom > 0 ? drawn * state.zoom + "px" : "";
    }
    if (level) level.textContent = state.zoom > 0 ? Math.round(state.zoom * 100) + "%" : "Fit";
    api.setState(state);
  };
  // From "fit", zooming starts at the scale the pane shows now.
  const currentScale = () => {
    const svg = document.querySelector(".fit-picture:not([hidden]) svg");
    const drawn = svg && (Number(svg.getAttribute("width")) || svg.viewBox.baseVal.width);
    return state.zoom > 0 ? state.zoom : svg && drawn ? svg.getBoundingClientRect().width / drawn : 1;
  };
  const zoomBy = (factor) => {
    state.zoom = Math.min(8, Math.max(0.1, currentScale() * factor));
    applyZoom();
  };
  document.addEventListener("click", (e) => {
    const button = e.target.closest("[data-zoom]");
    if (!button) return;
    if (button.dataset.zoom === "fit") state.zoom = 0, applyZoom();
    else zoomBy(button.dataset.zoom === "in" ? 1.25 : 0.8);
  });
  document.addEventListener("wheel", (e) => {
    if (!e.ctrlKey && !e.metaKey) return;
    e.preventDefault();
    zoomBy(e.deltaY < 0 ? 1.1 : 1 / 1.1);
  }, { passive: false });
  if (picker) picker.addEventListener("change", () => {
    show(picker.value);
    api.postMessage({ type: "shown", id: picker.value });
  });
  window.addEventListener("message", (e) => {
    if (e.data && e.data.type === "focus" && typeof e.data.id === "string") show(e.data.id);
  });
  applyZoom();
})();
`;
