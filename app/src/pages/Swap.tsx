/**
 * Swap: exact-in or exact-out, on one pool or a two-hop route, quoted off-chain by the SDK on
 * the loaded states (wei-exact), broken down hop by hop; sent through the router with an
 * approval or an EIP-2612 permit; the result decoded from the transaction's Swap events.
 */
import { useMemo, useState } from "react";
import { parseUnits } from "ethers";
import {
  buildSwapFromQuote,
  deadlineFromNow,
  ensureAllowance,
  maxInWithSlippage,
  minOutWithSlippage,
  parseSwaps,
  quoteRoute,
  quoteRouteExactOut,
  signPermit,
} from "@skew/sdk";
import type { RouteQuote, SwapEvent } from "@skew/sdk";
import type { PageProps } from "../App";
import type { TokenInfo } from "../chain";
import { Amount } from "../components/Amount";
import { Choice } from "../components/Choice";
import { Notice } from "../components/Notice";
import { explain } from "../explain";
import type { Explained } from "../explain";
import { fmt, oraclePrice, pipsPct, wad, whole } from "../figures";
import { findRoute } from "../route";

type Mode = "exactIn" | "exactOut";

interface Done {
  hash: string;
  amountIn: bigint;
  amountOut: bigint;
  swaps: SwapEvent[];
}

export function Swap({ chain, states, wallet, refresh }: PageProps) {
  const choices = [...chain.tokens.values()].map((t) => ({ address: t.address, name: t.symbol }));
  const first = chain.pools[0];
  const [tokenIn, setTokenIn] = useState(first.base.address);
  const [tokenOut, setTokenOut] = useState(first.quote.address);
  const [mode, setMode] = useState<Mode>("exactIn");
  const [amount, setAmount] = useState("1");
  const [slippageBps, setSlippageBps] = useState("50");
  const [usePermit, setUsePermit] = useState(true);
  const [status, setStatus] = useState<string | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [failure, setFailure] = useState<Explained | null>(null);
  const [frozen, setFrozen] = useState<RouteQuote | null>(null);

  const tIn = chain.tokens.get(tokenIn) as TokenInfo;
  const tOut = chain.tokens.get(tokenOut) as TokenInfo;
  const path = useMemo(() => findRoute(chain.pools, tokenIn, tokenOut), [chain.pools, tokenIn, tokenOut]);
  const bps = Number(slippageBps);
  const badSlippage = !Number.isInteger(bps) || bps < 0 || bps > 5000;

  const quoted = useMemo((): { quote?: RouteQuote; problem?: Explained } => {
    if (path === null)
      return {
        problem: {
          kind: "other",
          title: "No route",
          detail: `No pool or pair of pools trades ${tIn.symbol} for ${tOut.symbol}.`,
        },
      };
    let raw: bigint;
    try {
      raw = parseUnits(amount.trim() === "" ? "0" : amount.trim(), mode === "exactIn" ? tIn.decimals : tOut.decimals);
    } catch {
      return { problem: { kind: "amount", title: "Not a number", detail: "Enter an amount such as 1.5." } };
    }
    if (raw === 0n) return {};
    try {
      const list = [...states.values()];
      return { quote: mode === "exactIn" ? quoteRoute(list, path, raw) : quoteRouteExactOut(list, path, raw) };
    } catch (e) {
      return { problem: explain(e) };
    }
  }, [path, amount, mode, states, tIn, tOut]);

  const quote = frozen ?? quoted.quote;
  const limit =
    quote === undefined || badSlippage
      ? undefined
      : mode === "exactIn"
        ? minOutWithSlippage(quote.amountOut, bps)
        : maxInWithSlippage(quote.amountIn, bps);

  const swap = async () => {
    if (wallet === null || quote === undefined) return;
    setFrozen(quote);
    setDone(null);
    setFailure(null);
    try {
      const provider = wallet.signer.provider;
      const deadline = await deadlineFromNow(provider, 1200);
      const args = { router: chain.router, quote, slippageBps: bps, recipient: wallet.account, deadline };
      let built = buildSwapFromQuote(args);
      if (usePermit) {
        setStatus("Sign the permit in your wallet…");
        const permit = await signPermit(wallet.signer, quote.tokenIn, chain.router, built.maxAmountIn, deadline);
        built = buildSwapFromQuote({ ...args, permit });
      } else {
        setStatus("Approving the router if needed…");
        await ensureAllowance(wallet.signer, quote.tokenIn, chain.router, built.maxAmountIn);
      }
      setStatus("Confirm the swap in your wallet…");
      const sent = await wallet.signer.sendTransaction(built.tx);
      setStatus(`Waiting for ${sent.hash.slice(0, 10)}…`);
      const receipt = await sent.wait();
      if (receipt === null) throw new Error("the transaction was dropped");
      const swaps = parseSwaps(receipt.logs);
      setDone({ hash: receipt.hash, amountIn: swaps[0].amountIn, amountOut: swaps[swaps.length - 1].amountOut, swaps });
    } catch (e) {
      setFailure(explain(e));
    } finally {
      setStatus(null);
      setFrozen(null);
      await refresh();
    }
  };

  const blocked = quoted.problem !== undefined && quoted.problem.kind !== "amount";
  return (
    <section>
      <h1>Swap</h1>
      <div className="panel swap-form">
        <div className="toggle" role="group">
          <button
            className={mode === "exactIn" ? "on" : ""}
            onClick={() => setMode("exactIn")}
            data-testid="mode-exact-in"
          >
            Sell exactly
          </button>
          <button
            className={mode === "exactOut" ? "on" : ""}
            onClick={() => setMode("exactOut")}
            data-testid="mode-exact-out"
          >
            Buy exactly
          </button>
        </div>
        <Choice label="From" value={tokenIn} options={choices} onChange={setTokenIn} testId="token-in" />
        <Choice label="To" value={tokenOut} options={choices} onChange={setTokenOut} testId="token-out" />
        <label>
          {mode === "exactIn" ? `Amount of ${tIn.symbol} to sell` : `Amount of ${tOut.symbol} to buy`}
          <input value={amount} onChange={(e) => setAmount(e.target.value)} inputMode="decimal" data-testid="amount" />
        </label>
        <label>
          Slippage tolerance (bp)
          <input
            value={slippageBps}
            onChange={(e) => setSlippageBps(e.target.value)}
            inputMode="numeric"
            data-testid="slippage"
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={usePermit}
            onChange={(e) => setUsePermit(e.target.checked)}
            data-testid="permit"
          />
          Sign a permit instead of an approval transaction
        </label>
        {badSlippage && <Notice tone="warn" title="Slippage must be a whole number of basis points, 0 to 5000" />}
      </div>

      {quoted.problem !== undefined && (
        <Notice tone={blocked ? "error" : "warn"} title={quoted.problem.title} testId="quote-error">
          {quoted.problem.detail}
        </Notice>
      )}

      {quote !== undefined && (
        <div className="panel" data-testid="quote">
          <h2>Quote</h2>
          <dl className="stats">
            <dt>You pay</dt>
            <dd>
              <Amount testId="quote-in" raw={quote.amountIn} decimals={tIn.decimals} symbol={tIn.symbol} />
            </dd>
            <dt>You receive</dt>
            <dd>
              <Amount testId="quote-out" raw={quote.amountOut} decimals={tOut.decimals} symbol={tOut.symbol} />
            </dd>
            <dt>Price</dt>
            <dd>
              {fmt(whole(quote.amountOut, tOut.decimals) / whole(quote.amountIn, tIn.decimals))} {tOut.symbol} per{" "}
              {tIn.symbol}
            </dd>
            {limit !== undefined && mode === "exactIn" && (
              <>
                <dt>Minimum received</dt>
                <dd>
                  <Amount testId="min-out" raw={limit} decimals={tOut.decimals} symbol={tOut.symbol} />{" "}
                  <span className="muted">({bps} bp slippage)</span>
                </dd>
              </>
            )}
            {limit !== undefined && mode === "exactOut" && (
              <>
                <dt>Maximum paid</dt>
                <dd>
                  <Amount testId="max-in" raw={limit} decimals={tIn.decimals} symbol={tIn.symbol} />{" "}
                  <span className="muted">({bps} bp slippage)</span>
                </dd>
              </>
            )}
            <dt>Route</dt>
            <dd data-testid="route">{quote.hops.length === 1 ? "one pool" : `${quote.hops.length} pools`}</dd>
          </dl>
          <table className="breakdown">
            <thead>
              <tr>
                <th>Pool</th>
                <th>Oracle</th>
                <th>Skew</th>
                <th>Fee</th>
                <th>Price impact</th>
              </tr>
            </thead>
            <tbody>
              {quote.hops.map((h) => {
                const p = chain.pools.find((x) => x.address === h.pool);
                const s = states.get(h.pool);
                if (p === undefined || s === undefined) return null;
                const oracle = oraclePrice(s);
                const before = wad(h.midPriceBefore);
                const after = wad(h.midPriceAfter);
                const outToken = h.side === "sellBase" ? p.quote : p.base;
                return (
                  <tr key={h.pool} data-testid="hop">
                    <td>
                      {p.name}{" "}
                      <span className="muted">
                        {h.side === "sellBase" ? `sell ${p.base.symbol}` : `buy ${p.base.symbol}`}
                      </span>
                    </td>
                    <td>{fmt(oracle)}</td>
                    <td>{fmt((before / oracle - 1) * 1e4, 1)} bp</td>
                    <td data-testid="hop-fee">
                      {pipsPct(h.feePips)} ({h.feePips.toString()} pips) ={" "}
                      <Amount raw={h.feeAmount} decimals={outToken.decimals} symbol={outToken.symbol} />
                    </td>
                    <td>{fmt((after / before - 1) * 1e4, 1)} bp</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <div className="actions">
        {wallet === null ? (
          <span className="muted">Connect a wallet to swap.</span>
        ) : (
          <button
            className="primary"
            disabled={quote === undefined || blocked || badSlippage || status !== null}
            onClick={() => void swap()}
            data-testid="swap"
          >
            {status ?? (blocked ? "Swap unavailable" : "Swap")}
          </button>
        )}
      </div>

      {failure !== null && (
        <Notice tone="error" title={failure.title} testId="swap-error">
          {failure.detail}
        </Notice>
      )}
      {done !== null && (
        <Notice tone="ok" title="Swap executed" testId="swap-result">
          Paid <Amount raw={done.amountIn} decimals={tIn.decimals} testId="result-in" /> {tIn.symbol}, received{" "}
          <Amount raw={done.amountOut} decimals={tOut.decimals} testId="result-out" /> {tOut.symbol}
          {done.swaps.map((e, i) => (
            <div key={i} className="muted">
              hop {i + 1}: fee {e.feePips.toString()} pips, mid after {fmt(wad(e.midPriceAfter))}, imbalance after{" "}
              {fmt(wad(e.imbalanceAfter) * 100, 2)} %
            </div>
          ))}
          <div className="muted mono">tx {done.hash}</div>
        </Notice>
      )}
    </section>
  );
}
