// solidity-coverage: measure the protocol, not the test-only contracts.
module.exports = {
  skipFiles: ["test/", "interfaces/AggregatorV3Interface.sol"],
  mocha: { timeout: 3_600_000 },
};
