/**
 * Vite build of the Skew web app (static files only). The SDK is imported as `@skew/sdk`; this
 * alias is the one place that says where it comes from (today the repository's `sdk/` sources;
 * switch it to the published package by deleting the alias entry).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");

export default defineConfig({
  root: here,
  base: "./",
  plugins: [react()],
  resolve: {
    alias: [{ find: /^@skew\/sdk$/, replacement: path.join(root, "sdk", "index.ts") }],
  },
  build: {
    outDir: path.join(here, "dist"),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
