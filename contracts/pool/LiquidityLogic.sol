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
import {
    Config,
    DOMAIN_LIMIT,
    FLAG_K_PENDING,
    MINIMUM_LIQUIDITY,
    Pair,
    PoolImmutables,
    PoolStorage
} from "./PoolStorage.sol";

/// @notice A deposit's limits (see `ISkewPool.deposit`): one struct so the library's entry point stays within
///         the stack without via-IR.
/// @param baseMax Most base to pull, raw.
/// @param quoteMax Most quote to pull, raw.
/// @param baseMin Least base to take, raw.
/// @param quoteMin Least quote to take, raw.
/// @param minShares Fewest shares to accept.
struct DepositLimits {
    uint256 baseMax;
    uint256 quoteMax;
    uint256 baseMin;
    uint256 quoteMin;
    uint256 minShares;
}

/// @title LiquidityLogic
/// @author Skew
/// @notice Proportional deposits and withdrawals of a Skew pool, and the sync of its reserves to its balances.
///         Linked into `SkewPool` and run by DELEGATECALL on the pool's storage; the pool mints and burns the
///         shares.
/// @dev Never reads the oracle. Rounding favours the pool: amounts taken round up, shares minted and
///      amounts paid round down, a synced surplus down.
library LiquidityLogic {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    /// @notice Takes a deposit (see `ISkewPool.deposit`); the caller mints `shares` to `to` and, when
    ///         `first`, `MINIMUM_LIQUIDITY` to the dead address.
    /// @param s The pool's storage.
    /// @param im The pool's immutables.
    /// @param supply The LP share supply before the deposit.
    /// @param lim The caller's maxima and minima.
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
        DepositLimits memory lim,
        address to,
        uint256 deadline
    ) external returns (uint256 shares, uint256 baseIn, uint256 quoteIn, bool first) {
        PoolChecks.checkDeadline(deadline);
        PoolChecks.checkRecipient(to, im);
        if (lim.baseMax == 0 || lim.quoteMax == 0) revert ZeroAmount();
        first = supply == 0;
        (shares, baseIn, quoteIn) = first
            ? _firstDeposit(s, im, lim.baseMax, lim.quoteMax)
            : _proportionalDeposit(s, im, supply, lim.baseMax, lim.quoteMax);
        if (baseIn < lim.baseMin || quoteIn < lim.quoteMin) {
            revert ISkewPool.DepositBelowMinimum(baseIn, quoteIn, lim.baseMin, lim.quoteMin);
        }
        if (shares < lim.minShares) revert ISkewPool.InsufficientShares(shares, lim.minShares);

        Pair memory r = s.reserves;
        r.base = (r.base + baseIn).toUint128();
        r.quote = (r.quote + quoteIn).toUint128();
        _checkDomain(s.targets, r.base * im.baseScale, r.quote * im.quoteScale);
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
        Pair memory r = _sync(s, im);
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

    /// @notice Sets the reserves to the balances (see `ISkewPool.sync`).
    /// @param s The pool's storage.
    /// @param im The pool's immutables.
    function sync(PoolStorage storage s, PoolImmutables memory im) external {
        Pair memory before = s.reserves;
        Pair memory r = _sync(s, im);
        if (r.base != before.base || r.quote != before.quote) _emitSync(s, r);
    }

    /// @dev Lowers each reserve to the balance minus the protocol fees owed (the fees cut to the balance when it is
    ///      below them) and rescales the targets (`_rescaleForBalances`). A balance above the reserve is left out:
    ///      growth never enters the reserves (no share-price inflation by donation), it stays a surplus that the
    ///      next swap of that token counts as input, as before.
    function _sync(PoolStorage storage s, PoolImmutables memory im) private returns (Pair memory r) {
        Pair memory old = s.reserves;
        Pair memory fees = s.protocolFees;
        (uint256 newBase, uint256 feesBase) = _available(im.base, fees.base, old.base);
        (uint256 newQuote, uint256 feesQuote) = _available(im.quote, fees.quote, old.quote);
        if (feesBase != fees.base || feesQuote != fees.quote)
            s.protocolFees = Pair(uint128(feesBase), uint128(feesQuote));
        if (newBase == old.base && newQuote == old.quote) return old;
        // No larger than the old reserves: the casts cannot truncate.
        r = Pair(uint128(newBase), uint128(newQuote));
        _rescaleForBalances(s, im, old, r);
        s.reserves = r;
        emit ISkewPool.ReservesSynced(msg.sender, old.base, old.quote, r.base, r.quote);
    }

    /// @dev The reserve the pool can back with its balance of `token`: the balance minus the protocol fees owed,
    ///      at most the current reserve; and the fees owed, cut to the balance when it is below them.
    function _available(
        IERC20 token,
        uint256 fees,
        uint256 reserve
    ) private view returns (uint256 available, uint256 feesLeft) {
        uint256 balance = token.balanceOf(address(this));
        if (balance < fees) return (0, balance);
        return (Math.min(balance - fees, reserve), fees);
    }

    /// @dev Targets after `sync` lowered the reserves from `old` to `r` (DESIGN.md §4). At equilibrium the targets
    ///      follow the reserves. Elsewhere the long side's surplus over its stored target is multiplied by each
    ///      side's ratio new/old (rounded down), i.e. a side that shrank scales as a whole (reserve and target) and
    ///      the curve keeps its shape: the premium over equilibrium a trader can take back never grows, and a
    ///      surplus rounded to 0 is equilibrium.
    function _rescaleForBalances(
        PoolStorage storage s,
        PoolImmutables memory im,
        Pair memory old,
        Pair memory r
    ) private {
        uint256 scaledBase = r.base * im.baseScale;
        uint256 scaledQuote = r.quote * im.quoteScale;
        Region region = s.config.region;
        if (region != Region.ONE) {
            Pair memory t = s.targets;
            bool baseLong = region == Region.B;
            uint256 longOld = baseLong ? old.base * im.baseScale : old.quote * im.quoteScale;
            uint256 longTarget = baseLong ? t.base : t.quote;
            uint256 surplus = longOld > longTarget ? longOld - longTarget : 0;
            surplus = _shrink(surplus, r.base, old.base);
            surplus = _shrink(surplus, r.quote, old.quote);
            if (surplus != 0) {
                uint256 shortTarget = baseLong ? t.quote : t.base; // informational: the math re-derives it
                shortTarget = _shrink(shortTarget, baseLong ? r.quote : r.base, baseLong ? old.quote : old.base);
                s.targets = baseLong
                    ? Pair((scaledBase - surplus).toUint128(), shortTarget.toUint128())
                    : Pair(shortTarget.toUint128(), (scaledQuote - surplus).toUint128());
                return;
            }
            _reachEquilibrium(s);
        }
        s.targets = Pair(scaledBase.toUint128(), scaledQuote.toUint128());
    }

    /// @dev `amount * now / before` rounded down when `now < before`, else `amount` (`now` is never above `before`).
    function _shrink(uint256 amount, uint256 now_, uint256 before) private pure returns (uint256) {
        return now_ < before ? Math.mulDiv(amount, now_, before) : amount;
    }

    /// @dev Reverts with `OutsideSupportedDomain` unless the scaled reserves and the stored targets are below
    ///      `DOMAIN_LIMIT`.
    function _checkDomain(Pair memory t, uint256 scaledBase, uint256 scaledQuote) private pure {
        if (scaledBase >= DOMAIN_LIMIT || scaledQuote >= DOMAIN_LIMIT) {
            revert ISkewPool.OutsideSupportedDomain(scaledBase, scaledQuote);
        }
        if (t.base >= DOMAIN_LIMIT || t.quote >= DOMAIN_LIMIT) revert ISkewPool.OutsideSupportedDomain(t.base, t.quote);
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
        Pair memory r = _sync(s, im);
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
