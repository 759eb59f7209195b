/**
 * Domain facts: risk-of-bias tools, outcome-reporting statuses, ORBIT letters,
 * PRISMA-P items, GRADE, PRISMA flow counts, meta-analysis measures, models and
 * totals, RevMan's vocabulary, one module each under domain/. They are the only place these facts
 * live (a tidy test holds it); the zod schema, every check, hover and completion
 * read them from here. Source: ../shared/design/risk-of-bias-tools.md.
 */
export * from "./domain/risk-of-bias";
export * from "./domain/reporting";
export * from "./domain/evidence";
export * from "./domain/synthesis";
export * from "./domain/revman";
export * from "./domain/datapackage";
