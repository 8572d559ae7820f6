import { DEFAULT_POLICY_CONFIG, parsePolicyConfig } from "../keeper/config";
import { defaultBounds } from "./config";
import { buildStrategies, runExperiment, type ExperimentSpec } from "./experiment";
import { skewParams, studyScenarios, TUNING_SEED } from "./scenarios";
async function main() {
  const paths = Number(process.argv[2]);
  const only = process.argv[3].split(",");
  const fixed = JSON.parse(process.argv[4]) as [string, number, number, number, number][];
  const policies = JSON.parse(process.argv[5] ?? "{}") as Record<string, unknown>;
  for (const sc of studyScenarios()) {
    if (!only.includes(sc.name)) continue;
    const spec: ExperimentSpec = {
      cfg: sc.cfg, seed: TUNING_SEED, paths, pools: [{ name: "CP 30 bp", kind: "cp", fee: 3000n }],
      skew: [
        ...fixed.map(([n, k, fee, max, tau]) => ({ name: n, params: skewParams(k, fee, max, tau) })),
        ...Object.entries(policies).map(([n, p]) => ({ name: n, params: skewParams(0.5, 30), policy: parsePolicyConfig(p) })),
      ],
      bounds: defaultBounds(), keeper: { everyBlocks: 300, flowWindow: 6 * 3600, maxRounds: 1000 },
    };
    void DEFAULT_POLICY_CONFIG;
    const names = buildStrategies(spec).map((s) => s.name);
    const out = await runExperiment(spec, 1);
    const rows = names.map((n, i) => {
      const ms = out.map((o) => o.metrics[i]);
      const m = (f: (x: (typeof ms)[0]) => number) => ms.reduce((a, x) => a + f(x), 0) / ms.length;
      const mc = ms.reduce((a, x) => a + x.marketNoiseCostUsd, 0) / ms.reduce((a, x) => a + x.marketNoiseVolume, 0) * 1e4;
      return `${n.padEnd(20)} tp/wk ${(m((x) => x.tradingPnlBps / x.weeks)).toFixed(1).padStart(7)} arb ${(m((x) => x.arbProfitBps / x.weeks)).toFixed(1).padStart(6)} fr ${(m((x) => x.frontRunProfitBps / x.weeks)).toFixed(2).padStart(6)} share ${m((x) => x.volumeShare).toFixed(2)} cost ${mc.toFixed(1)} fee ${(m((x) => x.meanBaseFee) / 100).toFixed(1)} max ${(m((x) => x.meanMaxFee) / 100).toFixed(0)} tau ${m((x) => x.meanTau).toFixed(3)} k ${m((x) => x.meanK).toFixed(2)}`;
    });
    console.log(`== ${sc.name}\n` + rows.join("\n"));
  }
}
main();
