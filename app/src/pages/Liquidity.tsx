/**
 * Liquidity: deposit at the pool's ratio (amounts, shares and the minimum accepted), the
 * connected account's position (share of the pool, value now at the oracle price against
 * holding what was deposited, fees earned), and withdrawal.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import { formatUnits, parseUnits } from "ethers";
import { minOutWithSlippage, quoteDeposit, quoteWithdraw, SkewClient } from "@skew/sdk";
import type { DepositEvent, WithdrawEvent } from "@skew/sdk";
import type { PageProps } from "../App";
import { erc20 } from "../chain";
import { Amount } from "../components/Amount";
import { Choice } from "../components/Choice";
import { Notice } from "../components/Notice";
import { explain } from "../explain";
import type { Explained } from "../explain";
import { fmt, fmtRaw, oraclePrice, whole } from "../figures";
import { poolLogs, replayPosition } from "../position";
import type { PositionHistory } from "../position";

const SLIPPAGE_BPS = 50;

/** A difference with its sign, "±0" when it rounds to zero. */
const signed = (x: number, digits: number) =>
  Math.abs(x) < 0.5 * 10 ** -digits ? "±0" : `${x > 0 ? "+" : ""}${fmt(x, digits)}`;

export function Liquidity({ chain, states, wallet, refresh }: PageProps) {
  const [poolAddress, setPoolAddress] = useState(chain.pools[0].address);
  const pool = chain.pools.find((p) => p.address === poolAddress) ?? chain.pools[0];
  const s = states.get(pool.address);
  const [baseText, setBaseText] = useState("1");
  const [withdrawText, setWithdrawText] = useState("");
  const [usePermit, setUsePermit] = useState(true);
  const [shares, setShares] = useState<bigint | null>(null);
  const [history, setHistory] = useState<PositionHistory | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<Explained | null>(null);
  const [deposited, setDeposited] = useState<DepositEvent | null>(null);
  const [withdrawn, setWithdrawn] = useState<WithdrawEvent | null>(null);

  const loadPosition = useCallback(async () => {
    if (wallet === null) return;
    const [bal, logs] = await Promise.all([
      erc20(pool.address, chain.provider).balanceOf(wallet.account) as Promise<bigint>,
      poolLogs(chain.provider, pool.address, pool.fromBlock),
    ]);
    setShares(bal);
    setHistory(replayPosition(logs, wallet.account));
  }, [wallet, pool, chain.provider]);

  useEffect(() => {
    setShares(null);
    setHistory(null);
    void loadPosition();
  }, [loadPosition, s?.blockTimestamp]);

  // Deposit: the base amount typed, the quote amount at the pool's ratio (rounded up).
  const deposit = useMemo((): { baseMax?: bigint; quoteMax?: bigint; problem?: Explained } => {
    if (s === undefined) return {};
    let baseMax: bigint;
    try {
      baseMax = parseUnits(baseText.trim() === "" ? "0" : baseText.trim(), pool.base.decimals);
    } catch {
      return { problem: { kind: "amount", title: "Not a number", detail: "Enter an amount such as 1.5." } };
    }
    if (baseMax === 0n) return {};
    const rb = s.math.baseReserve;
    const rq = s.math.quoteReserve;
    const quoteMax = rb === 0n ? 0n : (baseMax * rq + rb - 1n) / rb;
    return { baseMax, quoteMax };
  }, [baseText, s, pool]);
  const depositQuote = useMemo(() => {
    if (s === undefined || deposit.baseMax === undefined || deposit.quoteMax === undefined)
      return { problem: deposit.problem };
    try {
      return { quote: quoteDeposit(s, deposit.baseMax, deposit.quoteMax) };
    } catch (e) {
      return { problem: explain(e) };
    }
  }, [s, deposit]);

  const withdrawShares = useMemo((): bigint | null => {
    if (withdrawText.trim() === "") return shares;
    try {
      return parseUnits(withdrawText.trim(), 18);
    } catch {
      return null;
    }
  }, [withdrawText, shares]);
  const withdrawQuote = useMemo(() => {
    if (s === undefined || withdrawShares === null || withdrawShares === 0n) return undefined;
    try {
      return quoteWithdraw(s, withdrawShares);
    } catch {
      return undefined;
    }
  }, [s, withdrawShares]);

  const client =
    wallet === null ? null : new SkewClient({ signer: wallet.signer, router: chain.router, slippageBps: SLIPPAGE_BPS });
  const act = async (label: string, f: () => Promise<void>) => {
    setBusy(label);
    setFailure(null);
    try {
      await f();
    } catch (e) {
      setFailure(explain(e));
    } finally {
      setBusy(null);
      await refresh();
      await loadPosition();
    }
  };
  const doDeposit = () =>
    act("Depositing…", async () => {
      if (client === null || deposit.baseMax === undefined || deposit.quoteMax === undefined) return;
      setDeposited(null);
      const r = await client.deposit(pool.address, deposit.baseMax, deposit.quoteMax, {
        permit: usePermit,
        slippageBps: SLIPPAGE_BPS,
      });
      setDeposited(r.event);
    });
  const doWithdraw = () =>
    act("Withdrawing…", async () => {
      if (client === null || withdrawShares === null) return;
      setWithdrawn(null);
      const r = await client.withdraw(pool.address, withdrawShares);
      setWithdrawn(r.event);
      setWithdrawText("");
    });

  if (s === undefined) return null;
  const price = oraclePrice(s);
  const value = (b: bigint, q: bigint) => whole(b, pool.base.decimals) * price + whole(q, pool.quote.decimals);
  const now = shares !== null && shares > 0n ? quoteWithdraw(s, shares) : { baseOut: 0n, quoteOut: 0n };
  const nowValue = value(now.baseOut, now.quoteOut);
  const holdValue = history === null ? 0 : value(history.basisBase, history.basisQuote);
  const feesValue = history === null ? 0 : value(history.feesBase, history.feesQuote);
  const pct = shares !== null && s.totalSupply > 0n ? (Number(shares) / Number(s.totalSupply)) * 100 : 0;

  return (
    <section>
      <h1>Liquidity</h1>
      <Choice
        label="Pool"
        value={pool.address}
        options={chain.pools}
        onChange={setPoolAddress}
        testId="lp-pool"
        inline
      />

      <div className="grid2">
        <div className="panel" data-testid="position">
          <h2>Your position</h2>
          {wallet === null ? (
            <p className="muted">Connect a wallet to see your position.</p>
          ) : (
            <dl className="stats">
              <dt>Shares</dt>
              <dd>{shares === null ? "…" : <Amount raw={shares} decimals={18} testId="position-shares" />}</dd>
              <dt>Share of pool</dt>
              <dd data-testid="position-pct">{fmt(pct, 4)} %</dd>
              <dt>Redeemable now</dt>
              <dd data-testid="position-tokens">
                <Amount raw={now.baseOut} decimals={pool.base.decimals} testId="position-base" /> {pool.base.symbol} +{" "}
                <Amount raw={now.quoteOut} decimals={pool.quote.decimals} testId="position-quote" /> {pool.quote.symbol}
              </dd>
              <dt>Value now</dt>
              <dd data-testid="position-value">
                {fmt(nowValue, 2)} {pool.quote.symbol} <span className="muted">at the oracle price</span>
              </dd>
              <dt>Holding instead</dt>
              <dd data-testid="position-hold">
                {fmt(holdValue, 2)} {pool.quote.symbol}{" "}
                {holdValue > 0 && (
                  <span className={nowValue >= holdValue ? "good" : "warn"}>
                    ({signed(nowValue - holdValue, 2)}, {signed(((nowValue - holdValue) / holdValue) * 1e4, 1)} bp)
                  </span>
                )}
              </dd>
              <dt>Fees earned</dt>
              <dd data-testid="position-fees">
                {fmt(feesValue, 2)} {pool.quote.symbol}{" "}
                {history !== null && (
                  <span className="muted">
                    (<Amount raw={history.feesBase} decimals={pool.base.decimals} symbol={pool.base.symbol} /> +{" "}
                    <Amount raw={history.feesQuote} decimals={pool.quote.decimals} symbol={pool.quote.symbol} />)
                  </span>
                )}
              </dd>
            </dl>
          )}
        </div>

        <div className="panel">
          <h2>Deposit</h2>
          <label>
            {pool.base.symbol}
            <input
              value={baseText}
              onChange={(e) => setBaseText(e.target.value)}
              inputMode="decimal"
              data-testid="deposit-base"
            />
          </label>
          <p className="muted" data-testid="deposit-quote-amount">
            + {deposit.quoteMax === undefined ? "–" : fmtRaw(deposit.quoteMax, pool.quote.decimals)} {pool.quote.symbol}{" "}
            at the pool's ratio
          </p>
          {depositQuote.quote !== undefined && (
            <dl className="stats">
              <dt>Takes</dt>
              <dd>
                <Amount raw={depositQuote.quote.baseIn} decimals={pool.base.decimals} symbol={pool.base.symbol} /> +{" "}
                <Amount raw={depositQuote.quote.quoteIn} decimals={pool.quote.decimals} symbol={pool.quote.symbol} />
              </dd>
              <dt>Shares</dt>
              <dd>
                <Amount testId="deposit-shares" raw={depositQuote.quote.shares} decimals={18} />
              </dd>
              <dt>At least</dt>
              <dd>
                <Amount raw={minOutWithSlippage(depositQuote.quote.shares, SLIPPAGE_BPS)} decimals={18} />{" "}
                <span className="muted">({SLIPPAGE_BPS} bp slippage)</span>
              </dd>
            </dl>
          )}
          {depositQuote.problem !== undefined && (
            <Notice tone="error" title={depositQuote.problem.title} testId="deposit-error">
              {depositQuote.problem.detail}
            </Notice>
          )}
          <label className="check">
            <input type="checkbox" checked={usePermit} onChange={(e) => setUsePermit(e.target.checked)} />
            Sign permits instead of approvals
          </label>
          <button
            className="primary"
            disabled={wallet === null || depositQuote.quote === undefined || busy !== null}
            onClick={() => void doDeposit()}
            data-testid="deposit"
          >
            {busy ?? "Deposit"}
          </button>
          {deposited !== null && (
            <Notice tone="ok" title="Deposited" testId="deposit-result">
              <Amount raw={deposited.baseIn} decimals={pool.base.decimals} symbol={pool.base.symbol} /> +{" "}
              <Amount raw={deposited.quoteIn} decimals={pool.quote.decimals} symbol={pool.quote.symbol} /> for{" "}
              <Amount raw={deposited.shares} decimals={18} testId="deposit-result-shares" /> shares
            </Notice>
          )}
        </div>

        <div className="panel">
          <h2>Withdraw</h2>
          <label>
            Shares (empty: all)
            <input
              value={withdrawText}
              placeholder={shares === null ? "" : formatUnits(shares, 18)}
              onChange={(e) => setWithdrawText(e.target.value)}
              inputMode="decimal"
              data-testid="withdraw-shares"
            />
          </label>
          {withdrawQuote !== undefined && (
            <p className="muted" data-testid="withdraw-quote">
              ≥{" "}
              <Amount
                raw={minOutWithSlippage(withdrawQuote.baseOut, SLIPPAGE_BPS)}
                decimals={pool.base.decimals}
                symbol={pool.base.symbol}
              />{" "}
              +{" "}
              <Amount
                raw={minOutWithSlippage(withdrawQuote.quoteOut, SLIPPAGE_BPS)}
                decimals={pool.quote.decimals}
                symbol={pool.quote.symbol}
              />{" "}
              (quoted <Amount raw={withdrawQuote.baseOut} decimals={pool.base.decimals} /> +{" "}
              <Amount raw={withdrawQuote.quoteOut} decimals={pool.quote.decimals} />
              ); withdrawals work even when paused or the oracle is down
            </p>
          )}
          <button
            className="primary"
            disabled={wallet === null || withdrawQuote === undefined || busy !== null}
            onClick={() => void doWithdraw()}
            data-testid="withdraw"
          >
            {busy ?? "Withdraw"}
          </button>
          {withdrawn !== null && (
            <Notice tone="ok" title="Withdrawn" testId="withdraw-result">
              <Amount raw={withdrawn.shares} decimals={18} testId="withdraw-result-shares" /> shares for{" "}
              <Amount raw={withdrawn.baseOut} decimals={pool.base.decimals} symbol={pool.base.symbol} /> +{" "}
              <Amount raw={withdrawn.quoteOut} decimals={pool.quote.decimals} symbol={pool.quote.symbol} />
            </Notice>
          )}
        </div>
      </div>
      {failure !== null && (
        <Notice tone="error" title={failure.title} testId="lp-error">
          {failure.detail}
        </Notice>
      )}
    </section>
  );
}
