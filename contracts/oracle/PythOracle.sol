// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPyth} from "@pythnetwork/pyth-sdk-solidity/IPyth.sol";
import {PythErrors} from "@pythnetwork/pyth-sdk-solidity/PythErrors.sol";
import {PythStructs} from "@pythnetwork/pyth-sdk-solidity/PythStructs.sol";
import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {ISkewPullOracle, OracleKind} from "../interfaces/ISkewOracle.sol";
import {FeedRound} from "./FeedReader.sol";
import {GuardConfig, OracleReason, OracleStatus} from "./IOracleGuard.sol";
import {OracleGuard} from "./OracleGuard.sol";

/// @notice What a `PythOracle` reads and how it converts it.
/// @param pyth The Pyth contract of this chain (MockPyth on a local chain).
/// @param priceId The Pyth price id (quote tokens per base token).
/// @param decimals Decimals of the answers, at most 36, at least `-expo` of the feed.
/// @param maxConfidencePips The confidence bound, pips of the price (0 < bound <= 1e6).
/// @param description A human-readable name, e.g. "ETH / USD (Pyth)".
struct PythFeedConfig {
    IPyth pyth;
    bytes32 priceId;
    uint8 decimals;
    uint32 maxConfidencePips;
    string description;
}

/// @title PythOracle
/// @author Skew
/// @notice A pull oracle for one Pyth price id, read by Skew pools as a Chainlink-style feed and guarded by the
///         `OracleGuard` rules (circuit breaker, answer bounds, L2 sequencer). A swap (or the router on the
///         trader's behalf) brings signed Pyth update data to `updatePrice`, pays Pyth's fee, and the pool then
///         prices at the newest verified price.
/// @dev The price is verified by Pyth's `parsePriceFeedUpdates` (signatures and price id; it stores nothing)
///      and kept here, so this contract decides which price it answers:
///      - only a price newer than the stored one replaces it: an older signed update, submitted after a fresher
///        one landed, changes nothing (no choosing a stale price within the pool's max age);
///      - `latestRoundData` answers `price * 10**(decimals + expo)` (exact: an exponent that cannot be converted
///        exactly is refused at update time), `updatedAt = startedAt = roundId = answeredInRound = publishTime`;
///      - it reverts with the guard's errors, then with `PriceTooUncertain` while the confidence interval exceeds
///        `maxConfidencePips` of the price. The pool applies its own max age to `updatedAt`.
///      Breaker reference (what the latest price is judged against): the price an update replaces becomes the
///      reference if it was usable then; if it was held back by the breaker it becomes the pending "jump"
///      (the first price of a new level), judged against the reference, which the cool-down clears once the
///      jump is `coolDown` old and later prices stay within the bound of it. The guardian's clear adopts the
///      cleared price as the reference. So anyone can move the reference, but only to a genuine signed Pyth
///      price, newer than the last, that the rules accepted; a trip is never cleared by more updates alone.
contract PythOracle is ISkewPullOracle, OracleGuard {
    /// @dev A stored Pyth price: 160 bits.
    struct StoredPrice {
        int64 price;
        int32 expo;
        uint64 publishTime;
    }

    /// @notice The largest `decimals + expo` accepted: `int64 * 10**57` fits an int256.
    uint256 private constant MAX_SCALE_EXPONENT = 57;

    /// @notice The Pyth contract that verifies the updates.
    IPyth public immutable pyth;
    /// @notice The Pyth price id this oracle answers (e.g. ETH/USD).
    bytes32 public immutable priceId;
    /// @dev Decimals of the answers.
    uint8 private immutable DECIMALS;

    /// @dev The latest price, its confidence, exponent and publish time, and the confidence bound: one slot.
    int64 private _price;
    uint64 private _conf;
    int32 private _expo;
    uint64 private _publishTime;
    /// @notice The largest accepted confidence interval, pips of the price (`conf / price`).
    uint32 public maxConfidencePips;
    /// @dev The breaker's reference (last accepted price) and the pending jump (zero publish time: none).
    StoredPrice private _reference;
    StoredPrice private _jump;
    /// @notice A human-readable name of the price (e.g. "ETH / USD (Pyth)").
    string public description;

    /// @notice A newer price was verified and stored.
    /// @param priceId The Pyth price id.
    /// @param price Pyth's price (scaled by `10**expo`).
    /// @param conf Pyth's confidence interval, same scale.
    /// @param expo Pyth's exponent.
    /// @param publishTime When Pyth published the price.
    /// @param previousPublishTime The publish time of the price it replaced (0 for the first).
    event PriceUpdated(
        bytes32 indexed priceId,
        int64 price,
        uint64 conf,
        int32 expo,
        uint64 publishTime,
        uint64 previousPublishTime
    );
    /// @notice The breaker's reference moved (an update replaced a usable price, or the guardian cleared one).
    /// @param publishTime The new reference's publish time.
    /// @param answer The new reference's answer.
    event ReferenceUpdated(uint64 publishTime, int256 answer);
    /// @notice A price the breaker held back became the pending jump.
    /// @param publishTime The jump's publish time.
    /// @param answer The jump's answer.
    event JumpRecorded(uint64 publishTime, int256 answer);
    /// @notice The admin set the confidence bound.
    /// @param maxConfidencePips The new bound, pips of the price.
    event MaxConfidencePipsUpdated(uint32 maxConfidencePips);

    /// @notice `updatePrice` was sent less than Pyth's update fee.
    /// @param sent Wei sent.
    /// @param fee Wei required.
    error InsufficientUpdateFee(uint256 sent, uint256 fee);
    /// @notice The update data carries no price for this oracle's price id.
    /// @param priceId The oracle's price id.
    error PriceIdNotInUpdate(bytes32 priceId);
    /// @notice The latest price's confidence interval is wider than the bound: it must not be traded on.
    /// @param conf The confidence interval (Pyth's scale).
    /// @param price The price (Pyth's scale).
    error PriceTooUncertain(uint64 conf, int64 price);
    /// @notice Pyth's exponent cannot be converted exactly to the oracle's decimals.
    /// @param expo Pyth's exponent.
    /// @param decimals The oracle's decimals.
    error UnsupportedExponent(int32 expo, uint8 decimals);
    /// @notice Decimals above 36 (the pools' limit).
    /// @param decimals The rejected decimals.
    error UnsupportedDecimals(uint8 decimals);
    /// @notice A confidence bound of zero or above 100 %.
    /// @param maxConfidencePips The rejected bound.
    error InvalidMaxConfidence(uint32 maxConfidencePips);
    /// @notice The round asked for is not kept (only the latest price, the reference and the jump are).
    /// @param roundId The round asked for.
    error RoundNotAvailable(uint80 roundId);
    /// @notice Returning the excess fee to the caller failed.
    /// @param to The caller.
    /// @param amount Wei owed.
    error RefundFailed(address to, uint256 amount);

    /// @param feed The Pyth contract, price id, decimals, confidence bound and description.
    /// @param cfg The guard's settings (answers in `feed.decimals` decimals).
    /// @param admin The default admin (sets the bounds; two-step transfer after `adminDelay`).
    /// @param adminDelay The admin-transfer delay, seconds.
    /// @param guardian The guardian (clears the breaker; zero: none yet).
    constructor(
        PythFeedConfig memory feed,
        GuardConfig memory cfg,
        address admin,
        uint48 adminDelay,
        address guardian
    ) OracleGuard(cfg, admin, adminDelay, guardian) {
        if (feed.decimals > 36) revert UnsupportedDecimals(feed.decimals);
        pyth = feed.pyth;
        priceId = feed.priceId;
        DECIMALS = feed.decimals;
        description = feed.description;
        _setMaxConfidencePips(feed.maxConfidencePips);
    }

    /// @notice Admin: sets the largest accepted confidence interval.
    /// @param maxConfidencePips_ Pips of the price, 0 < bound <= 1e6.
    function setMaxConfidencePips(uint32 maxConfidencePips_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setMaxConfidencePips(maxConfidencePips_);
    }

    /// @inheritdoc ISkewPullOracle
    /// @dev Reverts with `InsufficientUpdateFee`, `PriceIdNotInUpdate`, `UnsupportedExponent` or Pyth's own error
    ///      (invalid data); returns any excess wei to the caller. A price not newer than the stored one is ignored.
    function updatePrice(bytes[] calldata updateData) external payable {
        uint256 fee = pyth.getUpdateFee(updateData);
        if (msg.value < fee) revert InsufficientUpdateFee(msg.value, fee);
        PythStructs.Price memory p = _parse(updateData, fee);
        uint64 previous = _publishTime;
        if (p.publishTime > previous) {
            _checkExponent(p.expo);
            if (previous != 0) _recordReplaced();
            (_price, _conf, _expo, _publishTime) = (p.price, p.conf, p.expo, uint64(p.publishTime));
            emit PriceUpdated(priceId, p.price, p.conf, p.expo, uint64(p.publishTime), previous);
        }
        if (msg.value > fee) {
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, ) = msg.sender.call{value: msg.value - fee}("");
            if (!ok) revert RefundFailed(msg.sender, msg.value - fee);
        }
    }

    /// @inheritdoc ISkewPullOracle
    function getUpdateFee(bytes[] calldata updateData) external view returns (uint256 fee) {
        return pyth.getUpdateFee(updateData);
    }

    /// @notice The latest price when every rule holds: the guard's (sequencer, bounds, circuit breaker), then
    ///         the confidence bound (`PriceTooUncertain`). The pool checks its age.
    /// @return roundId The publish time.
    /// @return answer The price in `decimals()`.
    /// @return startedAt The publish time.
    /// @return updatedAt The publish time.
    /// @return answeredInRound The publish time.
    function latestRoundData()
        external
        view
        override(AggregatorV3Interface, OracleGuard)
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        FeedRound memory r = _guardedRound();
        (int64 price, uint64 conf, uint32 maxConf) = (_price, _conf, maxConfidencePips);
        // A non-positive price is answered as is: the pool refuses it (`InvalidOraclePrice`).
        if (price > 0 && uint256(conf) * PIPS > uint256(uint64(price)) * maxConf) revert PriceTooUncertain(conf, price);
        return (r.roundId, r.answer, r.startedAt, r.updatedAt, r.answeredInRound);
    }

    /// @notice The latest price as Pyth published it (zero before the first update), without any check.
    /// @return price Pyth's price, confidence, exponent and publish time.
    function latestPrice() external view returns (PythStructs.Price memory price) {
        return PythStructs.Price({price: _price, conf: _conf, expo: _expo, publishTime: _publishTime});
    }

    /// @notice The breaker's stored rounds: the reference and the pending jump (publish time 0: none).
    /// @return reference_ The reference (Pyth's price, exponent, publish time).
    /// @return jump The pending jump.
    function breakerRounds() external view returns (StoredPrice memory reference_, StoredPrice memory jump) {
        return (_reference, _jump);
    }

    /// @notice Decimals of the answers.
    /// @return The decimals.
    function decimals() external view returns (uint8) {
        return DECIMALS;
    }

    /// @notice Interface version.
    /// @return 1.
    function version() external pure returns (uint256) {
        return 1;
    }

    /// @notice A kept round, unjudged: the latest price, the reference or the jump (round id = publish time).
    /// @param roundId_ The round asked for.
    /// @return roundId The publish time.
    /// @return answer The price in `decimals()`.
    /// @return startedAt The publish time.
    /// @return updatedAt The publish time.
    /// @return answeredInRound The publish time.
    function getRoundData(
        uint80 roundId_
    )
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        FeedRound memory r;
        if (roundId_ == 0) revert RoundNotAvailable(roundId_);
        if (roundId_ == _publishTime) r = _round(StoredPrice(_price, _expo, _publishTime));
        else if (roundId_ == _reference.publishTime) r = _round(_reference);
        else if (roundId_ == _jump.publishTime) r = _round(_jump);
        else revert RoundNotAvailable(roundId_);
        return (r.roundId, r.answer, r.startedAt, r.updatedAt, r.answeredInRound);
    }

    // ------------------------------------------------------------------ OracleGuard hooks

    /// @inheritdoc OracleGuard
    function _kind() internal pure override returns (OracleKind) {
        return OracleKind.Pull;
    }

    /// @inheritdoc OracleGuard
    function _latestRound() internal view override returns (bool ok, FeedRound memory r) {
        uint64 publishTime = _publishTime;
        if (publishTime == 0) return (false, r);
        return (true, _round(StoredPrice(_price, _expo, publishTime)));
    }

    /// @inheritdoc OracleGuard
    /// @dev Before the jump: the jump (judged further back); before that: the reference (accepted).
    function _previousRound(
        FeedRound memory r
    ) internal view override returns (bool ok, FeedRound memory prev, bool accepted) {
        StoredPrice memory j = _jump;
        if (j.publishTime != 0 && r.updatedAt > j.publishTime) return (true, _round(j), false);
        StoredPrice memory ref = _reference;
        if (ref.publishTime != 0 && r.updatedAt > ref.publishTime) return (true, _round(ref), true);
        return (false, prev, false);
    }

    /// @inheritdoc OracleGuard
    /// @dev The cleared price becomes the reference; the pending jump is dropped.
    function _onClear(FeedRound memory r) internal override {
        _setReference(StoredPrice(_price, _expo, uint64(r.updatedAt)), r.answer);
    }

    // ------------------------------------------------------------------ internals

    /// @dev Before the latest price is replaced: it becomes the reference if usable now; if the breaker holds it
    ///      back, it becomes the jump unless an earlier jump is still pending and it was judged against that one
    ///      only indirectly (it moved from the reference, not from the jump).
    function _recordReplaced() private {
        (OracleStatus memory st, FeedRound memory r) = _evaluate();
        StoredPrice memory latest = StoredPrice(_price, _expo, _publishTime);
        if (st.usable) {
            _setReference(latest, r.answer);
        } else if (st.reason == OracleReason.CircuitBreakerTripped) {
            StoredPrice memory j = _jump;
            if (j.publishTime == 0 || st.referenceAnswer == _round(j).answer) {
                _jump = latest;
                emit JumpRecorded(latest.publishTime, r.answer);
            }
        }
    }

    function _setReference(StoredPrice memory p, int256 answer) private {
        _reference = p;
        delete _jump;
        emit ReferenceUpdated(p.publishTime, answer);
    }

    /// @dev A stored price as a round (`_checkExponent` admitted its exponent when it was stored).
    function _round(StoredPrice memory p) private view returns (FeedRound memory r) {
        int256 answer = int256(p.price) * int256(10 ** uint256(int256(uint256(DECIMALS)) + p.expo));
        return FeedRound(p.publishTime, answer, p.publishTime, p.publishTime, p.publishTime);
    }

    /// @dev Verifies `updateData` with Pyth (paying `fee`) and returns this oracle's price from it.
    function _parse(bytes[] calldata updateData, uint256 fee) private returns (PythStructs.Price memory) {
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = priceId;
        try pyth.parsePriceFeedUpdates{value: fee}(updateData, ids, 0, type(uint64).max) returns (
            PythStructs.PriceFeed[] memory feeds
        ) {
            return feeds[0].price;
        } catch (bytes memory reason) {
            if (reason.length == 4 && bytes4(reason) == PythErrors.PriceFeedNotFoundWithinRange.selector) {
                revert PriceIdNotInUpdate(priceId);
            }
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                revert(add(reason, 32), mload(reason))
            }
        }
    }

    function _checkExponent(int32 expo) private view {
        int256 scale = int256(uint256(DECIMALS)) + expo;
        if (scale < 0 || scale > int256(MAX_SCALE_EXPONENT)) revert UnsupportedExponent(expo, DECIMALS);
    }

    function _setMaxConfidencePips(uint32 bound) private {
        if (bound == 0 || bound > PIPS) revert InvalidMaxConfidence(bound);
        maxConfidencePips = bound;
        emit MaxConfidencePipsUpdated(bound);
    }
}
