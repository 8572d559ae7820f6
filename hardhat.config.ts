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
 * Optimizer runs of the pool and of the factory that embeds its creation code. The swap runs out of line in
 * SwapLogic (like the rest of the pool's logic) since issue 11's fee and liquidity rules and issue 17's finer
 * targets left no room for it inside the pool under EIP-170 (25,134 bytes at 200 runs compiled in; 16,366
 * at 1,000 out of line).
 */
const POOL_RUNS = 1000;

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
    // Pool, factory (which embeds the pool's creation code) and SwapLogic via IR: cheaper and smaller. POOL_RUNS
    // keeps the pool under EIP-170 (24,576 bytes; `test/build/contract-size.test.ts`); raise it only if the size
    // test allows it.
    overrides: COVERAGE
      ? {}
      : Object.fromEntries(
          [
            ["contracts/pool/SwapLogic.sol", 1000],
            ["contracts/SkewPool.sol", POOL_RUNS],
            ["contracts/SkewFactory.sol", POOL_RUNS],
          ].map(([f, runs]) => [
            f,
            {
              version: SOLC_VERSION,
              settings: { optimizer: { enabled: true, runs: Number(runs) }, evmVersion: EVM_VERSION, viaIR: true },
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
