/**
 * History: one pool's feed price and pool mid, signed inventory, fee and `k` over time, from
 * on-chain events and feed rounds; every keeper update is a dashed vertical line on each chart.
 */
import { useEffect, useMemo, useState } from "react";
import type { PageProps } from "../App";
import { Choice } from "../components/Choice";
import { EChart } from "../components/EChart";
import { Notice } from "../components/Notice";
import { loadHistory } from "../history";
import type { PoolHistory } from "../history";
import { fmt, wad } from "../figures";

const COLORS = { feed: "#d62728", mid: "#1f77b4", inv: "#2ca02c", fee: "#ff7f0e", k: "#9467bd", keeper: "#7f7f7f" };

export function History({ chain, states }: PageProps) {
  const [poolAddress, setPoolAddress] = useState(chain.pools[0].address);
  const pool = chain.pools.find((p) => p.address === poolAddress) ?? chain.pools[0];
  const s = states.get(pool.address);
  const [history, setHistory] = useState<PoolHistory | null>(null);
  const [error, setError] = useState<string | null>(null);
  const stamp = s?.blockTimestamp;

  useEffect(() => {
    if (s === undefined) return;
    let live = true;
    loadHistory(chain.provider, s, pool.fromBlock)
      .then((h) => live && (setHistory(h), setError(null)))
      .catch((e: unknown) => live && setError((e as Error).message));
    return () => {
      live = false;
    };
  }, [chain.provider, pool.address, stamp]);

  const options = useMemo(() => {
    if (history === null || s === undefined) return null;
    const ms = (t: number) => t * 1000;
    const keeperLines = {
      symbol: "none",
      silent: true,
      label: { show: false },
      lineStyle: { color: COLORS.keeper, type: "dashed" as const },
      data: history.updates.filter((u) => u.keeper).map((u) => ({ xAxis: ms(u.time) })),
    };
    const base = (yName: string) => ({
      animation: false,
      grid: { left: 64, right: 16, top: 36, bottom: 28 },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      xAxis: { type: "time", axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", name: yName, scale: true, nameGap: 8 },
    });
    const tau = wad(s.params.tau) * 100;
    const now = Number(s.blockTimestamp);
    const kSeries = history.updates.map((u) => [ms(u.time), u.k]);
    kSeries.push([ms(now), wad(s.params.k)]);
    return {
      price: {
        ...base(`${pool.quote.symbol} per ${pool.base.symbol}`),
        series: [
          {
            name: "oracle feed",
            type: "line",
            step: "end",
            showSymbol: false,
            data: history.feed.map((f) => [ms(f.time), f.price]),
            color: COLORS.feed,
            markLine: keeperLines,
          },
          {
            name: "pool mid (after each swap)",
            type: "line",
            showSymbol: false,
            data: history.swaps.map((p) => [ms(p.time), p.mid]),
            color: COLORS.mid,
          },
        ],
      },
      inventory: {
        ...base("% of target value"),
        series: [
          {
            name: `signed inventory (+ long ${pool.base.symbol})`,
            type: "line",
            showSymbol: false,
            areaStyle: { opacity: 0.15 },
            data: history.swaps.map((p) => [ms(p.time), p.inventory * 100]),
            color: COLORS.inv,
            markLine: {
              ...keeperLines,
              data: [
                ...keeperLines.data,
                {
                  yAxis: tau,
                  lineStyle: { color: COLORS.fee, type: "dotted" },
                  label: { show: true, formatter: "+τ" },
                },
                {
                  yAxis: -tau,
                  lineStyle: { color: COLORS.fee, type: "dotted" },
                  label: { show: true, formatter: "−τ" },
                },
              ],
            },
          },
        ],
      },
      fee: {
        ...base("bp"),
        series: [
          {
            name: "fee paid per swap",
            type: "scatter",
            symbolSize: 5,
            data: history.swaps.map((p) => [ms(p.time), p.feeBps]),
            color: COLORS.fee,
            markLine: keeperLines,
          },
        ],
      },
      k: {
        ...base("k"),
        series: [
          {
            name: "k (keeper updates)",
            type: "line",
            step: "end",
            data: kSeries,
            color: COLORS.k,
            markLine: keeperLines,
          },
        ],
      },
    };
  }, [history, s, pool]);

  return (
    <section>
      <h1>History</h1>
      <Choice
        label="Pool"
        value={pool.address}
        options={chain.pools}
        onChange={setPoolAddress}
        testId="history-pool"
        inline
      />
      {error !== null && (
        <Notice tone="error" title="Cannot load the history">
          {error}
        </Notice>
      )}
      {history !== null && (
        <p className="muted" data-testid="history-summary">
          {history.swaps.length} swaps, {Math.max(0, history.feed.length - 1)} feed rounds,{" "}
          {history.updates.filter((u) => u.keeper).length} keeper updates
          {history.swaps.length > 0 && (
            <> · max |inventory| {fmt(Math.max(...history.swaps.map((p) => Math.abs(p.inventory))) * 100, 2)} %</>
          )}
        </p>
      )}
      {options !== null && (
        <div className="charts">
          {(
            [
              ["Price", options.price, 240, "chart-price"],
              ["Signed inventory", options.inventory, 200, "chart-inventory"],
              ["Fee", options.fee, 180, "chart-fee"],
              ["Skew k", options.k, 180, "chart-k"],
            ] as const
          ).map(([title, option, height, testId]) => (
            <div className="panel" key={testId}>
              <h2>{title}</h2>
              <EChart option={option} height={height} testId={testId} />
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
