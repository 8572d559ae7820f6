// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISkewOracle, OracleKind} from "../interfaces/ISkewOracle.sol";

/// @notice Why a Skew oracle's latest answer is, or is not, usable (the first rule it breaks, in the order
///         they are checked).
/// @dev `InvalidRound` (incomplete or future-dated) is the one reason `latestRoundData` does not revert for:
///      such a round is passed through unchanged so the pool's own checks name it (`IncompleteOracleRound`,
///      `OracleUpdateInFuture`). Staleness is not judged here: the pool applies its own max age.
enum OracleReason {
    Usable,
    SequencerDown,
    SequencerGracePeriod,
    SourceUnavailable,
    InvalidRound,
    AnswerOutOfBounds,
    CircuitBreakerTripped
}

/// @notice The L2 sequencer as the oracle sees it.
enum SequencerState {
    NotChecked,
    Up,
    Down,
    GracePeriod
}

/// @notice The settings every Skew oracle applies (see `OracleGuard`).
/// @param maxMovePips Largest move of an answer from the one before it, pips (1e6 = 100 %) of the earlier one.
/// @param coolDown Seconds after a round's update time from which that round is usable even if it tripped.
/// @param minAnswer Smallest usable answer (> 0).
/// @param maxAnswer Largest usable answer (> minAnswer, at most `type(int128).max`).
/// @param sequencerFeed Chainlink L2 sequencer-uptime feed, or the zero address for none.
/// @param sequencerGracePeriod Seconds after the sequencer comes back up before prices are usable again.
// solhint-disable-next-line gas-struct-packing
struct GuardConfig {
    uint32 maxMovePips;
    uint32 coolDown;
    int256 minAnswer;
    int256 maxAnswer;
    address sequencerFeed;
    uint32 sequencerGracePeriod;
}

/// @notice Everything `status()` reports.
/// @param kind Push or pull.
/// @param usable Whether `latestRoundData` answers now and every rule of the guard holds.
/// @param reason The first rule that fails, or `Usable`.
/// @param roundId The source's latest round (0 when unreadable).
/// @param answer The source's latest answer.
/// @param updatedAt When that round was updated.
/// @param referenceAnswer The answer the latest round is judged against by the breaker (0: none known).
/// @param clearsAt When the reason ends by itself: the breaker's cool-down end or the sequencer's grace
///        end; 0 when it does not end by itself or the answer is usable.
/// @param sequencer The L2 sequencer's state (`NotChecked` without a sequencer feed).
// solhint-disable-next-line gas-struct-packing
struct OracleStatus {
    OracleKind kind;
    bool usable;
    OracleReason reason;
    uint80 roundId;
    int256 answer;
    uint256 updatedAt;
    int256 referenceAnswer;
    uint256 clearsAt;
    SequencerState sequencer;
}

/// @title IOracleGuard
/// @author Skew
/// @notice The admin and guardian surface shared by every Skew oracle: circuit breaker, answer bounds,
///         L2 sequencer check, and a `status()` view that never reverts.
interface IOracleGuard is ISkewOracle {
    /// @notice The latest answer moved more than `maxMovePips` from the answer before it (or has no usable
    ///         answer before it) and neither the guardian nor the cool-down has cleared it yet.
    /// @param answer The latest answer.
    /// @param referenceAnswer The answer it was judged against (0 when none could be read).
    /// @param clearsAt When the cool-down clears it.
    error CircuitBreakerTripped(int256 answer, int256 referenceAnswer, uint256 clearsAt);
    /// @notice The latest answer lies outside the admin's bounds (only the admin's bounds can change that).
    /// @param answer The latest answer.
    /// @param minAnswer The smallest usable answer.
    /// @param maxAnswer The largest usable answer.
    error AnswerOutOfBounds(int256 answer, int256 minAnswer, int256 maxAnswer);
    /// @notice The L2 sequencer is down (or its uptime feed cannot be read).
    error SequencerDown();
    /// @notice The L2 sequencer is up again, but for less than the grace period.
    /// @param endsAt When the grace period ends.
    error SequencerGracePeriod(uint256 endsAt);
    /// @notice The price source could not be read.
    error OracleSourceUnavailable();
    /// @notice `maxMovePips` must be positive.
    error InvalidMaxMove();
    /// @notice The cool-down must be positive and at most `MAX_COOL_DOWN`.
    /// @param coolDown The rejected value.
    error InvalidCoolDown(uint32 coolDown);
    /// @notice Bounds must satisfy `0 < minAnswer < maxAnswer <= type(int128).max`.
    /// @param minAnswer The rejected minimum.
    /// @param maxAnswer The rejected maximum.
    error InvalidAnswerBounds(int256 minAnswer, int256 maxAnswer);
    /// @notice The grace period must be at most `MAX_GRACE_PERIOD`.
    /// @param gracePeriod The rejected value.
    error InvalidGracePeriod(uint32 gracePeriod);
    /// @notice The guardian asked to clear a round that is not the source's latest (a newer one arrived).
    /// @param roundId The round asked for.
    /// @param latestRoundId The source's latest round.
    error RoundNotLatest(uint80 roundId, uint80 latestRoundId);
    /// @notice The latest round is incomplete or dated in the future: there is nothing to clear.
    /// @param roundId The round.
    error CannotClearInvalidRound(uint80 roundId);

    /// @notice The breaker's bound changed.
    /// @param maxMovePips The new bound, pips.
    event MaxMoveUpdated(uint32 maxMovePips);
    /// @notice The breaker's cool-down changed.
    /// @param coolDown The new cool-down, seconds.
    event CoolDownUpdated(uint32 coolDown);
    /// @notice The answer bounds changed.
    /// @param minAnswer The smallest usable answer.
    /// @param maxAnswer The largest usable answer.
    event AnswerBoundsUpdated(int256 minAnswer, int256 maxAnswer);
    /// @notice The sequencer-uptime feed or its grace period changed.
    /// @param sequencerFeed The feed (zero: none).
    /// @param gracePeriod The grace period, seconds.
    event SequencerFeedUpdated(address sequencerFeed, uint32 gracePeriod);
    /// @notice The guardian accepted a round as usable (and as the reference of the rounds after it).
    /// @param roundId The round.
    /// @param answer Its answer.
    /// @param by The guardian or admin who cleared it.
    event BreakerCleared(uint80 roundId, int256 answer, address by);

    /// @notice Role that may clear a tripped breaker (`keccak256("GUARDIAN_ROLE")`); the admin may too.
    /// @return The role id.
    function GUARDIAN_ROLE() external view returns (bytes32);

    /// @notice Why the latest answer is, or is not, usable. Never reverts.
    /// @return st The status.
    function status() external view returns (OracleStatus memory st);

    /// @notice The settings in force.
    /// @return cfg The settings.
    function guardConfig() external view returns (GuardConfig memory cfg);

    /// @notice The round the guardian last cleared (0 when none).
    /// @return roundId The round id.
    /// @return updatedAt Its update time.
    function clearedRound() external view returns (uint80 roundId, uint256 updatedAt);

    /// @notice Accepts the source's latest round as usable, whatever it moved (bounds still apply). Guardian
    ///         or admin.
    /// @param roundId The round reviewed; reverts with `RoundNotLatest` if a newer one has arrived.
    function clearBreaker(uint80 roundId) external;

    /// @notice Sets the breaker's bound. Admin.
    /// @param maxMovePips Largest move from the previous answer, pips of it (> 0).
    function setMaxMove(uint32 maxMovePips) external;

    /// @notice Sets the breaker's cool-down. Admin.
    /// @param coolDown Seconds (1 ..= `MAX_COOL_DOWN`).
    function setCoolDown(uint32 coolDown) external;

    /// @notice Sets the answer bounds. Admin.
    /// @param minAnswer Smallest usable answer (> 0).
    /// @param maxAnswer Largest usable answer (> minAnswer, <= `type(int128).max`).
    function setAnswerBounds(int256 minAnswer, int256 maxAnswer) external;

    /// @notice Sets the L2 sequencer-uptime feed and its grace period. Admin.
    /// @param sequencerFeed The feed, or the zero address for none.
    /// @param gracePeriod Seconds (<= `MAX_GRACE_PERIOD`).
    function setSequencerFeed(address sequencerFeed, uint32 gracePeriod) external;
}
