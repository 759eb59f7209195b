/** Entry of `review-protocol-server`: LSP over --stdio (any editor) or IPC (VS Code). */
import { limitHeapHeadroom } from "./memory";
import { startServer } from "./server";

limitHeapHeadroom();
startServer();
