/**
 * `npm run bench`: every benchmark in one report. Runs the gas comparison with Uniswap V2, the
 * SDK throughput and state-loading benchmark and the market simulator (a shorter experiment
 * than `npm run simulate`'s default), each as its own process, shows their progress, and writes
 * what they printed, with the simulator's tables, to `bench/out/report.md`.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";

const ROOT = path.resolve(__dirname, "..");
const BIN = path.join(ROOT, "node_modules", ".bin");

/** Runs a command, echoing its output live, and returns what it printed on stdout. */
function runStep(title: string, cmd: string, args: string[]): Promise<string> {
  console.log(`\n=== ${title}: ${path.basename(cmd)} ${args.join(" ")}`);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      process.stdout.write(d);
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`${title} exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  const opts = new Command()
    .name("bench")
    .option("--paths <n>", "simulator paths per scenario", "2")
    .option("--blocks <n>", "simulator blocks per path (12 s each)", "1800")
    .parse()
    .opts<{ paths: string; blocks: string }>();
  const out = path.join(ROOT, "bench", "out");
  mkdirSync(out, { recursive: true });
  const started = new Date();

  const gas = await runStep("gas vs Uniswap V2", path.join(BIN, "hardhat"), ["run", "scripts/bench-gas.ts"]);
  const sdk = await runStep("SDK throughput", path.join(BIN, "ts-node"), ["--transpile-only", "scripts/bench-sdk.ts"]);
  const simDir = path.join(out, "sim");
  await runStep("market simulator", path.join(BIN, "ts-node"), [
    "--transpile-only",
    "scripts/simulate.ts",
    "--paths",
    opts.paths,
    "--blocks",
    opts.blocks,
    "--out",
    simDir,
  ]);
  const simTable = existsSync(path.join(simDir, "results.md"))
    ? readFileSync(path.join(simDir, "results.md"), "utf8")
    : "(no results.md)";

  const report = [
    `# Skew benchmarks`,
    ``,
    `Run ${started.toISOString()} on ${process.platform}/${process.arch}, Node ${process.version}.`,
    `Reproduce: \`npm run bench\` (or \`npm run bench:gas\`, \`npm run bench:sdk\`, \`npm run simulate\`).`,
    ``,
    `## Gas, side by side with Uniswap V2`,
    "```",
    gas.trim(),
    "```",
    ``,
    `## SDK`,
    "```",
    sdk.trim(),
    "```",
    ``,
    `## Market simulator (${opts.paths} paths x ${opts.blocks} blocks)`,
    ``,
    simTable.trim(),
    ``,
  ].join("\n");
  const file = path.join(out, "report.md");
  writeFileSync(file, report);
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
