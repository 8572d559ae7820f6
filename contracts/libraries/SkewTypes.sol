// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Types shared by the Skew math library, the pools and the router.
/// @notice Amount conventions: "raw" amounts are token base units; "scaled" amounts are
///         raw amounts times the token's scale (10**(18 - decimals)), i.e. 18-decimal units.

/// @notice Where the pool's inventory sits relative to its targets.
/// @dev ONE: at equilibrium (reserves equal targets). A: short base (B < B0, Q > Q0).
///      B: short quote (Q < Q0, B > B0).
enum Region {
    ONE,
    A,
    B
}

/// @notice Direction of a swap: the trader sells base for quote, or quote for base.
enum Side {
    SellBase,
    SellQuote
}

/// @notice Reference price as an exact rational: scaled quote units per scaled base unit
///         (equivalently whole quote tokens per whole base token) = num / den.
struct Price {
    uint256 num;
    uint256 den;
}

/// @notice Everything the pricing and fee rules need to quote a swap.
/// @dev Targets are scaled (18-decimal) amounts. Only the long side's target is authoritative;
///      the short side's target is re-derived from the reserves, the price and `k` before
///      every quote. In region ONE both targets equal the scaled reserves.
struct PoolMath {
    uint256 baseReserve; // raw
    uint256 quoteReserve; // raw
    uint256 baseTarget; // scaled
    uint256 quoteTarget; // scaled
    Region region;
    uint256 baseScale; // 10**(18 - baseDecimals)
    uint256 quoteScale; // 10**(18 - quoteDecimals)
    Price price;
    uint256 k; // WAD, 0..1e18: the skew strength in force
    uint256 kNext; // WAD: the k from equilibrium on, i.e. the queued k if a change is queued, else k (DESIGN.md §3)
    uint256 baseFee; // pips (1e6 = 100 %)
    uint256 maxFee; // pips, >= baseFee, < 1e6
    uint256 tau; // WAD, surge threshold on the imbalance, < 1e18
    uint256 feeFloor; // pips, < 1e6: the least rate away-from-target volume pays (DESIGN.md §2)
    uint256 surgeWidth; // WAD, 0 < surgeWidth <= 1e18: the surge ramp runs from tau to tau + surgeWidth
    uint256 protocolShare; // pips of the fee set aside for the treasury
}

/// @notice The result of quoting one swap, and the pool state it leaves behind.
struct SwapQuote {
    uint256 amountIn; // raw input taken
    uint256 amountOut; // raw output paid to the trader (after fee)
    uint256 grossOut; // raw output before fee, rounded down
    uint256 feePips; // effective fee rate, pips: the exact fee over the gross output, rounded up
    uint256 feeAmount; // raw fee retained (grossOut - amountOut), in the output token
    uint256 protocolFee; // raw part of feeAmount set aside for the treasury
    uint256 imbalanceBefore; // WAD: the short side's deficit at the price over the target value
    uint256 imbalanceAfter; // WAD, on the curve state after the swap before fees
    uint256 midPriceBefore; // WAD, whole quote tokens per whole base token
    uint256 midPriceAfter; // WAD, on the pool state after the swap
    // pool state after the swap (protocol fee already removed from the reserves)
    uint256 baseReserveAfter; // raw
    uint256 quoteReserveAfter; // raw
    uint256 baseTargetAfter; // scaled
    uint256 quoteTargetAfter; // scaled
    Region regionAfter;
    uint256 kAfter; // WAD, the k in force after the swap: the queued one once the swap reached equilibrium
}
