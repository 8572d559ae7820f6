// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {OracleKind} from "../interfaces/ISkewOracle.sol";
import {FeedReader, FeedRound} from "./FeedReader.sol";
import {GuardConfig} from "./IOracleGuard.sol";
import {OracleGuard} from "./OracleGuard.sol";

/// @title ChainlinkOracle
/// @author Skew
/// @notice A Skew oracle (kind Push) over one Chainlink feed: `decimals`, `description`, `version` and
///         `getRoundData` are the feed's own; `latestRoundData` is the feed's latest round once the
///         `OracleGuard` rules hold, and reverts with the broken rule's error otherwise.
/// @dev Stateless about prices: the breaker reads earlier rounds through `getRoundData(roundId - 1)`.
///      Round ids carry Chainlink's phase in their high 16 bits (`phaseId << 64 | aggregatorRoundId`); the
///      first round of a phase (aggregator round 1, or 0) has no predecessor the guard trusts, so it counts
///      as a jump and waits for the cool-down or the guardian, as does a round whose predecessor cannot be
///      read or is not the round just before it. Only the feed's transmitters (new rounds) and the
///      guardian (`clearBreaker`) move what the breaker measures from; nobody can store a reference here.
contract ChainlinkOracle is OracleGuard {
    /// @notice The source feed is not a contract.
    /// @param source The address given.
    error InvalidSource(address source);

    /// @notice The Chainlink feed (usually its proxy) this oracle guards.
    AggregatorV3Interface public immutable SOURCE;

    /// @notice Creates the oracle over `source`.
    /// @param source The Chainlink feed.
    /// @param cfg The guard's settings.
    /// @param admin The default admin.
    /// @param adminDelay The admin-transfer delay, seconds.
    /// @param guardian The guardian (zero: none yet).
    constructor(
        AggregatorV3Interface source,
        GuardConfig memory cfg,
        address admin,
        uint48 adminDelay,
        address guardian
    ) OracleGuard(cfg, admin, adminDelay, guardian) {
        if (address(source).code.length == 0) revert InvalidSource(address(source));
        SOURCE = source;
    }

    /// @notice The feed's decimals.
    /// @return The decimals of the answers.
    function decimals() external view returns (uint8) {
        return SOURCE.decimals();
    }

    /// @notice The feed's description.
    /// @return The description, e.g. "ETH / USD".
    function description() external view returns (string memory) {
        return SOURCE.description();
    }

    /// @notice The feed's version.
    /// @return The version.
    function version() external view returns (uint256) {
        return SOURCE.version();
    }

    /// @notice One historical round of the feed, unjudged (the guard's rules apply to the latest round only).
    /// @param roundId The round.
    /// @return The feed's `getRoundData(roundId)`.
    function getRoundData(uint80 roundId) external view returns (uint80, int256, uint256, uint256, uint80) {
        return SOURCE.getRoundData(roundId);
    }

    /// @inheritdoc OracleGuard
    function _kind() internal pure override returns (OracleKind) {
        return OracleKind.Push;
    }

    /// @inheritdoc OracleGuard
    function _latestRound() internal view override returns (bool ok, FeedRound memory r) {
        return FeedReader.tryLatestRound(SOURCE);
    }

    /// @inheritdoc OracleGuard
    function _previousRound(
        FeedRound memory r
    ) internal view override returns (bool ok, FeedRound memory prev, bool accepted) {
        if (uint64(r.roundId) <= 1) return (false, prev, false);
        uint80 id = r.roundId - 1;
        (ok, prev) = FeedReader.tryRound(SOURCE, id);
        if (prev.roundId != id) ok = false;
    }
}
