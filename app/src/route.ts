/** Finding a route between two tokens over the deployment's pools: one pool, or two through a shared token. */
import type { RouteHop } from "@skew/sdk";
import type { PoolInfo } from "./chain";

/** The hop that sells `tokenIn` on `pool`, or null if the pool does not trade it. */
function hopOf(pool: PoolInfo, tokenIn: string, tokenOut?: string): RouteHop | null {
  if (pool.base.address === tokenIn && (tokenOut === undefined || pool.quote.address === tokenOut))
    return { pool: pool.address, side: "sellBase" };
  if (pool.quote.address === tokenIn && (tokenOut === undefined || pool.base.address === tokenOut))
    return { pool: pool.address, side: "sellQuote" };
  return null;
}

/** The other token of a pool. */
const otherToken = (pool: PoolInfo, token: string): string =>
  pool.base.address === token ? pool.quote.address : pool.base.address;

/** The shortest route from `tokenIn` to `tokenOut` (direct pool first), or null when there is none. */
export function findRoute(pools: readonly PoolInfo[], tokenIn: string, tokenOut: string): RouteHop[] | null {
  if (tokenIn === tokenOut) return null;
  for (const p of pools) {
    const h = hopOf(p, tokenIn, tokenOut);
    if (h !== null) return [h];
  }
  for (const first of pools) {
    const h1 = hopOf(first, tokenIn);
    if (h1 === null) continue;
    const mid = otherToken(first, tokenIn);
    for (const second of pools) {
      if (second.address === first.address) continue;
      const h2 = hopOf(second, mid, tokenOut);
      if (h2 !== null) return [h1, h2];
    }
  }
  return null;
}
