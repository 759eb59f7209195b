/** Entry of `review-protocol-server`: LSP over --stdio (any editor) or IPC (VS Code). */
import { startServer } from "./server";

startServer();
