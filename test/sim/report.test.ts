import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_POLICY_CONFIG } from "../../keeper/config";
import { defaultBounds, defaultSimConfig, defaultSkewParams } from "../../sim/config";
import { buildStrategies, runExperiment, type ExperimentSpec } from "../../sim/experiment";
import { writeReport } from "../../sim/report";

describe("simulator: experiment and report", function () {
  it("runs a small experiment and writes the markdown report, JSON and SVG charts", async function () {
    const params = defaultSkewParams(30);
    const spec: ExperimentSpec = {
      cfg: { ...defaultSimConfig(), blocks: 600, warmupBlocks: 600 },
      seed: 3,
      paths: 2,
      cpFee: params.baseFee,
      skew: [
        { name: "Skew fixed", params },
        { name: "Skew + keeper", params, policy: { ...DEFAULT_POLICY_CONFIG } },
      ],
      bounds: defaultBounds(),
      keeper: { everyBlocks: 300, flowWindow: 6 * 3600, maxRounds: 1000 },
    };
    const names = buildStrategies(spec).map((s) => s.name);
    const seen: number[] = [];
    const outcomes = await runExperiment(spec, 1, (o) => seen.push(o.path));
    expect(seen).to.deep.equal([0, 1]);
    expect(outcomes[0].series?.length).to.equal(3);
    expect(outcomes[1].series).to.equal(null);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skew-sim-"));
    const files = writeReport(dir, spec, names, outcomes, 1);
    expect(files.map((f) => path.basename(f))).to.deep.equal([
      "results.md",
      "results.json",
      "lp-pnl-distribution.svg",
      "example-path.svg",
    ]);
    const md = fs.readFileSync(files[0], "utf8");
    for (const n of names) expect(md).to.contain(`| ${n} |`);
    for (const f of files.slice(2)) {
      const svg = fs.readFileSync(f, "utf8");
      expect(svg.startsWith("<svg")).to.equal(true);
      expect(svg.trimEnd().endsWith("</svg>")).to.equal(true);
      expect(svg).to.not.contain("NaN");
    }
    fs.rmSync(dir, { recursive: true });
  });
});
