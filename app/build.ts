/** Builds the web app with Vite (`vite build`) into a folder, as a child process with its output shown on failure. */
import { execFile } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..");

/** Runs `vite build` for `app/` into `outDir` (default `app/dist`) and resolves with the folder. */
export function buildApp(outDir = path.join(ROOT, "app", "dist")): Promise<string> {
  const vite = path.join(ROOT, "node_modules", ".bin", "vite");
  const args = [
    "build",
    "--config",
    path.join(ROOT, "app", "vite.config.mts"),
    "--outDir",
    outDir,
    "--emptyOutDir",
    "--logLevel",
    "warn",
  ];
  return new Promise((resolve, reject) => {
    execFile(vite, args, { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`vite build failed:\n${stdout}\n${stderr}`));
      else resolve(outDir);
    });
  });
}
