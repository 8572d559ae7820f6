// solidity-coverage: measure the protocol, not the test-only contracts. The pool, factory and
// SwapLogic compile via IR; instrumented code needs the Yul optimizer configured to compile.
module.exports = {
  skipFiles: ["test/", "interfaces/AggregatorV3Interface.sol"],
  configureYulOptimizer: true,
  mocha: { timeout: 3_600_000 },
};
