// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {
    ISkewPool,
    ParamBounds,
    ParamSteps,
    PoolConfig,
    PoolParams,
    SurgeWidthLimits
} from "../interfaces/ISkewPool.sol";
import {PoolChecks} from "./PoolChecks.sol";
import {Region} from "../libraries/SkewTypes.sol";
import {
    Config,
    DEFAULT_SURGE_WIDTH,
    FLAG_FEES_OWED,
    FLAG_K_PENDING,
    KeeperAndSurge,
    MAX_PROTOCOL_SHARE,
    Pair,
    PIPS,
    PoolImmutables,
    PoolStorage,
    WAD
} from "./PoolStorage.sol";

/// @title AdminLogic
/// @author Skew
/// @notice The keeper's and the admin's configuration paths of a Skew pool, with their validation.
///         Linked into `SkewPool` and run by DELEGATECALL on the pool's storage; the pool checks roles.
library AdminLogic {
    using SafeERC20 for IERC20;

    /// @notice Validates and stores a new pool's configuration (bounds, parameters, steps, limits).
    /// @param s The pool's storage.
    /// @param cfg The configuration.
    function initialize(PoolStorage storage s, PoolConfig memory cfg) external {
        _setBounds(s, cfg.bounds);
        _checkParams(cfg.params, cfg.bounds);
        _storeParams(s, cfg.params);
        setSurgeWidthLimits(s, SurgeWidthLimits({min: 1, max: uint64(WAD), maxStep: uint64(WAD)}));
        _storeSurgeWidth(s, DEFAULT_SURGE_WIDTH);
        setSteps(s, cfg.steps);
        setMinInterval(s, cfg.minInterval);
        setOracleMaxAge(s, cfg.oracleMaxAge);
        setProtocolShare(s, cfg.protocolShare);
    }

    /// @notice Keeper update (see `ISkewPool.setParams`). The k step is measured from the k in force.
    /// @param s The pool's storage.
    /// @param p The requested parameters.
    /// @param surgeWidth The requested surge ramp width, WAD.
    function setParams(PoolStorage storage s, PoolParams memory p, uint64 surgeWidth) external {
        KeeperAndSurge memory clock = s.clock;
        if (clock.lastParamsUpdate != 0) {
            uint256 next = uint256(clock.lastParamsUpdate) + clock.minInterval;
            if (block.timestamp < next) revert ISkewPool.ParamsUpdateTooSoon(next);
        }
        _checkParams(p, s.bounds);
        Config memory c = s.config;
        ParamSteps memory st = s.steps;
        _checkStep(ISkewPool.Param.K, c.k, p.k, st.k);
        _checkStep(ISkewPool.Param.BaseFee, c.baseFee, p.baseFee, st.baseFee);
        _checkStep(ISkewPool.Param.MaxFee, c.maxFee, p.maxFee, st.maxFee);
        _checkStep(ISkewPool.Param.Tau, c.tau, p.tau, st.tau);
        SurgeWidthLimits memory w = s.surgeWidthLimits;
        _checkBound(ISkewPool.Param.SurgeWidth, surgeWidth, w.min, w.max);
        _checkStep(ISkewPool.Param.SurgeWidth, clock.surgeWidth, surgeWidth, w.maxStep);
        s.clock.lastParamsUpdate = uint48(block.timestamp);
        _storeParams(s, p);
        if (surgeWidth != clock.surgeWidth) _storeSurgeWidth(s, surgeWidth);
    }

    /// @notice Admin: the least rate away-from-target volume pays (see `ISkewPool.setFeeFloor`).
    /// @param s The pool's storage.
    /// @param feeFloor Pips, < 1e6.
    function setFeeFloor(PoolStorage storage s, uint32 feeFloor) external {
        if (feeFloor >= PIPS) revert ISkewPool.FeeFloorTooHigh(feeFloor);
        s.clock.feeFloor = uint24(feeFloor);
        emit ISkewPool.FeeFloorUpdated(feeFloor);
    }

    /// @notice Admin: limits of the keeper's surge ramp width (see `ISkewPool.setSurgeWidthLimits`); the width
    ///         in force is clamped into them.
    /// @param s The pool's storage.
    /// @param limits 0 < min <= max <= 1e18, and the max step.
    function setSurgeWidthLimits(PoolStorage storage s, SurgeWidthLimits memory limits) public {
        if (limits.min == 0 || limits.min > limits.max || limits.max > WAD) {
            revert ISkewPool.InvalidBounds(ISkewPool.Param.SurgeWidth);
        }
        s.surgeWidthLimits = limits;
        emit ISkewPool.SurgeWidthLimitsUpdated(limits);
        uint64 width = s.clock.surgeWidth;
        if (width != 0) {
            uint64 clamped = uint64(_clamp(width, limits.min, limits.max));
            if (clamped != width) _storeSurgeWidth(s, clamped);
        }
    }

    /// @notice Admin: new bounds (see `ISkewPool.setBounds`). Current parameters outside them are
    ///         clamped in, keeping `baseFee <= maxFee` (possible since `baseFeeMin <= maxFeeMax`). The k that
    ///         is clamped is the one the pool is heading to (the queued one, else the one in force), and the
    ///         clamped value goes through the queue like a keeper's.
    /// @param s The pool's storage.
    /// @param b The new bounds.
    function setBounds(PoolStorage storage s, ParamBounds memory b) external {
        _setBounds(s, b);
        Config memory c = s.config;
        uint64 kHeading = c.flags & FLAG_K_PENDING != 0 ? s.clock.pendingK : c.k;
        uint256 baseFee = _clamp(c.baseFee, b.baseFeeMin, Math.min(b.baseFeeMax, b.maxFeeMax));
        PoolParams memory p = PoolParams({
            k: uint64(_clamp(kHeading, b.kMin, b.kMax)),
            baseFee: uint32(baseFee),
            maxFee: uint32(_clamp(c.maxFee, Math.max(b.maxFeeMin, baseFee), b.maxFeeMax)),
            tau: uint64(_clamp(c.tau, b.tauMin, b.tauMax))
        });
        if (p.k != kHeading || p.baseFee != c.baseFee || p.maxFee != c.maxFee || p.tau != c.tau) _storeParams(s, p);
    }

    /// @notice Admin: new max steps per keeper update.
    /// @param s The pool's storage.
    /// @param steps The new steps.
    function setSteps(PoolStorage storage s, ParamSteps memory steps) public {
        s.steps = steps;
        emit ISkewPool.StepsUpdated(steps);
    }

    /// @notice Admin: new minimum interval between keeper updates.
    /// @param s The pool's storage.
    /// @param minInterval Seconds.
    function setMinInterval(PoolStorage storage s, uint32 minInterval) public {
        s.clock.minInterval = minInterval;
        emit ISkewPool.MinIntervalUpdated(minInterval);
    }

    /// @notice Admin: new oracle max age (> 0).
    /// @param s The pool's storage.
    /// @param maxAge Seconds.
    function setOracleMaxAge(PoolStorage storage s, uint32 maxAge) public {
        if (maxAge == 0) revert ISkewPool.InvalidOracleMaxAge(maxAge);
        s.config.oracleMaxAge = maxAge;
        emit ISkewPool.OracleMaxAgeUpdated(maxAge);
    }

    /// @notice Admin: new protocol share of the fee (<= MAX_PROTOCOL_SHARE).
    /// @param s The pool's storage.
    /// @param protocolShare Pips of the fee.
    function setProtocolShare(PoolStorage storage s, uint32 protocolShare) public {
        if (protocolShare > MAX_PROTOCOL_SHARE) {
            revert ISkewPool.ProtocolShareTooHigh(protocolShare, MAX_PROTOCOL_SHARE);
        }
        s.config.protocolShare = uint24(protocolShare);
        emit ISkewPool.ProtocolShareUpdated(protocolShare);
    }

    /// @notice Admin: sends the accrued protocol fees to `to`.
    /// @param s The pool's storage.
    /// @param im The pool's immutables.
    /// @param to The treasury.
    /// @return baseAmount Raw base sent.
    /// @return quoteAmount Raw quote sent.
    function collectProtocolFees(
        PoolStorage storage s,
        PoolImmutables memory im,
        address to
    ) external returns (uint256 baseAmount, uint256 quoteAmount) {
        PoolChecks.checkRecipient(to, im);
        Pair memory owed = s.protocolFees;
        (baseAmount, quoteAmount) = (owed.base, owed.quote);
        delete s.protocolFees;
        s.config.flags &= ~FLAG_FEES_OWED;
        if (baseAmount != 0) im.base.safeTransfer(to, baseAmount);
        if (quoteAmount != 0) im.quote.safeTransfer(to, quoteAmount);
        emit ISkewPool.ProtocolFeesCollected(to, baseAmount, quoteAmount);
    }

    /// @dev Validates and stores bounds: ordered, k <= 1e18, fees < 1e6 pips, tau < 1e18, and
    ///      baseFeeMin <= maxFeeMax so that some baseFee <= maxFee always exists.
    function _setBounds(PoolStorage storage s, ParamBounds memory b) private {
        if (b.kMin > b.kMax || b.kMax > WAD) revert ISkewPool.InvalidBounds(ISkewPool.Param.K);
        if (b.baseFeeMin > b.baseFeeMax || b.baseFeeMax >= PIPS) {
            revert ISkewPool.InvalidBounds(ISkewPool.Param.BaseFee);
        }
        if (b.maxFeeMin > b.maxFeeMax || b.maxFeeMax >= PIPS || b.baseFeeMin > b.maxFeeMax) {
            revert ISkewPool.InvalidBounds(ISkewPool.Param.MaxFee);
        }
        if (b.tauMin > b.tauMax || b.tauMax >= WAD) revert ISkewPool.InvalidBounds(ISkewPool.Param.Tau);
        s.bounds = b;
        emit ISkewPool.BoundsUpdated(b);
    }

    /// @dev Stores validated parameters (fees < 1e6 < 2^24) and announces them. Fees and tau apply at once;
    ///      `k` at once only at equilibrium (region ONE), otherwise it is queued (DESIGN.md §3): a change of k
    ///      then never moves the pool's equilibrium. A request equal to the k in force clears the queue.
    function _storeParams(PoolStorage storage s, PoolParams memory p) private {
        Config memory c = s.config;
        bool pending = c.flags & FLAG_K_PENDING != 0;
        if (c.region == Region.ONE) {
            if (p.k != c.k) emit ISkewPool.KChangeApplied(c.k, p.k);
            c.k = p.k;
            c.flags &= ~FLAG_K_PENDING;
        } else if (p.k == c.k) {
            if (pending) emit ISkewPool.KChangeQueued(c.k, c.k);
            c.flags &= ~FLAG_K_PENDING;
        } else if (!pending || s.clock.pendingK != p.k) {
            s.clock.pendingK = p.k;
            c.flags |= FLAG_K_PENDING;
            emit ISkewPool.KChangeQueued(c.k, p.k);
        }
        c.baseFee = uint24(p.baseFee);
        c.maxFee = uint24(p.maxFee);
        c.tau = p.tau;
        s.config = c;
        emit ISkewPool.ParamsUpdated(msg.sender, p.k, p.baseFee, p.maxFee, p.tau);
    }

    /// @dev Stores a validated surge ramp width and announces it.
    function _storeSurgeWidth(PoolStorage storage s, uint64 width) private {
        s.clock.surgeWidth = width;
        emit ISkewPool.SurgeWidthUpdated(width);
    }

    /// @dev Reverts unless every parameter lies in `b` and maxFee >= baseFee.
    function _checkParams(PoolParams memory p, ParamBounds memory b) private pure {
        _checkBound(ISkewPool.Param.K, p.k, b.kMin, b.kMax);
        _checkBound(ISkewPool.Param.BaseFee, p.baseFee, b.baseFeeMin, b.baseFeeMax);
        _checkBound(ISkewPool.Param.MaxFee, p.maxFee, b.maxFeeMin, b.maxFeeMax);
        _checkBound(ISkewPool.Param.Tau, p.tau, b.tauMin, b.tauMax);
        if (p.maxFee < p.baseFee) revert ISkewPool.MaxFeeBelowBaseFee(p.baseFee, p.maxFee);
    }

    /// @dev Reverts unless min <= value <= max.
    function _checkBound(ISkewPool.Param param, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert ISkewPool.ParamOutOfBounds(param, value, min, max);
    }

    /// @dev Reverts unless |requested - current| <= maxStep.
    function _checkStep(ISkewPool.Param param, uint256 current, uint256 requested, uint256 maxStep) private pure {
        uint256 change = requested > current ? requested - current : current - requested;
        if (change > maxStep) revert ISkewPool.ParamStepTooLarge(param, current, requested, maxStep);
    }

    /// @dev min(max(value, lo), hi), for lo <= hi.
    function _clamp(uint256 value, uint256 lo, uint256 hi) private pure returns (uint256) {
        return Math.min(Math.max(value, lo), hi);
    }
}
