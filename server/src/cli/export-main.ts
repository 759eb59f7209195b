import { main } from "./review-export";

process.exitCode = main(process.argv.slice(2));
