import { main } from "./review-import";

process.exitCode = main(process.argv.slice(2));
