// solidity-coverage (`npm run coverage`, which sets COVERAGE=1 so hardhat.config.ts compiles
// without the via-IR overrides): measure the protocol, not the test-only contracts.
module.exports = {
  skipFiles: ["test/", "interfaces/AggregatorV3Interface.sol"],
  mocha: { timeout: 3_600_000 },
};
