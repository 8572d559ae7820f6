// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {ISkewPool} from "../interfaces/ISkewPool.sol";
import {InsufficientLiquidity, ZeroAmount} from "../libraries/SkewMath.sol";
import {Region} from "../libraries/SkewTypes.sol";
import {PoolChecks} from "./PoolChecks.sol";
import {Config, FLAG_K_PENDING, MINIMUM_LIQUIDITY, Pair, PoolImmutables, PoolStorage} from "./PoolStorage.sol";

/// @title LiquidityLogic
/// @author Skew
/// @notice Proportional deposits and withdrawals of a Skew pool. Linked into `SkewPool` and run by
///         DELEGATECALL on the pool's storage; the pool mints and burns the shares.
/// @dev Never reads the oracle. Rounding favours the pool: amounts taken round up, shares minted and
///      amounts paid round down.
library LiquidityLogic {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    /// @notice Takes a deposit (see `ISkewPool.deposit`); the caller mints `shares` to `to` and, when
    ///         `first`, `MINIMUM_LIQUIDITY` to the dead address.
    /// @param s The pool's storage.
    /// @param im The pool's immutables.
    /// @param supply The LP share supply before the deposit.
    /// @param baseMax Most base to pull, raw.
    /// @param quoteMax Most quote to pull, raw.
    /// @param minShares Fewest shares to accept.
    /// @param to Who receives the shares.
    /// @param deadline Last timestamp at which the deposit may execute.
    /// @return shares Shares to mint to `to`.
    /// @return baseIn Raw base that arrived.
    /// @return quoteIn Raw quote that arrived.
    /// @return first Whether this was the pool's first deposit.
    function deposit(
        PoolStorage storage s,
        PoolImmutables memory im,
        uint256 supply,
        uint256 baseMax,
        uint256 quoteMax,
        uint256 minShares,
        address to,
        uint256 deadline
    ) external returns (uint256 shares, uint256 baseIn, uint256 quoteIn, bool first) {
        PoolChecks.checkDeadline(deadline);
        PoolChecks.checkRecipient(to, im);
        if (baseMax == 0 || quoteMax == 0) revert ZeroAmount();
        first = supply == 0;
        (shares, baseIn, quoteIn) = first
            ? _firstDeposit(s, im, baseMax, quoteMax)
            : _proportionalDeposit(s, im, supply, baseMax, quoteMax);
        if (shares < minShares) revert ISkewPool.InsufficientShares(shares, minShares);

        Pair memory r = s.reserves;
        r.base = (r.base + baseIn).toUint128();
        r.quote = (r.quote + quoteIn).toUint128();
        s.reserves = r;
        emit ISkewPool.Deposit(msg.sender, to, shares, baseIn, quoteIn);
        _emitSync(s, r);
    }

    /// @notice Pays out a withdrawal (see `ISkewPool.withdraw`); the caller has burnt `shares` already.
    /// @param s The pool's storage.
    /// @param im The pool's immutables.
    /// @param supply The LP share supply before the burn.
    /// @param shares Shares burnt.
    /// @param minBase Smallest acceptable base output, raw.
    /// @param minQuote Smallest acceptable quote output, raw.
    /// @param to Who receives the tokens.
    /// @param deadline Last timestamp at which the withdrawal may execute.
    /// @return baseOut Raw base sent.
    /// @return quoteOut Raw quote sent.
    function withdraw(
        PoolStorage storage s,
        PoolImmutables memory im,
        uint256 supply,
        uint256 shares,
        uint256 minBase,
        uint256 minQuote,
        address to,
        uint256 deadline
    ) external returns (uint256 baseOut, uint256 quoteOut) {
        PoolChecks.checkDeadline(deadline);
        PoolChecks.checkRecipient(to, im);
        if (shares == 0) revert ZeroAmount();
        Pair memory r = s.reserves;
        baseOut = Math.mulDiv(shares, r.base, supply);
        quoteOut = Math.mulDiv(shares, r.quote, supply);
        if (baseOut == 0 && quoteOut == 0) revert ZeroAmount();
        if (baseOut < minBase) revert ISkewPool.InsufficientOutput(baseOut, minBase);
        if (quoteOut < minQuote) revert ISkewPool.InsufficientOutput(quoteOut, minQuote);

        // shares <= the caller's balance < supply (the locked minimum is never burnt): no underflow.
        r.base -= uint128(baseOut);
        r.quote -= uint128(quoteOut);
        _rescaleTargets(s, im, supply, supply - shares, r.base, r.quote);
        s.reserves = r;

        if (baseOut != 0) im.base.safeTransfer(to, baseOut);
        if (quoteOut != 0) im.quote.safeTransfer(to, quoteOut);
        emit ISkewPool.Withdraw(msg.sender, to, shares, baseOut, quoteOut);
        _emitSync(s, r);
    }

    /// @dev First deposit: takes both amounts in full, sets the targets to the scaled reserves (region ONE)
    ///      and mints sqrt(scaledBase * scaledQuote) shares minus the locked minimum. It fixes the pool's
    ///      equilibrium for good, so only the factory (which checks the seed against the oracle) may make it.
    function _firstDeposit(
        PoolStorage storage s,
        PoolImmutables memory im,
        uint256 baseMax,
        uint256 quoteMax
    ) private returns (uint256 shares, uint256 baseIn, uint256 quoteIn) {
        if (msg.sender != im.factory) revert ISkewPool.FirstDepositNotByFactory(msg.sender, im.factory);
        baseIn = _pull(im.base, baseMax);
        quoteIn = _pull(im.quote, quoteMax);
        if (baseIn == 0 || quoteIn == 0) revert ZeroAmount();
        uint256 scaledBase = baseIn * im.baseScale;
        uint256 scaledQuote = quoteIn * im.quoteScale;
        // Both fit in 128 bits (checked by the casts), so their product cannot overflow.
        s.targets = Pair(scaledBase.toUint128(), scaledQuote.toUint128());
        s.config.region = Region.ONE;
        shares = Math.sqrt(scaledBase * scaledQuote);
        if (shares <= MINIMUM_LIQUIDITY) revert ISkewPool.ZeroShares();
        shares -= MINIMUM_LIQUIDITY;
    }

    /// @dev Later deposits: pulls what the largest share amount both maxima allow needs (rounded up),
    ///      then mints shares from what actually arrived (rounded down), so a fee-on-transfer token
    ///      cannot over-mint, and scales the targets with the supply.
    function _proportionalDeposit(
        PoolStorage storage s,
        PoolImmutables memory im,
        uint256 supply,
        uint256 baseMax,
        uint256 quoteMax
    ) private returns (uint256 shares, uint256 baseIn, uint256 quoteIn) {
        Pair memory r = s.reserves;
        if (r.base == 0 || r.quote == 0) revert InsufficientLiquidity();
        uint256 wanted = Math.min(Math.mulDiv(baseMax, supply, r.base), Math.mulDiv(quoteMax, supply, r.quote));
        if (wanted == 0) revert ISkewPool.ZeroShares();
        baseIn = _pull(im.base, Math.mulDiv(wanted, r.base, supply, Math.Rounding.Ceil));
        quoteIn = _pull(im.quote, Math.mulDiv(wanted, r.quote, supply, Math.Rounding.Ceil));
        shares = Math.min(Math.mulDiv(baseIn, supply, r.base), Math.mulDiv(quoteIn, supply, r.quote));
        if (shares == 0) revert ISkewPool.ZeroShares();
        _rescaleTargets(s, im, supply, supply + shares, r.base + baseIn, r.quote + quoteIn);
    }

    /// @dev Scales the stored targets by `newSupply / oldSupply` after a deposit or withdrawal.
    ///      In region ONE the targets stay equal to the scaled reserves. Elsewhere they round up, so the
    ///      long side's surplus (what the pool pays out on the way back to equilibrium) never grows by
    ///      rounding; if rounding closes that surplus, the pool is at equilibrium and becomes region ONE, where
    ///      a queued k takes effect (DESIGN.md §3).
    function _rescaleTargets(
        PoolStorage storage s,
        PoolImmutables memory im,
        uint256 oldSupply,
        uint256 newSupply,
        uint256 newBase,
        uint256 newQuote
    ) private {
        uint256 scaledBase = newBase * im.baseScale;
        uint256 scaledQuote = newQuote * im.quoteScale;
        Region region = s.config.region;
        if (region != Region.ONE) {
            Pair memory t = s.targets;
            uint256 baseTarget = Math.mulDiv(t.base, newSupply, oldSupply, Math.Rounding.Ceil);
            uint256 quoteTarget = Math.mulDiv(t.quote, newSupply, oldSupply, Math.Rounding.Ceil);
            bool longSideAhead = region == Region.A ? quoteTarget < scaledQuote : baseTarget < scaledBase;
            if (longSideAhead) {
                s.targets = Pair(baseTarget.toUint128(), quoteTarget.toUint128());
                return;
            }
            _reachEquilibrium(s);
        }
        s.targets = Pair(scaledBase.toUint128(), scaledQuote.toUint128());
    }

    /// @dev Marks the pool at equilibrium (region ONE) and applies a queued k.
    function _reachEquilibrium(PoolStorage storage s) private {
        Config memory c = s.config;
        c.region = Region.ONE;
        if (c.flags & FLAG_K_PENDING != 0) {
            uint64 k = s.clock.pendingK;
            emit ISkewPool.KChangeApplied(c.k, k);
            (c.k, c.flags) = (k, c.flags & ~FLAG_K_PENDING);
        }
        s.config = c;
    }

    /// @dev Pulls `amount` of `token` from the caller and returns what actually arrived.
    function _pull(IERC20 token, uint256 amount) private returns (uint256) {
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        return token.balanceOf(address(this)) - before;
    }

    /// @dev Emits the curve state after a deposit or withdrawal.
    function _emitSync(PoolStorage storage s, Pair memory r) private {
        Pair memory t = s.targets;
        emit ISkewPool.Sync(r.base, r.quote, t.base, t.quote, s.config.region);
    }
}
