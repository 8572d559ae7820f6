/**
 * `@skew/sdk/contracts`: typed ethers v6 bindings (TypeChain) of the contracts an integrator calls:
 * `SkewPool`, `SkewRouter`, `SkewFactory`, the deployless `SkewStateLens` and the Chainlink feed
 * interface. Generated from the Solidity sources at build time and bundled into the package; at
 * run time they need only ethers.
 *
 * `ISkewPool__factory.connect(address, runner)` gives a typed pool (its views, swap, deposit,
 * withdraw and events); the `Skew*__factory` classes also carry the ABIs (`.abi`).
 */
export { ISkewPool__factory } from "../typechain-types/factories/contracts/interfaces/ISkewPool__factory";
export { ISkewRouter__factory } from "../typechain-types/factories/contracts/interfaces/ISkewRouter__factory";
export { ISkewFactory__factory } from "../typechain-types/factories/contracts/interfaces/ISkewFactory__factory";
export { AggregatorV3Interface__factory } from "../typechain-types/factories/contracts/interfaces/AggregatorV3Interface__factory";
export { SkewStateLens__factory } from "../typechain-types/factories/contracts/lens/SkewStateLens__factory";
export type { ISkewPool, PoolStateStructOutput } from "../typechain-types/contracts/interfaces/ISkewPool";
export type { ISkewRouter } from "../typechain-types/contracts/interfaces/ISkewRouter";
export type { ISkewFactory } from "../typechain-types/contracts/interfaces/ISkewFactory";
export type { AggregatorV3Interface } from "../typechain-types/contracts/interfaces/AggregatorV3Interface";
