// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";

/// @title MockAggregator
/// @author Skew
/// @notice Test-only Chainlink-style aggregator with full control over its rounds, and a switch that
///         makes every read revert (a broken feed).
/// @dev Storage is packed about as tightly as Chainlink's OCR aggregator's (answer and timestamps in one
///      slot), so gas measurements through it stay realistic.
contract MockAggregator is AggregatorV3Interface {
    /// @dev One round's data, two slots.
    struct Round {
        int192 answer;
        uint32 startedAt;
        uint32 updatedAt;
        uint80 answeredInRound;
    }

    /// @notice Every read reverts with this while `broken`.
    error FeedBroken();
    /// @notice The requested round does not exist.
    error NoDataPresent();

    uint8 private _decimals;
    /// @notice Whether every read reverts.
    bool public broken;
    /// @notice The latest round's id.
    uint80 public latestRound;
    mapping(uint80 roundId => Round round) private _rounds;

    /// @notice Creates the aggregator with a first round at the current time.
    /// @param decimals_ Decimals of the answers.
    /// @param initialAnswer The first round's answer.
    constructor(uint8 decimals_, int256 initialAnswer) {
        _decimals = decimals_;
        setAnswer(initialAnswer);
    }

    /// @notice Starts a new, complete round with `answer`, updated now.
    /// @param answer The answer.
    function setAnswer(int256 answer) public {
        uint80 id = latestRound + 1;
        setRound(id, answer, block.timestamp, block.timestamp, id);
    }

    /// @notice Writes a round with arbitrary data and makes it the latest.
    /// @param roundId Round id.
    /// @param answer Answer.
    /// @param startedAt Start time.
    /// @param updatedAt Update time.
    /// @param answeredInRound Round in which the answer was computed.
    function setRound(
        uint80 roundId,
        int256 answer,
        uint256 startedAt,
        uint256 updatedAt,
        uint80 answeredInRound
    ) public {
        _rounds[roundId] = Round(int192(answer), uint32(startedAt), uint32(updatedAt), answeredInRound);
        latestRound = roundId;
    }

    /// @notice Makes every read revert (or work again).
    /// @param broken_ Whether reads revert.
    function setBroken(bool broken_) external {
        broken = broken_;
    }

    /// @notice Changes the decimals.
    /// @param decimals_ New decimals.
    function setDecimals(uint8 decimals_) external {
        _decimals = decimals_;
    }

    /// @inheritdoc AggregatorV3Interface
    function decimals() external view returns (uint8) {
        if (broken) revert FeedBroken();
        return _decimals;
    }

    /// @inheritdoc AggregatorV3Interface
    function description() external pure returns (string memory) {
        return "MOCK / USD";
    }

    /// @inheritdoc AggregatorV3Interface
    function version() external pure returns (uint256) {
        return 4;
    }

    /// @inheritdoc AggregatorV3Interface
    function getRoundData(uint80 roundId) public view returns (uint80, int256, uint256, uint256, uint80) {
        if (broken) revert FeedBroken();
        Round memory r = _rounds[roundId];
        if (r.updatedAt == 0 && r.answeredInRound == 0 && r.answer == 0) revert NoDataPresent();
        return (roundId, r.answer, r.startedAt, r.updatedAt, r.answeredInRound);
    }

    /// @inheritdoc AggregatorV3Interface
    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        if (broken) revert FeedBroken();
        Round memory r = _rounds[latestRound];
        return (latestRound, r.answer, r.startedAt, r.updatedAt, r.answeredInRound);
    }
}
