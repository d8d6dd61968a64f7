// Flat config: typescript-eslint's recommended rules on top of ESLint's, plus the few house rules from STYLE.md.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [".tmp/**", "dist/**", "node_modules/**", "firmware/**", "coverage/**", "test-artifacts/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        URL: "readonly",
        Buffer: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
      },
    },
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "ExportDefaultDeclaration",
          message: "No default exports (STYLE.md): use named exports.",
        },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  { files: ["eslint.config.js", "vitest.config.ts"], rules: { "no-restricted-syntax": "off" } },
  {
    // The dashboard's browser code (plain ES modules, no build step): browser globals only, listed by hand so
    // a Node-only name (process, Buffer) used in a page is an error here, not a ReferenceError in the browser.
    files: ["engine/web/public/**/*.js"],
    languageOptions: {
      sourceType: "module",
      globals: {
        process: "off",
        Buffer: "off",
        window: "readonly",
        document: "readonly",
        location: "readonly",
        performance: "readonly",
        getComputedStyle: "readonly",
        WebSocket: "readonly",
        fetch: "readonly",
        btoa: "readonly",
        TextEncoder: "readonly",
        HTMLElement: "readonly",
        Node: "readonly",
      },
    },
  },
);
