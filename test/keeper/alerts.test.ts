import { expect } from "chai";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { KeeperMetrics, startMetricsServer } from "../../keeper/metrics";

const run = promisify(execFile);
const ALERTS = path.resolve(__dirname, "..", "..", "keeper", "alerts");
const RULES = path.join(ALERTS, "skew-keeper.rules.yml");
/** The rule tests: minute-scale (1 min evaluations) and day-scale (hourly evaluations). */
const RULE_TESTS = ["skew-keeper.rules.test.yml", "skew-keeper.rules.days.test.yml"];

/** promtool: on PATH, or installed from Debian's `prometheus` package (apt-get update once first). */
async function findPromtool(): Promise<string> {
  for (const candidate of ["/usr/bin/promtool", "/usr/local/bin/promtool"]) if (existsSync(candidate)) return candidate;
  try {
    const { stdout } = await run("sh", ["-c", "command -v promtool"]);
    if (stdout.trim()) return stdout.trim();
  } catch {
    // not on PATH: install it
  }
  process.stderr.write("      installing promtool (apt-get install prometheus)...\n");
  await run("apt-get", ["update"], { timeout: 300_000 });
  await run("apt-get", ["install", "-y", "--no-install-recommends", "prometheus"], {
    timeout: 600_000,
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  return "/usr/bin/promtool";
}

/** Runs promtool; resolves to its exit code and output (never throws on a non-zero exit). */
async function promtool(bin: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(bin, args, { timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

/** The `name{label="value", ...}` selectors with equality matchers in a text (the rules, the tests). */
function selectors(text: string): { name: string; labels: Record<string, string> }[] {
  const out: { name: string; labels: Record<string, string> }[] = [];
  for (const m of text.matchAll(/(skew_keeper_\w+)(?:\{([^}]*)\})?/g)) {
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels });
  }
  return out;
}

/** The example alert rules (keeper/alerts) checked and unit-tested with promtool. */
describe("keeper alert rules", function () {
  this.timeout(900_000); // a first run may install promtool
  let bin: string;

  before(async function () {
    bin = await findPromtool();
  });

  it("pass `promtool check rules`", async function () {
    const r = await promtool(bin, ["check", "rules", RULES]);
    expect(r.code, r.output).to.equal(0);
    expect(r.output).to.match(/SUCCESS: \d+ rules found/);
  });

  it("pass their unit tests (`promtool test rules`)", async function () {
    const r = await promtool(bin, ["test", "rules", ...RULE_TESTS.map((f) => path.join(ALERTS, f))]);
    expect(r.code, r.output).to.equal(0);
    expect(r.output.match(/SUCCESS/g)).to.have.length(RULE_TESTS.length);
  });

  it("the unit tests catch a broken rule (a low-balance threshold of 0 never fires)", async function () {
    const dir = mkdtempSync(path.join(tmpdir(), "skew-alerts-"));
    const broken = readFileSync(RULES, "utf8").replace(
      "skew_keeper_key_balance_ether < 0.05",
      "skew_keeper_key_balance_ether < 0",
    );
    expect(broken).to.not.equal(readFileSync(RULES, "utf8"));
    writeFileSync(path.join(dir, "skew-keeper.rules.yml"), broken);
    for (const f of RULE_TESTS) copyFileSync(path.join(ALERTS, f), path.join(dir, f));
    const r = await promtool(bin, ["test", "rules", ...RULE_TESTS.map((f) => path.join(dir, f))]);
    expect(r.code).to.not.equal(0);
    expect(r.output).to.contain("SkewKeeperLowBalance");
  });

  it("use only metrics and label values the keeper exports from start, on a live /metrics", async function () {
    const metrics = new KeeperMetrics();
    metrics.addPool({ name: "WETH/USDC", address: "0x5FbDB2315678afecb367f032d93F642f64180aa3" });
    metrics.addKey("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    const server = await startMetricsServer(metrics.registry, 0);
    let body: string;
    try {
      body = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
    } finally {
      await server.close();
    }
    const series = body
      .split("\n")
      .filter((l) => l !== "" && !l.startsWith("#"))
      .map((l) => {
        const m = /^(\w+)(?:\{([^}]*)\})? /.exec(l);
        const labels: Record<string, string> = {};
        for (const x of (m?.[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)) labels[x[1]] = x[2];
        return { name: m?.[1] ?? "", labels };
      });
    const used = [
      ...selectors(readFileSync(RULES, "utf8")),
      ...selectors(RULE_TESTS.map((f) => readFileSync(path.join(ALERTS, f), "utf8")).join("\n")).map((s) => ({
        name: s.name,
        // the tests' own target labels (job, instance) and values (pool names, addresses) are not the keeper's
        labels: Object.fromEntries(Object.entries(s.labels).filter(([k]) => k === "reason" || k === "outcome")),
      })),
    ];
    expect(used.length).to.be.greaterThan(10);
    for (const u of used) {
      const found = series.some(
        (s) => s.name === u.name && Object.entries(u.labels).every(([k, v]) => k === "job" || s.labels[k] === v),
      );
      expect(found, `${u.name} ${JSON.stringify(u.labels)} is not in the keeper's /metrics`).to.equal(true);
    }
    // Per-pool series carry the pool's name and address.
    expect(body).to.match(
      /skew_keeper_pending_transactions\{pool="WETH\/USDC",address="0x5FbDB2315678afecb367f032d93F642f64180aa3"\} 0/,
    );
  });
});
