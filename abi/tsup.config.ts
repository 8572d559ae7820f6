import { defineConfig } from "tsup";

/** ESM (`.mjs`) and CommonJS (`.js`) with declarations for each (`.d.mts`, `.d.ts`). */
export default defineConfig({
  entry: { index: "src/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: false, // build.ts has written dist/json and dist/deployments
  outDir: "dist",
  target: "es2022",
  outExtension: ({ format }) => ({ js: format === "esm" ? ".mjs" : ".js" }),
});
