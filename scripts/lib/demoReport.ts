/**
 * The demo's outputs: a readable side-by-side summary (Skew vs the constant-product baseline)
 * and the chart (Apache ECharts rendered to SVG on the server): prices, signed inventory,
 * inventory held, the fee of every swap, `k` and `tau`, keeper updates marked on every panel.
 */
import * as echarts from "echarts";
import type { VenueTally } from "./demoBaseline";

/** One step of the session, both venues. */
export interface DemoPoint {
  hours: number;
  truePrice: number;
  feedPrice: number;
  /** null while the pool quotes no price (the feed's breaker holds): a gap in the chart. */
  skewMid: number | null;
  cpMid: number;
  /** Signed inventory, fraction of the target value (+ long base). */
  skewInventory: number;
  /** Skew's inventory after the traders, before the arbitrageur. */
  skewInventoryPeak: number;
  cpInventory: number;
  cpInventoryPeak: number;
  skewBase: number;
  cpBase: number;
  k: number;
  tau: number;
  /** Skew's base and maximum fee, bp. */
  baseFeeBp: number;
  maxFeeBp: number;
}

/** One swap's fee on the Skew pool. */
export interface FeePoint {
  hours: number;
  bp: number;
  kind: "noise" | "flow" | "arbitrage";
}

/** A venue's result at the end (quote units at the final true price). */
export interface VenueResult {
  tally: VenueTally;
  value: number;
  hold: number;
  maxInventory: number;
}

export interface DemoSummary {
  steps: number;
  hours: number;
  seed: number;
  sigma: number;
  priceStart: number;
  priceEnd: number;
  baseFeePips: number;
  cpFeePips: number;
  flowUsd: number;
  keeperUpdates: number;
  kRange: [number, number];
  tauRange: [number, number];
  skew: VenueResult;
  cp: VenueResult;
}

const usd = (x: number) => `${x < 0 ? "-" : ""}$${Math.abs(x).toLocaleString("en-US", { maximumFractionDigits: 0 })}`;
const bp = (x: number) => `${x.toFixed(1)} bp`;
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const signedUsd = (x: number) => (x >= 0 ? `+${usd(x)}` : usd(x));

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function textTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("   ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("   "), ...rows.map(line)].join("\n");
}

/** The summary as a table, Skew beside constant product, with a few lines of context. */
export function summaryText(s: DemoSummary): string {
  const lp = (r: VenueResult) => `${signedUsd(r.value - r.hold)} (${bp(((r.value - r.hold) / r.hold) * 1e4)})`;
  const fee = (t: VenueTally, base: number) => `${bp(t.maxFeePips / 100)} (${(t.maxFeePips / base).toFixed(1)}x start)`;
  const rows: string[][] = [
    ["LP result vs holding the deposit", lp(s.skew), lp(s.cp)],
    ["fees kept for LPs", usd(s.skew.tally.feesValue), usd(s.cp.tally.feesValue)],
    ["arbitrageur's profit", usd(s.skew.tally.arbitrageProfit), usd(s.cp.tally.arbitrageProfit)],
    ["fees paid by the one-sided seller", usd(s.skew.tally.flowFees), usd(s.cp.tally.flowFees)],
    ["highest fee a swap paid", fee(s.skew.tally, s.baseFeePips), fee(s.cp.tally, s.cpFeePips)],
    ["swaps that paid the surge fee", String(s.skew.tally.surgeSwaps), "no surge fee"],
    ["largest surge (fee above the base fee then)", `+${bp(s.skew.tally.maxSurgePips / 100)}`, "–"],
    ["largest inventory imbalance (any time)", pct(s.skew.maxInventory), pct(s.cp.maxInventory)],
    [
      "swaps (of which arbitrage)",
      `${s.skew.tally.swaps} (${s.skew.tally.arbitrageSwaps})`,
      `${s.cp.tally.swaps} (${s.cp.tally.arbitrageSwaps})`,
    ],
  ];
  return [
    `${s.steps} steps of 5 min (${s.hours.toFixed(1)} h), seed ${s.seed}, volatility ${(s.sigma * 100).toFixed(0)} %/yr; ` +
      `ETH ${s.priceStart.toFixed(2)} -> ${s.priceEnd.toFixed(2)}; one-sided selling ${usd(s.flowUsd)} in bursts`,
    `both pools start with the same reserves; Skew's base fee starts at ${bp(s.baseFeePips / 100)} (the keeper retunes it), ` +
      `constant product charges ${bp(s.cpFeePips / 100)} (Uniswap V2); values at the final true price`,
    "",
    textTable(["", "Skew (oracle + skew + surge)", "constant product (x*y=k)"], rows),
    "",
    `keeper: ${s.keeperUpdates} updates; k ${s.kRange[0].toFixed(3)} -> ${s.kRange[1].toFixed(3)} (min -> max), ` +
      `tau ${pct(s.tauRange[0])} -> ${pct(s.tauRange[1])}`,
  ].join("\n");
}

/** The chart: five panels sharing the time axis, keeper updates as dashed vertical lines. */
export function demoChart(points: DemoPoint[], fees: FeePoint[], keeperHours: number[], title: string): string {
  const width = 1200;
  const panels = 5;
  const panelHeight = 210;
  const top = 70;
  const gap = 52;
  const height = top + panels * (panelHeight + gap);
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  const grid = Array.from({ length: panels }, (_, i) => ({
    left: 80,
    right: 250,
    top: top + i * (panelHeight + gap),
    height: panelHeight,
  }));
  const names = ["USDC per WETH", "signed inventory %", "WETH held", "fee per swap (bp)", "k and tau"];
  const h = (p: DemoPoint) => p.hours;
  const keeper = {
    symbol: "none",
    silent: true,
    label: { show: false },
    lineStyle: { color: "#7f7f7f", type: "dashed", width: 1 },
    data: keeperHours.map((x) => ({ xAxis: x })),
  };
  const line = (name: string, i: number, ys: (number | null)[], color: string, extra: object = {}) => ({
    name,
    type: "line",
    xAxisIndex: i,
    yAxisIndex: i,
    showSymbol: false,
    data: points.map((p, j) => [h(p), ys[j]]),
    color,
    lineStyle: { width: 1.6 },
    ...extra,
  });
  const tauPct = points.map((p) => p.tau * 100);
  const feeBy = (kind: FeePoint["kind"]) => fees.filter((f) => f.kind === kind).map((f) => [f.hours, f.bp]);
  chart.setOption({
    animation: false,
    backgroundColor: "#ffffff",
    title: { text: title, left: 80, top: 10, textStyle: { fontSize: 16 } },
    // Anchored at the plots' right edge: anchored at the chart's, the SSR's text widths push labels past it.
    legend: grid.map((g, i) => ({
      top: g.top,
      left: width - g.right + 16,
      orient: "vertical",
      width: g.right - 16,
      data: undefined,
      textStyle: { fontSize: 11 },
      id: `l${i}`,
    })),
    grid,
    xAxis: grid.map((_, i) => ({
      type: "value",
      gridIndex: i,
      min: 0,
      max: points.length ? points[points.length - 1].hours : 1,
      name: i === panels - 1 ? "market time (hours); dashed lines: keeper updates" : "",
      nameLocation: "middle",
      nameGap: 28,
    })),
    yAxis: names.map((name, i) => ({
      type: "value",
      gridIndex: i,
      name,
      scale: i !== 3,
      nameTextStyle: { align: "left" },
    })),
    series: [
      line(
        "true price",
        0,
        points.map((p) => p.truePrice),
        "#7f7f7f",
        { markLine: keeper },
      ),
      line(
        "oracle feed",
        0,
        points.map((p) => p.feedPrice),
        "#d62728",
        { step: "end", lineStyle: { type: "dashed", width: 1.2 } },
      ),
      line(
        "Skew mid",
        0,
        points.map((p) => p.skewMid),
        "#1f77b4",
      ),
      line(
        "const. product mid",
        0,
        points.map((p) => p.cpMid),
        "#ff7f0e",
      ),
      line(
        "Skew, after the traders",
        1,
        points.map((p) => p.skewInventoryPeak * 100),
        "#74a9cf",
        { lineStyle: { width: 1 }, markLine: keeper },
      ),
      line(
        "Skew, end of step",
        1,
        points.map((p) => p.skewInventory * 100),
        "#1f77b4",
        { areaStyle: { opacity: 0.12 } },
      ),
      line(
        "const. product, after the traders",
        1,
        points.map((p) => p.cpInventoryPeak * 100),
        "#fdbe85",
        { lineStyle: { width: 1 } },
      ),
      line(
        "const. product, end of step",
        1,
        points.map((p) => p.cpInventory * 100),
        "#ff7f0e",
      ),
      line("+tau (surge above)", 1, tauPct, "#c92a2a", {
        lineStyle: { type: "dotted", width: 1.2 },
      }),
      line(
        "-tau",
        1,
        tauPct.map((t) => -t),
        "#c92a2a",
        { lineStyle: { type: "dotted", width: 1.2 } },
      ),
      line(
        "Skew WETH",
        2,
        points.map((p) => p.skewBase),
        "#1f77b4",
        { markLine: keeper },
      ),
      line(
        "const. product WETH",
        2,
        points.map((p) => p.cpBase),
        "#ff7f0e",
      ),
      {
        name: "noise swap",
        type: "scatter",
        xAxisIndex: 3,
        yAxisIndex: 3,
        symbolSize: 4,
        data: feeBy("noise"),
        color: "#2ca02c",
        markLine: keeper,
      },
      {
        name: "one-sided seller",
        type: "scatter",
        xAxisIndex: 3,
        yAxisIndex: 3,
        symbolSize: 7,
        data: feeBy("flow"),
        color: "#c92a2a",
      },
      {
        name: "arbitrage",
        type: "scatter",
        xAxisIndex: 3,
        yAxisIndex: 3,
        symbolSize: 4,
        data: feeBy("arbitrage"),
        color: "#9467bd",
      },
      line(
        "base fee",
        3,
        points.map((p) => p.baseFeeBp),
        "#1f77b4",
        { step: "end" },
      ),
      line(
        "k",
        4,
        points.map((p) => p.k),
        "#9467bd",
        { step: "end", markLine: keeper },
      ),
      line(
        "tau",
        4,
        points.map((p) => p.tau),
        "#c92a2a",
        { step: "end" },
      ),
    ],
  });
  // One legend per panel, listing that panel's series.
  const perPanel = [
    ["true price", "oracle feed", "Skew mid", "const. product mid"],
    [
      "Skew, after the traders",
      "Skew, end of step",
      "const. product, after the traders",
      "const. product, end of step",
      "+tau (surge above)",
      "-tau",
    ],
    ["Skew WETH", "const. product WETH"],
    ["noise swap", "one-sided seller", "arbitrage", "base fee"],
    ["k", "tau"],
  ];
  chart.setOption({ legend: perPanel.map((data, i) => ({ id: `l${i}`, data })) });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

/** One pool's oracle as the demo reports it. */
export interface OracleLine {
  pool: string;
  kind: "push" | "pull";
  /** Seconds since the oracle's price was published (null: no price). */
  ageSeconds: number | null;
  maxAge: number;
  usable: boolean;
}

/** "oracles: WETH/USDC push, price 120 s old (max 86400 s) · WETH/USDC (Pyth) pull, price 2 s old (max 60 s)". */
export function oracleLine(lines: OracleLine[]): string {
  const one = (l: OracleLine) =>
    `${l.pool} ${l.kind}, price ${l.ageSeconds === null ? "none" : `${l.ageSeconds} s old`} (max ${l.maxAge} s)` +
    (l.usable ? "" : ", not usable now");
  return `oracles: ${lines.map(one).join(" · ")}`;
}
