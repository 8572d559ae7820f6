// @ts-check
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "artifacts/",
      "cache/",
      "typechain-types/",
      "coverage/",
      "**/dist/",
      "out/",
      "bench/out/",
      "abi/src/generated.ts",
    ],
  },
  { ignores: ["keeper/dist/"] }, // the skew-keeper bundle (npm run build:keeper)
  { ignores: ["app/dist/"] }, // the web app's build output
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { module: "writable", require: "readonly" } },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "@typescript-eslint/no-unused-expressions": "off", // chai's expect(...).to.be.true style
    },
  },
);
