// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";

/// @title MockSequencerUptimeFeed
/// @author Skew
/// @notice Test-only Chainlink L2 sequencer-uptime feed: answer 0 = up, 1 = down; `startedAt` = when the
///         status last changed. A switch makes every read revert (a broken feed).
contract MockSequencerUptimeFeed is AggregatorV3Interface {
    /// @notice Every read reverts with this while `broken`.
    error FeedBroken();

    /// @notice Whether every read reverts.
    bool public broken;
    uint80 private _roundId;
    int256 private _answer;
    uint256 private _startedAt;
    uint256 private _updatedAt;

    /// @notice Creates the feed: up since `startedAt_`.
    /// @param startedAt_ When the sequencer came up.
    constructor(uint256 startedAt_) {
        setStatus(0, startedAt_);
    }

    /// @notice Sets the status (0 up, 1 down; anything else is passed on) and when it started.
    /// @param answer_ The status.
    /// @param startedAt_ When it started.
    function setStatus(int256 answer_, uint256 startedAt_) public {
        (_roundId, _answer, _startedAt, _updatedAt) = (_roundId + 1, answer_, startedAt_, block.timestamp);
    }

    /// @notice Makes every read revert (or work again).
    /// @param broken_ Whether reads revert.
    function setBroken(bool broken_) external {
        broken = broken_;
    }

    /// @inheritdoc AggregatorV3Interface
    function decimals() external pure returns (uint8) {
        return 0;
    }

    /// @inheritdoc AggregatorV3Interface
    function description() external pure returns (string memory) {
        return "L2 Sequencer Uptime Status Feed";
    }

    /// @inheritdoc AggregatorV3Interface
    function version() external pure returns (uint256) {
        return 1;
    }

    /// @inheritdoc AggregatorV3Interface
    function getRoundData(uint80) external view returns (uint80, int256, uint256, uint256, uint80) {
        return latestRoundData();
    }

    /// @inheritdoc AggregatorV3Interface
    function latestRoundData() public view returns (uint80, int256, uint256, uint256, uint80) {
        if (broken) revert FeedBroken();
        return (_roundId, _answer, _startedAt, _updatedAt, _roundId);
    }
}
