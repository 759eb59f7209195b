/**
 * VS Code glue for the plots: a webview beside the protocol that shows the SVGs
 * the server draws, follows the file as it changes, and jumps to a judgement
 * when its cell is clicked. No remote resources; a strict content security policy.
 */
import * as vscode from "vscode";
import { ExecuteCommandRequest, type LanguageClient } from "vscode-languageclient/node";
import { SERVER_COMMANDS } from "../../schemas/src/commands";
import { PROTOCOL_FILE_PATTERNS } from "../../schemas/src/files";

interface Plots {
  trafficLight: string;
  summary: string;
  matrix: string;
  /** One traffic light and summary per tool the studies are judged with. */
  rob?: { tool: string; trafficLight: string; summary: string }[];
  forests?: { id: string; svg: string }[];
  /** A funnel plot per analysis, in the same order as the forest plots. */
  funnels?: { id: string; svg: string }[];
  /** A summary of findings table (HTML fragment) per compare pair of the `certainty` entries. */
  summaries?: { experimental: string; control: string; html: string }[];
  /** The PRISMA 2020 flow diagram, when the protocol has a `flow`. */
  prismaFlow?: string | null;
}

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

function html(kind: Kind, plots: Plots | null, weighted: boolean): string {
  const n = nonce();
  const body = !plots
    ? `<p>Open a review protocol (${PROTOCOL_FILE_PATTERNS[0]}).</p>`
    : kind === "rob"
      ? `<label><input type="checkbox" id="weighted" ${weighted ? "checked" : ""}> weight the summaries by participants</label>` +
        (plots.rob?.length ? plots.rob : [{ tool: "", trafficLight: plots.trafficLight, summary: plots.summary }]).map((r) => `${r.trafficLight}${r.summary}`).join("")
      : kind === "sof" || kind === "flow"
        ? evidenceBody(kind, plots)
        : kind === "forest"
          ? plots.forests?.length
            ? plots.forests.map((f, i) => `<div class="analysis">${f.svg}${plots.funnels?.[i]?.svg ?? ""}</div>`).join("")
            : "<p>This protocol has no analyses yet (contract section 8: <code>analyses</code>).</p>"
          : plots.matrix;
  return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${n}';">
<style>body{background:#fff;color:#000;font-family:sans-serif} svg{display:block;margin:8px 0} [data-offset]{cursor:pointer} label{display:block;margin:12px 0 0}
.analysis{display:flex;flex-wrap:wrap;align-items:flex-start;gap:16px;border-bottom:1px solid #ddd}</style>
</head><body>${body}
<script nonce="${n}">
const vscode = acquireVsCodeApi();
document.addEventListener("click", (e) => {
  const cell = e.target.closest("[data-offset]");
  if (cell) vscode.postMessage({ type: "reveal", offset: Number(cell.dataset.offset) });
});
const box = document.getElementById("weighted");
if (box) box.addEventListener("change", () => vscode.postMessage({ type: "weighted", value: box.checked }));
</script></body></html>`;
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
  const refresh = async () => {
    const plots = (await client.sendRequest(ExecuteCommandRequest.type, {
      command: SERVER_COMMANDS.plots,
      arguments: [document.uri.toString(), weighted],
    })) as Plots | null;
    panel.webview.html = html(kind, plots, weighted);
  };
  void refresh();
  const changes = vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.document !== document) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void refresh(), 300);
  });
  panel.webview.onDidReceiveMessage(async (message: { type: string; offset?: number; value?: boolean }) => {
    if (message.type === "weighted") {
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
    if (timer) clearTimeout(timer);
  });
}
