// SPDX-License-Identifier: MIT
// Vendored verbatim from @chainlink/contracts (MIT),
// src/v0.8/shared/interfaces/AggregatorV3Interface.sol.
// We vendor it instead of depending on the npm package because @chainlink/contracts pulls
// git dependencies that our offline CI cannot install. Do not edit below this header.
pragma solidity ^0.8.0;

// solhint-disable-next-line interface-starts-with-i
interface AggregatorV3Interface {
  function decimals() external view returns (uint8);

  function description() external view returns (string memory);

  function version() external view returns (uint256);

  function getRoundData(
    uint80 _roundId
  ) external view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);

  function latestRoundData()
    external
    view
    returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}
