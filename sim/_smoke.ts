import { defaultSimConfig, defaultSkewParams } from "./config";
import { runPath, type Strategy, type SimConfig } from "./run";
const cfg: SimConfig = {
  ...defaultSimConfig(),
  blocks: 7200,
  warmupBlocks: 100,
  jumps: { perDay: 1, meanLog: 0, sdLog: 0.02 },
  frontRunner: { gasUsd: 5 },
  competitor: { kind: "cp", fee: 3000n, valueRatio: 1 },
};
const strategies: Strategy[] = [
  { name: "cp30", kind: "cp", fee: 3000n },
  { name: "v3", kind: "v3", fee: 500n, width: 0.1 },
  { name: "sk", kind: "skew", params: defaultSkewParams() },
];
for (const s of strategies) {
  const t = Date.now();
  const m = runPath(cfg, [s], 1, 0).runs[0].metrics;
  console.log(
    s.name,
    Date.now() - t,
    "ms",
    JSON.stringify({
      tp: m.tradingPnlBps.toFixed(2),
      lp: m.lpPnlBps.toFixed(2),
      arb: m.arbProfitBps.toFixed(2),
      fr: m.frontRunProfitBps.toFixed(2),
      frn: m.frontRunTrades,
      share: m.volumeShare.toFixed(2),
      mc: ((m.marketNoiseCostUsd / m.marketNoiseVolume) * 1e4).toFixed(1),
      arbN: m.arbTrades,
    }),
  );
}
