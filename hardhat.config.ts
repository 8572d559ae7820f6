import { subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig } from "hardhat/config";
import "@nomicfoundation/hardhat-toolbox";

/** The one compiler version we ship; the npm `solc` package provides it as wasm. */
const SOLC_VERSION = "0.8.30";
const EVM_VERSION = "cancun";

// Compile with the pinned npm `solc` (wasm) instead of downloading a native build:
// this machine and CI cannot reach the compiler list, and this keeps builds reproducible.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD).setAction(async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper(args);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solcJs = require("solc") as { version(): string };
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: solcJs.version(),
  };
});

/**
 * `npm run coverage` sets COVERAGE=1: solidity-coverage then compiles every file the plain way
 * (no via-IR overrides, which lose its hit attribution) and lets the instrumented, larger code
 * deploy. Sizes and gas are measured on the real build only.
 */
const COVERAGE = process.env.COVERAGE === "1";

/**
 * Optimizer runs of the pool and of the factory that embeds its creation code: 200 since the
 * path-integrated surge fee (issue 11) grew the swap compiled into the pool past EIP-170 at 1,000.
 */
const POOL_RUNS = 200;

const config: HardhatUserConfig = {
  solidity: {
    compilers: [
      {
        version: SOLC_VERSION,
        settings: {
          optimizer: { enabled: true, runs: 10_000 },
          evmVersion: EVM_VERSION,
          viaIR: false,
        },
      },
    ],
    // The pool compiles the swap in (no DELEGATECALL on the hot path): via IR it is cheaper and smaller,
    // and `POOL_RUNS` keeps its runtime code under EIP-170 (24,576 bytes; `test/size/contract-size.test.ts`).
    // The factory must use the same settings, since it embeds the pool's creation code; SwapLogic too, so
    // the quote views run the same compiled math as the swap. Raise runs only if the size test allows it.
    overrides: COVERAGE
      ? {}
      : Object.fromEntries(
          (
            [
              ["contracts/pool/SwapLogic.sol", 1000],
              ["contracts/SkewPool.sol", POOL_RUNS],
              ["contracts/SkewFactory.sol", POOL_RUNS],
            ] as const
          ).map(([f, runs]) => [
            f,
            {
              version: SOLC_VERSION,
              settings: { optimizer: { enabled: true, runs }, evmVersion: EVM_VERSION, viaIR: true },
            },
          ]),
        ),
  },
  networks: {
    hardhat: { hardfork: EVM_VERSION, allowUnlimitedContractSize: COVERAGE },
    localhost: { url: process.env.LOCALHOST_RPC_URL ?? "http://127.0.0.1:8545" },
  },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  mocha: { timeout: 600_000 },
  gasReporter: { enabled: false },
};

export default config;
