// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable-next-line max-line-length
import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {OracleKind} from "../interfaces/ISkewOracle.sol";
import {FeedReader, FeedRound} from "./FeedReader.sol";
import {GuardConfig, IOracleGuard, OracleReason, OracleStatus, SequencerState} from "./IOracleGuard.sol";

/// @title OracleGuard
/// @author Skew
/// @notice The rules every Skew oracle applies before a pool may trade on its answer, for push feeds and pull
///         oracles alike. `latestRoundData` answers the source's latest round only when
///         1. the L2 sequencer (if a sequencer-uptime feed is set) is up, and has been for the grace period;
///         2. the source can be read;
///         3. the answer lies in the admin's `[minAnswer, maxAnswer]` (never cleared by time or guardian);
///         4. the circuit breaker holds: going back from the latest round to the first "anchor", every step
///            moves at most `maxMovePips` from the answer before it. An anchor is a round whose cool-down
///            has passed (`updatedAt + coolDown <= now`), the round the guardian cleared, or a round the
///            source vouches for as a stored usable reference (pull oracles). A round with no readable,
///            in-bounds predecessor (first round of a Chainlink phase, a missing round) counts as a move
///            beyond the bound, and so does a chain of more than `MAX_LOOKBACK` rounds inside the
///            cool-down. A tripped answer thus clears when the guardian clears it, or `coolDown` seconds
///            after the round that jumped; later rounds inside the bound do not clear it sooner.
///         Otherwise it reverts with the first broken rule's error. An incomplete or future-dated round is
///         passed through for the pool's own checks (and the pool applies its max age).
/// @dev A concrete oracle supplies the source (`_latestRound`, `_previousRound`, `_kind`) and the rest of
///      `AggregatorV3Interface` (`decimals`, `description`, `version`, `getRoundData`). A pull oracle keeps
///      its last usable price as a stored reference, returned by `_previousRound` with `accepted = true`,
///      and may override `_onClear` to adopt the cleared answer as that reference.
abstract contract OracleGuard is IOracleGuard, AccessControlDefaultAdminRules {
    /// @inheritdoc IOracleGuard
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    /// @notice The denominator of `maxMovePips`.
    uint256 public constant PIPS = 1e6;
    /// @notice Largest cool-down the admin may set, seconds.
    uint32 public constant MAX_COOL_DOWN = 7 days;
    /// @notice Largest sequencer grace period the admin may set, seconds.
    uint32 public constant MAX_GRACE_PERIOD = 1 days;
    /// @notice Most rounds the breaker reads back inside one cool-down before it treats the chain as a trip.
    uint256 public constant MAX_LOOKBACK = 8;

    /// @dev The settings a read needs, in one slot.
    struct Settings {
        uint32 maxMovePips;
        uint32 coolDown;
        uint32 gracePeriod;
        address sequencerFeed;
    }

    Settings private _settings;
    int128 private _minAnswer;
    int128 private _maxAnswer;
    uint80 private _clearedRoundId;
    uint64 private _clearedUpdatedAt;

    /// @notice Only the guardian or the default admin.
    modifier onlyGuardianOrAdmin() {
        if (!hasRole(GUARDIAN_ROLE, msg.sender) && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) {
            revert AccessControlUnauthorizedAccount(msg.sender, GUARDIAN_ROLE);
        }
        _;
    }

    /// @notice Sets the rules and the roles.
    /// @param cfg The guard's settings (validated as by the setters).
    /// @param admin The default admin (two-step transfers, `adminDelay`).
    /// @param adminDelay OpenZeppelin `AccessControlDefaultAdminRules` delay, seconds.
    /// @param guardian The guardian (zero: none yet).
    constructor(
        GuardConfig memory cfg,
        address admin,
        uint48 adminDelay,
        address guardian
    ) AccessControlDefaultAdminRules(adminDelay, admin) {
        _setMaxMove(cfg.maxMovePips);
        _setCoolDown(cfg.coolDown);
        _setAnswerBounds(cfg.minAnswer, cfg.maxAnswer);
        _setSequencerFeed(cfg.sequencerFeed, cfg.sequencerGracePeriod);
        if (guardian != address(0)) _grantRole(GUARDIAN_ROLE, guardian);
    }

    // ------------------------------------------------------------------ reads

    /// @notice The source's latest round when every rule holds (see the contract's notice); reverts with the
    ///         first broken rule's error otherwise.
    /// @return roundId The round.
    /// @return answer The answer.
    /// @return startedAt When the round started.
    /// @return updatedAt When the round was updated.
    /// @return answeredInRound The round in which the answer was computed.
    function latestRoundData()
        external
        view
        virtual
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        FeedRound memory r = _guardedRound();
        return (r.roundId, r.answer, r.startedAt, r.updatedAt, r.answeredInRound);
    }

    /// @inheritdoc IOracleGuard
    function status() external view returns (OracleStatus memory st) {
        (st, ) = _evaluate();
    }

    /// @notice Push or pull.
    /// @return The oracle's kind.
    function kind() external view returns (OracleKind) {
        return _kind();
    }

    /// @inheritdoc IOracleGuard
    function guardConfig() external view returns (GuardConfig memory cfg) {
        Settings memory s = _settings;
        cfg = GuardConfig({
            maxMovePips: s.maxMovePips,
            coolDown: s.coolDown,
            minAnswer: _minAnswer,
            maxAnswer: _maxAnswer,
            sequencerFeed: s.sequencerFeed,
            sequencerGracePeriod: s.gracePeriod
        });
    }

    /// @inheritdoc IOracleGuard
    function clearedRound() external view returns (uint80 roundId, uint256 updatedAt) {
        return (_clearedRoundId, _clearedUpdatedAt);
    }

    // ------------------------------------------------------------------ guardian and admin

    /// @inheritdoc IOracleGuard
    function clearBreaker(uint80 roundId) external onlyGuardianOrAdmin {
        (bool ok, FeedRound memory r) = _latestRound();
        if (!ok) revert OracleSourceUnavailable();
        if (r.roundId != roundId) revert RoundNotLatest(roundId, r.roundId);
        if (!_wellFormed(r)) revert CannotClearInvalidRound(r.roundId);
        (_clearedRoundId, _clearedUpdatedAt) = (r.roundId, uint64(r.updatedAt));
        emit BreakerCleared(r.roundId, r.answer, msg.sender);
        _onClear(r);
    }

    /// @inheritdoc IOracleGuard
    function setMaxMove(uint32 maxMovePips) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setMaxMove(maxMovePips);
    }

    /// @inheritdoc IOracleGuard
    function setCoolDown(uint32 coolDown) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setCoolDown(coolDown);
    }

    /// @inheritdoc IOracleGuard
    function setAnswerBounds(int256 minAnswer, int256 maxAnswer) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setAnswerBounds(minAnswer, maxAnswer);
    }

    /// @inheritdoc IOracleGuard
    function setSequencerFeed(address sequencerFeed, uint32 gracePeriod) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setSequencerFeed(sequencerFeed, gracePeriod);
    }

    // ------------------------------------------------------------------ hooks for the concrete oracle

    /// @dev Push or pull.
    function _kind() internal view virtual returns (OracleKind);

    /// @dev The source's latest round; `ok = false` when it cannot be read. Must not revert.
    function _latestRound() internal view virtual returns (bool ok, FeedRound memory r);

    /// @dev The round the source answered before `r`, for the breaker's walk back. Must not revert.
    ///      `ok = false` when there is none the guard can trust (the walk then counts `r` as a jump);
    ///      `accepted = true` when `prev` is known usable (a pull oracle's stored reference): the walk stops
    ///      there after checking the step from it to `r`.
    function _previousRound(
        FeedRound memory r
    ) internal view virtual returns (bool ok, FeedRound memory prev, bool accepted);

    /// @dev Called after the guardian cleared `r` (e.g. a pull oracle stores it as its reference).
    function _onClear(FeedRound memory r) internal virtual {}

    // ------------------------------------------------------------------ the rules

    /// @dev The latest round, or the first broken rule's revert (an invalid round is passed through).
    function _guardedRound() internal view returns (FeedRound memory r) {
        OracleStatus memory st;
        (st, r) = _evaluate();
        if (st.usable || st.reason == OracleReason.InvalidRound) return r;
        if (st.reason == OracleReason.SequencerDown) revert SequencerDown();
        if (st.reason == OracleReason.SequencerGracePeriod) revert SequencerGracePeriod(st.clearsAt);
        if (st.reason == OracleReason.SourceUnavailable) revert OracleSourceUnavailable();
        if (st.reason == OracleReason.AnswerOutOfBounds) revert AnswerOutOfBounds(r.answer, _minAnswer, _maxAnswer);
        revert CircuitBreakerTripped(r.answer, st.referenceAnswer, st.clearsAt);
    }

    /// @dev Applies every rule to the source's latest round, in order. Never reverts.
    function _evaluate() internal view returns (OracleStatus memory st, FeedRound memory r) {
        Settings memory s = _settings;
        st.kind = _kind();
        uint256 graceEndsAt;
        (st.sequencer, graceEndsAt) = _sequencerState(s);
        bool ok;
        (ok, r) = _latestRound();
        (st.roundId, st.answer, st.updatedAt) = (r.roundId, r.answer, r.updatedAt);
        if (st.sequencer == SequencerState.Down) {
            st.reason = OracleReason.SequencerDown;
        } else if (st.sequencer == SequencerState.GracePeriod) {
            (st.reason, st.clearsAt) = (OracleReason.SequencerGracePeriod, graceEndsAt);
        } else if (!ok) {
            st.reason = OracleReason.SourceUnavailable;
        } else if (!_wellFormed(r)) {
            st.reason = OracleReason.InvalidRound;
        } else if (!_inBounds(r.answer)) {
            st.reason = OracleReason.AnswerOutOfBounds;
        } else {
            bool tripped;
            (tripped, st.referenceAnswer, st.clearsAt) = _breaker(s, r);
            if (tripped) st.reason = OracleReason.CircuitBreakerTripped;
            else st.usable = true;
        }
    }

    /// @dev The breaker's walk back from `latest` (well-formed, in bounds) to an anchor. Returns the answer the
    ///      trip was measured from (0: none readable) and when the jump's cool-down ends; when not tripped,
    ///      `ref` is `latest.answer` (the reference the next round is judged against).
    function _breaker(
        Settings memory s,
        FeedRound memory latest
    ) internal view returns (bool tripped, int256 ref, uint256 clearsAt) {
        FeedRound memory cur = latest;
        for (uint256 i = 0; ; ++i) {
            if (_isAnchor(s, cur)) return (false, latest.answer, 0);
            clearsAt = cur.updatedAt + s.coolDown;
            if (i == MAX_LOOKBACK) return (true, 0, clearsAt);
            (bool ok, FeedRound memory prev, bool accepted) = _previousRound(cur);
            if (!ok || !_wellFormed(prev) || prev.updatedAt > cur.updatedAt || !_inBounds(prev.answer)) {
                return (true, 0, clearsAt);
            }
            if (_moved(prev.answer, cur.answer, s.maxMovePips)) return (true, prev.answer, clearsAt);
            if (accepted) return (false, latest.answer, 0);
            cur = prev;
        }
    }

    /// @dev Whether `r` is usable whatever came before it: its cool-down has passed, or the guardian cleared it.
    function _isAnchor(Settings memory s, FeedRound memory r) private view returns (bool) {
        return
            block.timestamp >= r.updatedAt + s.coolDown ||
            (r.roundId == _clearedRoundId && r.updatedAt == _clearedUpdatedAt);
    }

    /// @dev Whether `answer` moved more than `maxMovePips` from `ref` (both positive, at most int128).
    function _moved(int256 ref, int256 answer, uint32 maxMovePips) private pure returns (bool) {
        uint256 diff = answer >= ref ? uint256(answer - ref) : uint256(ref - answer);
        return diff * PIPS > uint256(ref) * maxMovePips;
    }

    /// @dev Whether `answer` lies in the admin's bounds.
    function _inBounds(int256 answer) internal view returns (bool) {
        return answer >= _minAnswer && answer <= _maxAnswer;
    }

    /// @dev Complete (`updatedAt != 0`, answered in its own round or later) and not dated in the future.
    function _wellFormed(FeedRound memory r) internal view returns (bool) {
        return r.updatedAt != 0 && r.answeredInRound >= r.roundId && r.updatedAt <= block.timestamp;
    }

    /// @dev The sequencer per Chainlink's pattern (answer 0 = up, since `startedAt`); an unreadable feed, any
    ///      other answer, or a zero or future `startedAt` counts as down. Usable from `startedAt + grace`.
    function _sequencerState(Settings memory s) internal view returns (SequencerState, uint256 graceEndsAt) {
        if (s.sequencerFeed == address(0)) return (SequencerState.NotChecked, 0);
        (bool ok, FeedRound memory r) = FeedReader.tryLatestRound(AggregatorV3Interface(s.sequencerFeed));
        if (!ok || r.answer != 0 || r.startedAt == 0 || r.startedAt > block.timestamp) {
            return (SequencerState.Down, 0);
        }
        graceEndsAt = r.startedAt + s.gracePeriod;
        if (block.timestamp < graceEndsAt) return (SequencerState.GracePeriod, graceEndsAt);
        return (SequencerState.Up, 0);
    }

    // ------------------------------------------------------------------ setters

    function _setMaxMove(uint32 maxMovePips) private {
        if (maxMovePips == 0) revert InvalidMaxMove();
        _settings.maxMovePips = maxMovePips;
        emit MaxMoveUpdated(maxMovePips);
    }

    function _setCoolDown(uint32 coolDown) private {
        if (coolDown == 0 || coolDown > MAX_COOL_DOWN) revert InvalidCoolDown(coolDown);
        _settings.coolDown = coolDown;
        emit CoolDownUpdated(coolDown);
    }

    function _setAnswerBounds(int256 minAnswer, int256 maxAnswer) private {
        if (minAnswer <= 0 || minAnswer >= maxAnswer || maxAnswer > type(int128).max) {
            revert InvalidAnswerBounds(minAnswer, maxAnswer);
        }
        (_minAnswer, _maxAnswer) = (int128(minAnswer), int128(maxAnswer));
        emit AnswerBoundsUpdated(minAnswer, maxAnswer);
    }

    function _setSequencerFeed(address sequencerFeed, uint32 gracePeriod) private {
        if (gracePeriod > MAX_GRACE_PERIOD) revert InvalidGracePeriod(gracePeriod);
        (_settings.sequencerFeed, _settings.gracePeriod) = (sequencerFeed, gracePeriod);
        emit SequencerFeedUpdated(sequencerFeed, gracePeriod);
    }
}
