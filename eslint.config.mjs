// ESLint (flat config): typescript-eslint's type-aware rules. Layout is Prettier's job
// (.prettierrc.json); max-len catches what Prettier cannot wrap (comments, long strings excepted).
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "policy-pack/", ".bench/", "**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        projectService: {
          allowDefaultProject: ["*.mjs", "scripts/*.mjs", "bench/*.cjs", "test/engine/*.cjs", "test/support/fixtures/org-stack/*.js"],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "@pulumi/azure-native", message: "import a submodule (@pulumi/azure-native/network): the root loads every module" },
          ],
        },
      ],
      "max-len": ["error", { code: 140, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true }],
    },
  },
  {
    // Tests read JSON from child processes, emulators and plans and then assert exact values, so
    // an untyped value there is checked by the assertion that follows; product code gets no such pass.
    files: ["test/**", "bench/**"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
    },
  },
  {
    // CommonJS entry points that Pulumi's language host or Node loads as they are.
    files: ["**/*.cjs", "test/support/fixtures/org-stack/*.js"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
