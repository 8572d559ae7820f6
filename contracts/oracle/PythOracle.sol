// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IPyth} from "@pythnetwork/pyth-sdk-solidity/IPyth.sol";
import {PythErrors} from "@pythnetwork/pyth-sdk-solidity/PythErrors.sol";
import {PythStructs} from "@pythnetwork/pyth-sdk-solidity/PythStructs.sol";
import {ISkewOracle, ISkewPullOracle, OracleKind} from "../interfaces/ISkewOracle.sol";

/// @title PythOracle
/// @author Skew
/// @notice A pull oracle for one Pyth price id, read by Skew pools as a Chainlink-style feed. A swap (or the
///         router on the trader's behalf) brings signed Pyth update data to `updatePrice`, pays Pyth's fee,
///         and the pool then prices at the newest verified price.
/// @dev The price is verified by Pyth's `parsePriceFeedUpdates` (which checks the signatures and the price id
///      but stores nothing) and kept here, so this contract decides which price it answers:
///      - only a price newer than the stored one replaces it: an older signed update, submitted after a fresher
///        one landed, changes nothing (no choosing a stale price within the pool's max age);
///      - `latestRoundData` answers `price * 10**(decimals + expo)` (exact, no rounding: an exponent that cannot
///        be converted exactly is refused at update time), `updatedAt = startedAt = publishTime`, and
///        `roundId = answeredInRound = publishTime` (strictly increasing);
///      - it reverts with `PriceTooUncertain` while the confidence interval exceeds `maxConfidencePips` of the
///        price, and with `NoPrice` before the first update.
///      The pool applies its own max age (`oracleMaxAge`, small for pull pools) to `updatedAt`.
contract PythOracle is ISkewPullOracle, Ownable2Step {
    /// @notice 100 %, in pips.
    uint256 public constant PIPS = 1e6;
    /// @notice The largest `decimals + expo` accepted: `int64 * 10**57` fits an int256.
    uint256 private constant MAX_SCALE_EXPONENT = 57;

    /// @notice The Pyth contract that verifies the updates.
    IPyth public immutable pyth;
    /// @notice The Pyth price id this oracle answers (e.g. ETH/USD).
    bytes32 public immutable priceId;
    /// @dev Decimals of the answers.
    uint8 private immutable DECIMALS;

    /// @dev The stored price, its confidence, exponent and publish time, and the admin's confidence bound:
    ///      one storage slot, read once per swap.
    int64 private _price;
    uint64 private _conf;
    int32 private _expo;
    uint64 private _publishTime;
    /// @notice The largest accepted confidence interval, pips of the price (`conf / price`).
    uint32 public maxConfidencePips;
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
    /// @notice The owner set the confidence bound.
    /// @param maxConfidencePips The new bound, pips of the price.
    event MaxConfidencePipsUpdated(uint32 maxConfidencePips);

    /// @notice `updatePrice` was sent less than Pyth's update fee.
    /// @param sent Wei sent.
    /// @param fee Wei required.
    error InsufficientUpdateFee(uint256 sent, uint256 fee);
    /// @notice The update data carries no price for this oracle's price id.
    /// @param priceId The oracle's price id.
    error PriceIdNotInUpdate(bytes32 priceId);
    /// @notice No price has been stored yet.
    /// @param priceId The oracle's price id.
    error NoPrice(bytes32 priceId);
    /// @notice The stored price's confidence interval is wider than the bound: the price must not be traded on.
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
    /// @notice The round asked for is not the stored one (only the newest price is kept).
    /// @param roundId The round asked for.
    error RoundNotAvailable(uint80 roundId);
    /// @notice Returning the excess fee to the caller failed.
    /// @param to The caller.
    /// @param amount Wei owed.
    error RefundFailed(address to, uint256 amount);

    /// @param pyth_ The Pyth contract of this chain (MockPyth on a local chain).
    /// @param priceId_ The Pyth price id (quote tokens per base token).
    /// @param decimals_ Decimals of the answers, at most 36; at least `-expo` of the feed.
    /// @param maxConfidencePips_ The confidence bound, pips of the price (0 < bound <= 1e6).
    /// @param description_ A human-readable name.
    /// @param owner_ Who may change the confidence bound.
    constructor(
        IPyth pyth_,
        bytes32 priceId_,
        uint8 decimals_,
        uint32 maxConfidencePips_,
        string memory description_,
        address owner_
    ) Ownable(owner_) {
        if (decimals_ > 36) revert UnsupportedDecimals(decimals_);
        pyth = pyth_;
        priceId = priceId_;
        DECIMALS = decimals_;
        description = description_;
        _setMaxConfidencePips(maxConfidencePips_);
    }

    /// @notice Owner: sets the largest accepted confidence interval.
    /// @param maxConfidencePips_ Pips of the price, 0 < bound <= 1e6.
    function setMaxConfidencePips(uint32 maxConfidencePips_) external onlyOwner {
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

    /// @inheritdoc ISkewOracle
    function kind() external pure returns (OracleKind) {
        return OracleKind.Pull;
    }

    /// @notice The stored price as Pyth published it (zero before the first update), without any check.
    /// @return price Pyth's price, confidence, exponent and publish time.
    function latestPrice() external view returns (PythStructs.Price memory price) {
        return PythStructs.Price({price: _price, conf: _conf, expo: _expo, publishTime: _publishTime});
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

    /// @notice The stored round: only the newest price is kept, so only its round (its publish time) answers.
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
        if (roundId_ != _publishTime || roundId_ == 0) revert RoundNotAvailable(roundId_);
        return _latestRound();
    }

    /// @notice The newest verified price, or a revert when it must not be traded on (`NoPrice`,
    ///         `PriceTooUncertain`). The pool checks its age.
    /// @return roundId The publish time.
    /// @return answer The price in `decimals()`.
    /// @return startedAt The publish time.
    /// @return updatedAt The publish time.
    /// @return answeredInRound The publish time.
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        return _latestRound();
    }

    // ---------------------------------------------------------------------------------------

    function _latestRound()
        private
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        (int64 price, uint64 conf, int32 expo, uint64 publishTime, uint32 maxConf) = (
            _price,
            _conf,
            _expo,
            _publishTime,
            maxConfidencePips
        );
        if (publishTime == 0) revert NoPrice(priceId);
        // A non-positive price is answered as is: the pool refuses it (`InvalidOraclePrice`).
        if (price > 0 && uint256(conf) * PIPS > uint256(uint64(price)) * maxConf) revert PriceTooUncertain(conf, price);
        // `_checkExponent` admitted `expo` when it was stored: 0 <= DECIMALS + expo <= 57.
        answer = int256(price) * int256(10 ** uint256(int256(uint256(DECIMALS)) + expo));
        return (publishTime, answer, publishTime, publishTime, publishTime);
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
