/** Entry of `review-protocol-server`: LSP over --stdio (any editor) or IPC (VS Code). */
import { setFlagsFromString } from "node:v8";
import { startServer } from "./server";

// Every edit of a large protocol leaves its previous text (megabytes, in V8's
// large-object space) for the next full collection; V8's default heap growth
// lets a session's memory climb ~40 MB above what it holds before collecting.
// Favouring size keeps the server under 150 MB at 1,000 studies (docs/performance.md).
setFlagsFromString("--optimize-for-size");
startServer();
