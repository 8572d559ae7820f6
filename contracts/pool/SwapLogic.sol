// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {ISkewPool, PoolParams, PoolState} from "../interfaces/ISkewPool.sol";
import {InsufficientLiquidity, SkewMath, ZeroAmount} from "../libraries/SkewMath.sol";
import {PoolMath, Price, Side, SwapQuote} from "../libraries/SkewTypes.sol";
import {OracleAdapter} from "../oracle/OracleAdapter.sol";
import {PoolChecks} from "./PoolChecks.sol";
import {
    Config,
    DOMAIN_LIMIT,
    FLAG_FEES_OWED,
    FLAG_K_PENDING,
    KeeperAndSurge,
    Pair,
    PoolImmutables,
    PoolStorage
} from "./PoolStorage.sol";

/// @title SwapLogic
/// @author Skew
/// @notice The pool's swap, its quote views and its one-call state view. `swap` is internal and compiled
///         into `SkewPool`; the views are external, linked into the pool and run by DELEGATECALL on its
///         storage, which keeps the pool under the 24 KB code size limit.
/// @dev The caller (the pool) enforces the pause and the reentrancy guard.
library SwapLogic {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    /// @notice Swaps the input already sent to the pool (see `ISkewPool.swap`).
    /// @dev External: the pool DELEGATECALLs it like the other logic, because issue 11's fee and liquidity rules
    ///      and issue 17's finer targets left no room for the swap inside the pool under EIP-170 (compiled in, the
    ///      pool was 25,134 bytes at 200 runs). Runs the same math as the quote views (`SkewMath.swapExactIn`
    ///      skips only the before-swap imbalance and mid price, which neither the swap nor its events use).
    /// @param s The pool's storage.
    /// @param im The pool's immutables.
    /// @param side The swap's direction.
    /// @param minAmountOut Smallest acceptable output, raw.
    /// @param recipient Who receives the output.
    /// @param deadline Last timestamp at which the swap may execute.
    /// @return amountOut Raw output paid.
    function swap(
        PoolStorage storage s,
        PoolImmutables memory im,
        Side side,
        uint256 minAmountOut,
        address recipient,
        uint256 deadline
    ) external returns (uint256 amountOut) {
        PoolChecks.checkDeadline(deadline);
        PoolChecks.checkRecipient(recipient, im);
        Config memory c = s.config;
        Pair memory r = s.reserves;
        SwapQuote memory q = SkewMath.swapExactIn(_poolMath(s, im, c, r), side, _amountIn(s, im, side, c, r));
        amountOut = q.amountOut;
        if (amountOut == 0 || amountOut < minAmountOut) revert ISkewPool.InsufficientOutput(amountOut, minAmountOut);
        _checkDomain(q, im);
        _apply(s, side, c, q);

        (side == Side.SellBase ? im.quote : im.base).safeTransfer(recipient, amountOut);
        emit ISkewPool.Swap(
            msg.sender,
            recipient,
            side,
            q.amountIn,
            amountOut,
            q.feePips,
            q.feeAmount,
            q.imbalanceAfter,
            q.midPriceAfter
        );
        emit ISkewPool.Sync(
            q.baseReserveAfter,
            q.quoteReserveAfter,
            q.baseTargetAfter,
            q.quoteTargetAfter,
            q.regionAfter
        );
    }

    /// @notice Quotes a swap as `swap` would execute it in this block (see `ISkewPool.quoteExactIn`).
    /// @param s The pool's storage.
    /// @param im The pool's immutables.
    /// @param side The swap's direction.
    /// @param amount Raw input (`exactIn`) or raw output wanted.
    /// @param exactIn Whether `amount` is the input.
    /// @return q The quote and the pool state it leaves.
    function quote(
        PoolStorage storage s,
        PoolImmutables memory im,
        Side side,
        uint256 amount,
        bool exactIn
    ) external view returns (SwapQuote memory q) {
        if (amount == 0) revert ZeroAmount();
        PoolMath memory m = _poolMath(s, im, s.config, s.reserves);
        q = exactIn ? SkewMath.quoteExactIn(m, side, amount) : SkewMath.quoteExactOut(m, side, amount);
        _checkDomain(q, im);
    }

    /// @notice The pool's whole state (see `ISkewPool.getState`). Never reverts.
    /// @param s The pool's storage.
    /// @param im The pool's immutables.
    /// @param totalSupply The LP share supply.
    /// @return st The state.
    function getState(
        PoolStorage storage s,
        PoolImmutables memory im,
        uint256 totalSupply
    ) external view returns (PoolState memory st) {
        Config memory c = s.config;
        st.base = address(im.base);
        st.quote = address(im.quote);
        st.feed = address(im.feed);
        st.baseReserve = s.reserves.base;
        st.quoteReserve = s.reserves.quote;
        st.baseTarget = s.targets.base;
        st.quoteTarget = s.targets.quote;
        st.region = c.region;
        st.baseScale = im.baseScale;
        st.quoteScale = im.quoteScale;
        st.baseDecimals = im.baseDecimals;
        st.quoteDecimals = im.quoteDecimals;
        st.feedDecimals = im.feedDecimals;
        st.params = PoolParams({k: c.k, baseFee: c.baseFee, maxFee: c.maxFee, tau: c.tau});
        st.kPending = c.flags & FLAG_K_PENDING != 0;
        if (st.kPending) st.pendingK = s.clock.pendingK;
        st.protocolShare = c.protocolShare;
        st.protocolFeesBase = s.protocolFees.base;
        st.protocolFeesQuote = s.protocolFees.quote;
        (st.oracleOk, st.price, st.oracleUpdatedAt) = OracleAdapter.tryReadPrice(
            im.feed,
            im.feedDecimals,
            c.oracleMaxAge
        );
        st.oracleMaxAge = c.oracleMaxAge;
        st.paused = c.paused;
        st.totalSupply = totalSupply;
        st.bounds = s.bounds;
        st.steps = s.steps;
        st.minInterval = s.clock.minInterval;
        st.lastParamsUpdate = s.clock.lastParamsUpdate;
        st.blockTimestamp = block.timestamp;
        st.feeFloor = s.clock.feeFloor;
        st.surgeWidth = s.clock.surgeWidth;
        st.surgeWidthLimits = s.surgeWidthLimits;
    }

    /// @dev The input that arrived: the input token's balance minus its reserve and the protocol fees
    ///      owed in it. Reverts with `ZeroAmount` when nothing arrived.
    function _amountIn(
        PoolStorage storage s,
        PoolImmutables memory im,
        Side side,
        Config memory c,
        Pair memory r
    ) private view returns (uint256) {
        bool sellBase = side == Side.SellBase;
        uint256 accounted = sellBase ? r.base : r.quote;
        if (c.flags & FLAG_FEES_OWED != 0) accounted += sellBase ? s.protocolFees.base : s.protocolFees.quote;
        uint256 balance = (sellBase ? im.base : im.quote).balanceOf(address(this));
        if (balance <= accounted) revert ZeroAmount();
        return balance - accounted;
    }

    /// @dev Reverts with `OutsideSupportedDomain` (with the scaled reserves it would leave) when the swap would
    ///      leave a scaled reserve or target at or above `DOMAIN_LIMIT` (2^120, DESIGN.md §7). Raw reserves fit in
    ///      128 bits and scales are at most 1e18, so the products cannot overflow.
    function _checkDomain(SwapQuote memory q, PoolImmutables memory im) private pure {
        uint256 b = q.baseReserveAfter * im.baseScale;
        uint256 qt = q.quoteReserveAfter * im.quoteScale;
        if ((b | qt | q.baseTargetAfter | q.quoteTargetAfter) >= DOMAIN_LIMIT) {
            revert ISkewPool.OutsideSupportedDomain(b, qt);
        }
    }

    /// @dev Stores the quote's post-swap state, accrues its protocol fee (in the output token) and applies a
    ///      queued k when the swap reached equilibrium (`q.kAfter` differs from the k in force only then).
    function _apply(PoolStorage storage s, Side side, Config memory c, SwapQuote memory q) private {
        s.reserves = Pair(q.baseReserveAfter.toUint128(), q.quoteReserveAfter.toUint128());
        s.targets = Pair(q.baseTargetAfter.toUint128(), q.quoteTargetAfter.toUint128());
        uint8 flags = c.flags;
        if (q.protocolFee != 0) {
            uint128 fee = q.protocolFee.toUint128();
            if (side == Side.SellBase) s.protocolFees.quote += fee;
            else s.protocolFees.base += fee;
            flags |= FLAG_FEES_OWED;
        }
        uint64 kAfter = uint64(q.kAfter); // either c.k or the queued value, both uint64
        if (kAfter != c.k) {
            emit ISkewPool.KChangeApplied(c.k, kAfter);
            flags &= ~FLAG_K_PENDING;
        }
        if (q.regionAfter != c.region || flags != c.flags) {
            Config storage sc = s.config;
            (sc.region, sc.flags, sc.k) = (q.regionAfter, flags, kAfter);
        }
    }

    /// @dev The math's input: the loaded state and a usable oracle price (reverts otherwise).
    function _poolMath(
        PoolStorage storage s,
        PoolImmutables memory im,
        Config memory c,
        Pair memory r
    ) private view returns (PoolMath memory) {
        if (r.base == 0 || r.quote == 0) revert InsufficientLiquidity();
        (Price memory price, ) = OracleAdapter.readPrice(im.feed, im.feedDecimals, c.oracleMaxAge);
        Pair memory t = s.targets;
        KeeperAndSurge memory ks = s.clock;
        return
            PoolMath({
                baseReserve: r.base,
                quoteReserve: r.quote,
                baseTarget: t.base,
                quoteTarget: t.quote,
                region: c.region,
                baseScale: im.baseScale,
                quoteScale: im.quoteScale,
                price: price,
                k: c.k,
                kNext: c.flags & FLAG_K_PENDING != 0 ? ks.pendingK : c.k,
                baseFee: c.baseFee,
                maxFee: c.maxFee,
                tau: c.tau,
                feeFloor: ks.feeFloor,
                surgeWidth: ks.surgeWidth,
                protocolShare: c.protocolShare
            });
    }
}
