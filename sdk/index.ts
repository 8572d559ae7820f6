/**
 * The Skew SDK: wei-exact quotes of Skew pools, state loading, transaction builders, typed
 * errors, events and a signer-bound client. See the README's "SDK" section.
 *
 * The math mirror is exported whole as `math` (its `quoteExactIn` / `quoteExactOut` take a raw
 * `PoolMath`); the top-level `quoteExactIn` / `quoteExactOut` take a loaded `PoolSnapshot` and
 * apply the pool's own checks (pause, oracle) first. Typed contract bindings are in
 * `@skew/sdk/contracts`.
 */
export * as math from "./math";
export { PIPS, Region, WAD, imbalance, midPrice } from "./math";
export type { PoolMath, Price, SwapQuote, SwapSide } from "./math";

export * from "./errors";
export * from "./state";
export * from "./quote";
export * from "./liquidity";
export * from "./tx";
export * from "./events";
export * from "./approvals";
export * from "./client";
export * from "./deployments";
export * from "./priceSource";
export * from "./priceSourceMockPyth";
export * from "./priceSourceHermes";
export * from "./pullOracle";
