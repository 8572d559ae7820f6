// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {Price} from "../libraries/SkewTypes.sol";

/// @title OracleAdapter
/// @author Skew
/// @notice Reads a Chainlink-style feed as the exact rational reference price the Skew math takes.
/// @dev The price is `answer / 10**feedDecimals` whole quote tokens per whole base token, i.e. scaled
///      (18-decimal) quote units per scaled base unit, kept as a fraction so no precision is lost here;
///      token decimals are handled by the math's scales. A round is usable when it is complete
///      (`updatedAt != 0`, `answeredInRound >= roundId`), its answer is positive, it is not dated in the
///      future and it is at most `maxAge` seconds old.
library OracleAdapter {
    /// @notice Why a round is, or is not, usable.
    enum Status {
        Ok,
        Incomplete,
        InvalidPrice,
        FutureTimestamp,
        Stale
    }

    /// @notice The latest round is older than the pool accepts.
    /// @param updatedAt When the round was last updated.
    /// @param maxAge The largest accepted age, seconds.
    error StaleOracle(uint256 updatedAt, uint256 maxAge);
    /// @notice The feed answered zero or a negative price.
    /// @param answer The answer reported.
    error InvalidOraclePrice(int256 answer);
    /// @notice The latest round is not complete (never updated, or answered in an earlier round).
    /// @param roundId The round reported.
    /// @param answeredInRound The round in which its answer was computed.
    error IncompleteOracleRound(uint80 roundId, uint80 answeredInRound);
    /// @notice The feed dates its latest round after the current block: the feed is malfunctioning.
    /// @param updatedAt The reported update time.
    /// @param timestamp The current block's timestamp.
    error OracleUpdateInFuture(uint256 updatedAt, uint256 timestamp);

    /// @notice Reads the latest round of `feed` and reverts unless it is usable.
    /// @param feed The Chainlink-style feed (usually a proxy).
    /// @param feedDecimals The feed's decimals, read once and stored by the caller.
    /// @param maxAge The largest accepted age of the round, seconds.
    /// @return price The reference price, `answer / 10**feedDecimals`.
    /// @return updatedAt When the round was last updated.
    function readPrice(
        AggregatorV3Interface feed,
        uint8 feedDecimals,
        uint256 maxAge
    ) internal view returns (Price memory price, uint256 updatedAt) {
        (uint80 roundId, int256 answer, , uint256 updatedAt_, uint80 answeredInRound) = feed.latestRoundData();
        Status s = status(roundId, answer, updatedAt_, answeredInRound, maxAge);
        if (s != Status.Ok) {
            if (s == Status.Incomplete) revert IncompleteOracleRound(roundId, answeredInRound);
            if (s == Status.InvalidPrice) revert InvalidOraclePrice(answer);
            if (s == Status.FutureTimestamp) revert OracleUpdateInFuture(updatedAt_, block.timestamp);
            revert StaleOracle(updatedAt_, maxAge);
        }
        price = Price({num: uint256(answer), den: 10 ** feedDecimals});
        updatedAt = updatedAt_;
    }

    /// @notice Reads the latest round of `feed` without ever reverting, for views.
    /// @dev A feed that reverts, is not a contract or returns malformed data gives `ok = false` and a zero
    ///      price. Otherwise the round's price and time are returned even when the round is not usable.
    /// @param feed The Chainlink-style feed.
    /// @param feedDecimals The feed's decimals.
    /// @param maxAge The largest accepted age of the round, seconds.
    /// @return ok Whether `readPrice` would succeed in this block.
    /// @return price The reported price (numerator 0 when the answer is not positive).
    /// @return updatedAt When the round was last updated (0 when the feed could not be read).
    function tryReadPrice(
        AggregatorV3Interface feed,
        uint8 feedDecimals,
        uint256 maxAge
    ) internal view returns (bool ok, Price memory price, uint256 updatedAt) {
        price.den = 10 ** feedDecimals;
        (bool success, bytes memory data) = address(feed).staticcall(
            abi.encodeCall(AggregatorV3Interface.latestRoundData, ())
        );
        if (!success || data.length < 160) return (false, price, 0);
        // Decoded as full words so that malformed (out-of-range) values cannot make this revert.
        (uint256 roundId, int256 answer, , uint256 updatedAt_, uint256 answeredInRound) = abi.decode(
            data,
            (uint256, int256, uint256, uint256, uint256)
        );
        if (answer > 0) price.num = uint256(answer);
        updatedAt = updatedAt_;
        if (roundId > type(uint80).max || answeredInRound > type(uint80).max) return (false, price, updatedAt);
        ok = status(uint80(roundId), answer, updatedAt_, uint80(answeredInRound), maxAge) == Status.Ok;
    }

    /// @notice Classifies a round against the usability rules, in the order they are checked.
    /// @param roundId The round reported.
    /// @param answer The answer reported.
    /// @param updatedAt The reported update time.
    /// @param answeredInRound The round in which the answer was computed.
    /// @param maxAge The largest accepted age, seconds.
    /// @return The first rule the round breaks, or `Status.Ok`.
    function status(
        uint80 roundId,
        int256 answer,
        uint256 updatedAt,
        uint80 answeredInRound,
        uint256 maxAge
    ) internal view returns (Status) {
        if (updatedAt == 0 || answeredInRound < roundId) return Status.Incomplete;
        if (answer <= 0) return Status.InvalidPrice;
        if (updatedAt > block.timestamp) return Status.FutureTimestamp;
        if (block.timestamp - updatedAt > maxAge) return Status.Stale;
        return Status.Ok;
    }
}
