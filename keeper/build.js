/* global __dirname, console, process */
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS build script, run by node */
/**
 * Bundles the keeper's command line (cli.ts), the SDK parts and the typechain factories it uses into
 * one CommonJS file, dist/skew-keeper.js, that runs on Node 20 without ts-node or a Solidity compile.
 * The runtime dependencies (package.json "dependencies") stay external: npm installs them.
 * Needs `typechain-types/` (run `npm run compile` once; `npm run build:keeper` does).
 */
const { build } = require("esbuild");
const { chmodSync, readFileSync, statSync } = require("node:fs");
const path = require("node:path");

async function main() {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, "package.json"), "utf8"));
  const outfile = path.join(__dirname, "dist", "skew-keeper.js");
  const started = Date.now();
  await build({
    entryPoints: [path.join(__dirname, "cli.ts")],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    external: Object.keys(pkg.dependencies),
    banner: { js: "#!/usr/bin/env node" },
    legalComments: "none",
    logLevel: "warning",
  });
  chmodSync(outfile, 0o755);
  const kib = (statSync(outfile).size / 1024).toFixed(0);
  console.log(`built ${path.relative(process.cwd(), outfile)} (${kib} KiB) in ${Date.now() - started} ms`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
