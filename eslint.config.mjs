// npm run lint: ESLint with typescript-eslint's recommended rules on every TypeScript source.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "out/**", "node_modules/**", ".ci-cache/**", "**/*.js", "**/*.mjs", "**/*.cjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Lines stay readable in a side-by-side diff; long literal tables and messages are the exception.
      "max-len": ["error", { code: 240, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreComments: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Escaping [ ] - / inside a character class is harmless and often clearer.
      "no-useless-escape": "off",
    },
  },
  {
    // The checking path takes input of any size: a spread argument puts every element on the stack
    // (`push(...twoHundredThousandDiagnostics)` overflows it). Append in a loop (core/arrays.ts).
    files: ["server/src/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression > SpreadElement", message: "No spread arguments on the checking path: append in a loop (appendAll) or reduce; the input may be any size" },
        { selector: "NewExpression > SpreadElement", message: "No spread arguments on the checking path: the input may be any size" },
      ],
    },
  },
  {
    // Files a reader can take in, functions a reader can hold in mind (tests excepted: a table of cases may run long).
    files: ["server/src/**/*.ts", "schemas/src/**/*.ts", "client/src/**/*.ts"],
    rules: {
      "max-lines": ["error", 500],
      "max-lines-per-function": ["error", 80],
    },
  },
);
