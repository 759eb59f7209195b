/**
 * VS Code glue for the plots: a webview beside the protocol that shows the SVGs
 * the server draws, fitted to the pane (webview-fit.ts), follows the file as it
 * changes and the cursor from analysis to analysis, and jumps to a judgement
 * when its cell is clicked. No remote resources; a strict content security policy.
 */
import * as vscode from "vscode";
import { ExecuteCommandRequest, type LanguageClient } from "vscode-languageclient/node";
import { SERVER_COMMANDS } from "../../schemas/src/commands";
import { toolShortName } from "../../schemas/src/domain";
import { PROTOCOL_FILE_PATTERNS } from "../../schemas/src/files";
import type { PlotPlace } from "../../schemas/src/plot-places";
import type { PlotsWithPlaces as Plots, PlotsReply } from "../../schemas/src/replies";
import { FIT_CSS, FIT_SCRIPT, fittedPictures, type Picture } from "./webview-fit";

type Kind = "rob" | "matrix" | "forest" | "sof" | "flow";

const TITLES: Record<Kind, string> = { rob: "Risk of bias", matrix: "Outcome reporting", forest: "Forest and funnel plots", sof: "Summary of findings", flow: "PRISMA flow diagram" };

/** The body of a view of the evidence (summary of findings, flow diagram), or what the protocol lacks for it. */
function evidenceBody(kind: "sof" | "flow", plots: Plots): string {
  if (kind === "sof") {
    return plots.summaries?.length
      ? plots.summaries.map((t) => t.html).join("")
      : "<p>This protocol has no <code>certainty</code> entries for its analyses yet (contract section 11): the table has one row per entry.</p>";
  }
  return plots.prismaFlow ?? "<p>This protocol has no <code>flow</code> counts yet (contract section 12).</p>";
}

function nonce(): string {
  let s = "";
  for (let i = 0; i < 32; i++) s += "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[Math.floor(Math.random() * 62)];
  return s;
}

/** The pictures a view shows, one at a time when there are several. */
function pictures(kind: Kind, plots: Plots): Picture[] {
  // A summary of findings is an HTML table that reflows to the pane; the flow diagram is fitted as the plots are.
  if (kind === "sof") return [];
  if (kind === "flow") return plots.prismaFlow ? [{ id: "flow", label: "PRISMA flow diagram", html: plots.prismaFlow }] : [];
  if (kind === "matrix") return [{ id: "matrix", label: "Outcome reporting", html: plots.matrix }];
  if (kind === "rob") {
    const rob = plots.rob?.length ? plots.rob : [{ tool: "", trafficLight: plots.trafficLight, summary: plots.summary }];
    return rob.map((r) => ({ id: r.tool || "rob", label: r.tool ? toolShortName(r.tool) : "Risk of bias", html: `${r.trafficLight}${r.summary}` }));
  }
  return (plots.forests ?? []).map((f, i) => {
    const name = plots.places?.[i]?.name;
    return { id: f.id, label: name ? `${f.id} — ${name}` : f.id, html: `<div class="analysis">${f.svg}${plots.funnels?.[i]?.svg ?? ""}</div>` };
  });
}

function html(kind: Kind, plots: Plots | null, weighted: boolean, first: string | undefined): string {
  const n = nonce();
  const shown = plots ? pictures(kind, plots) : [];
  const body = !plots
    ? `<p>Open a review protocol (${PROTOCOL_FILE_PATTERNS[0]}).</p>`
    : kind === "sof" || (kind === "flow" && !shown.length)
      ? evidenceBody(kind, plots)
      : kind === "forest" && !shown.length
        ? "<p>This protocol has no analyses yet (contract section 8: <code>analyses</code>).</p>"
        : (kind === "rob" ? `<label><input type="checkbox" id="weighted" ${weighted ? "checked" : ""}> weight the summaries by participants</label>` : "") +
          fittedPictures(shown, first);
  return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${n}';">
<style>body{background:#fff;color:#000;font-family:sans-serif} [data-offset]{cursor:pointer} label{display:block;margin:12px 0 0}
.fit-toolbar label{display:inline;margin:0}${FIT_CSS}</style>
</head><body>${body}
<script nonce="${n}">
const vscode = acquireVsCodeApi();
document.addEventListener("click", (e) => {
  const cell = e.target.closest("[data-offset]");
  if (cell) vscode.postMessage({ type: "reveal", offset: Number(cell.dataset.offset) });
});
const box = document.getElementById("weighted");
if (box) box.addEventListener("change", () => vscode.postMessage({ type: "weighted", value: box.checked }));
${FIT_SCRIPT}</script></body></html>`;
}

/** Opens (or reveals) the plots of the active protocol. */
export function showPlots(client: LanguageClient, kind: Kind): void {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return;
  const document = editor.document;
  const panel = vscode.window.createWebviewPanel(
    `reviewProtocol.${kind}`,
    TITLES[kind],
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
    { enableScripts: true, localResourceRoots: [] },
  );
  let weighted = false;
  let timer: NodeJS.Timeout | undefined;
  let places: PlotPlace[] = [];
  // The picture shown: the analysis under the cursor, else the one the reader picked last.
  let current: string | undefined;
  const underCursor = () => {
    const at = vscode.window.visibleTextEditors.find((e) => e.document === document);
    const offset = document.offsetAt((at ?? editor).selection.active);
    return places.find((p) => p.start <= offset && offset < p.end)?.id;
  };
  const refresh = async () => {
    const plots = (await client.sendRequest(ExecuteCommandRequest.type, {
      command: SERVER_COMMANDS.plots,
      arguments: [document.uri.toString(), weighted],
    })) as PlotsReply;
    places = plots?.places ?? [];
    current = underCursor() ?? current;
    panel.webview.html = html(kind, plots, weighted, kind === "forest" ? current : undefined);
  };
  void refresh();
  const changes = vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.document !== document) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void refresh(), 300);
  });
  const moves = vscode.window.onDidChangeTextEditorSelection((e) => {
    if (kind !== "forest" || e.textEditor.document !== document) return;
    const id = underCursor();
    if (id && id !== current) void panel.webview.postMessage({ type: "focus", id: (current = id) });
  });
  panel.webview.onDidReceiveMessage(async (message: { type: string; offset?: number; value?: boolean; id?: string }) => {
    if (message.type === "shown") current = message.id;
    else if (message.type === "weighted") {
      weighted = Boolean(message.value);
      await refresh();
    } else if (message.type === "reveal" && typeof message.offset === "number") {
      const shown = await vscode.window.showTextDocument(document, { viewColumn: editor.viewColumn, preserveFocus: false });
      const start = document.positionAt(message.offset);
      const end = document.getWordRangeAtPosition(start, /[\w-]+/)?.end ?? start;
      shown.selection = new vscode.Selection(start, end);
      shown.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenter);
    }
  });
  panel.onDidDispose(() => {
    changes.dispose();
    moves.dispose();
    if (timer) clearTimeout(timer);
  });
}
