/** Pools: every pool of the deployment, from one `getPoolStates` call. */
import type { PageProps } from "../App";
import { InventoryGauge } from "../components/InventoryGauge";
import {
  ago,
  feeNow,
  fmt,
  oracleAge,
  oraclePrice,
  pendingK,
  pipsPct,
  poolMid,
  signedInventory,
  valueLocked,
  wad,
} from "../figures";

export function Pools({ chain, states }: PageProps) {
  return (
    <section>
      <h1>Pools</h1>
      <div className="cards">
        {chain.pools.map((p) => {
          const s = states.get(p.address);
          if (s === undefined) return null;
          const oracle = oraclePrice(s);
          const mid = poolMid(s);
          const fee = feeNow(s);
          const age = oracleAge(s);
          const stale = !s.oracle.ok;
          const pull = s.oracle.status?.kind === "pull";
          const pk = pendingK(s);
          const skewBps = oracle > 0 ? (mid / oracle - 1) * 1e4 : 0;
          return (
            <article className="card" key={p.address} data-testid={`pool-${p.name}`}>
              <header className="card-head">
                <h2>{p.name}</h2>
                <div className="badges">
                  {s.paused ? (
                    <span className="badge bad" data-testid="paused-badge">
                      paused
                    </span>
                  ) : (
                    <span className="badge good">live</span>
                  )}
                  {s.oracle.status?.reason === "circuitBreakerTripped" ? (
                    <span
                      className="badge bad"
                      data-testid="oracle-badge"
                      title={`clears at ${new Date(Number(s.oracle.status.clearsAt) * 1000).toISOString()} or when the guardian clears it`}
                    >
                      circuit breaker tripped
                    </span>
                  ) : stale && pull ? (
                    <span className="badge warn" data-testid="oracle-badge">
                      swaps bring a price update
                    </span>
                  ) : stale ? (
                    <span className="badge bad" data-testid="oracle-badge">
                      oracle stale
                    </span>
                  ) : (
                    <span className="badge good" data-testid="oracle-badge">
                      oracle ok
                    </span>
                  )}
                  {fee.surge && (
                    <span className="badge warn" data-testid="surge-badge">
                      surge fee active
                    </span>
                  )}
                </div>
              </header>
              <dl className="stats">
                <dt>Value locked</dt>
                <dd data-testid="tvl">
                  {fmt(valueLocked(s), 0)} {p.quote.symbol}
                </dd>
                <dt>Reserves</dt>
                <dd data-testid="reserves">
                  {fmt(Number(s.math.baseReserve) / 10 ** p.base.decimals)} {p.base.symbol} ·{" "}
                  {fmt(Number(s.math.quoteReserve) / 10 ** p.quote.decimals)} {p.quote.symbol}
                </dd>
                <dt>Oracle</dt>
                <dd data-testid="oracle-kind">
                  {pull ? "pull (Pyth): each swap can bring a signed price" : "push (Chainlink-style feed)"}{" "}
                  <span className="muted">· last price {ago(age)} old</span>
                </dd>
                <dt>Oracle price</dt>
                <dd data-testid="oracle-price">
                  {fmt(oracle)} {p.quote.symbol}{" "}
                  <span className={stale ? "warn" : "muted"}>
                    · {ago(age)} old (max {ago(Number(s.oracle.maxAge))})
                  </span>
                </dd>
                <dt>Pool mid</dt>
                <dd data-testid="mid">
                  {fmt(mid)} {p.quote.symbol}{" "}
                  <span className="muted">
                    · {skewBps >= 0 ? "+" : ""}
                    {fmt(skewBps, 1)} bp vs oracle
                  </span>
                </dd>
                <dt>Fee now</dt>
                <dd data-testid="fee">
                  {pipsPct(s.params.baseFee)} base
                  {fee.surge ? (
                    <span className="warn"> · {pipsPct(fee.pips)} for swaps adding to the imbalance</span>
                  ) : (
                    <span className="muted"> · surge up to {pipsPct(s.params.maxFee)} past τ</span>
                  )}
                </dd>
                <dt>Skew k</dt>
                <dd data-testid="k">
                  {fmt(wad(s.params.k), 4)}
                  {pk !== null && pk !== s.params.k && <span className="warn"> → {fmt(wad(pk), 4)} pending</span>}
                  <span className="muted"> · τ {fmt(wad(s.params.tau) * 100, 2)} %</span>
                </dd>
                <dt>Pending changes</dt>
                <dd data-testid="pending">{pk !== null && pk !== s.params.k ? `k → ${fmt(wad(pk), 4)}` : "none"}</dd>
              </dl>
              <InventoryGauge signed={signedInventory(s)} tau={wad(s.params.tau)} base={p.base.symbol} />
            </article>
          );
        })}
      </div>
    </section>
  );
}
