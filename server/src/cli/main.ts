import { main } from "./review-lint";

process.exitCode = main(process.argv.slice(2));
