// ESLint for the tablet app: the recommended rules, browser globals, ES modules.
// Run by `make lint` as `npx --no-install eslint frontend/js`; versions pinned in
// package-lock.json.

import js from "@eslint/js";
import globals from "globals";

export default [
  // The vendored libraries are minified builds of other projects; tests/ and the Python side
  // are not ESLint's business.
  { ignores: ["frontend/vendor/**", "node_modules/**", "tests/**"] },
  js.configs.recommended,
  {
    files: ["frontend/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: { ...globals.browser },
    },
    rules: {
      // `const { id: _id, ...rest } = data` is how a field is dropped from a copy.
      "no-unused-vars": ["error", { ignoreRestSiblings: true }],
    },
  },
];
