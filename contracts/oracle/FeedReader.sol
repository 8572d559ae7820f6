// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";

/// @notice One round of a Chainlink-style feed, as `latestRoundData` / `getRoundData` return it.
/// @param roundId The round.
/// @param answer The answer.
/// @param startedAt When the round started.
/// @param updatedAt When the round was last updated (0: incomplete).
/// @param answeredInRound The round in which the answer was computed.
// solhint-disable-next-line gas-struct-packing
struct FeedRound {
    uint80 roundId;
    int256 answer;
    uint256 startedAt;
    uint256 updatedAt;
    uint80 answeredInRound;
}

/// @title FeedReader
/// @author Skew
/// @notice Reads Chainlink-style rounds without ever reverting: a feed that reverts, is not a contract or
///         returns malformed data gives `ok = false`.
library FeedReader {
    /// @notice The feed's latest round.
    /// @param feed The feed.
    /// @return ok Whether the feed answered well-formed data.
    /// @return r The round (zeroes when `ok` is false).
    function tryLatestRound(AggregatorV3Interface feed) internal view returns (bool ok, FeedRound memory r) {
        return _tryRead(address(feed), abi.encodeCall(AggregatorV3Interface.latestRoundData, ()));
    }

    /// @notice One round of the feed.
    /// @param feed The feed.
    /// @param roundId The round.
    /// @return ok Whether the feed answered well-formed data.
    /// @return r The round (zeroes when `ok` is false).
    function tryRound(AggregatorV3Interface feed, uint80 roundId) internal view returns (bool ok, FeedRound memory r) {
        return _tryRead(address(feed), abi.encodeCall(AggregatorV3Interface.getRoundData, (roundId)));
    }

    /// @dev Static-calls `feed` and decodes five words as full words, so out-of-range values cannot revert.
    function _tryRead(address feed, bytes memory call) private view returns (bool ok, FeedRound memory r) {
        if (feed.code.length == 0) return (false, r);
        (bool success, bytes memory data) = feed.staticcall(call);
        if (!success || data.length < 160) return (false, r);
        (uint256 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint256 answeredInRound) = abi.decode(
            data,
            (uint256, int256, uint256, uint256, uint256)
        );
        if (roundId > type(uint80).max || answeredInRound > type(uint80).max) return (false, r);
        r = FeedRound(uint80(roundId), answer, startedAt, updatedAt, uint80(answeredInRound));
        ok = true;
    }
}
