// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {ParamBounds, ParamSteps, SurgeWidthLimits} from "../interfaces/ISkewPool.sol";
import {Region} from "../libraries/SkewTypes.sol";

// Storage layout and shared constants of a Skew pool, used by `SkewPool` and its logic libraries
// (which run by DELEGATECALL against the pool's storage).

/// @dev Shares minted to `DEAD_ADDRESS` by the first deposit and locked forever.
uint256 constant MINIMUM_LIQUIDITY = 1e3;
/// @dev Holder of the locked minimum liquidity (ERC-20 cannot mint to the zero address).
address constant DEAD_ADDRESS = 0x000000000000000000000000000000000000dEaD;
/// @dev Cap of the protocol's share of the fee, pips of the fee (50 %).
uint32 constant MAX_PROTOCOL_SHARE = 500_000;
/// @dev 100 % in pips.
uint256 constant PIPS = 1e6;
/// @dev 1.0 in WAD.
uint256 constant WAD = 1e18;
/// @dev A new pool's surge ramp width, WAD (5 %; DESIGN.md §2), until the keeper moves it.
uint64 constant DEFAULT_SURGE_WIDTH = 5e16;
/// @dev `Config.flags` bit: protocol fees are owed (`protocolFees` is non-zero), which spares a cold read on
///      most swaps.
uint8 constant FLAG_FEES_OWED = 1;
/// @dev `Config.flags` bit: a change of `k` is queued in `KeeperAndSurge.pendingK` (DESIGN.md §3): it takes
///      effect when a swap reaches or crosses equilibrium, so only those swaps read the queued value.
uint8 constant FLAG_K_PENDING = 2;

/// @dev An amount of each token: raw reserves, scaled targets or raw accrued protocol fees.
struct Pair {
    uint128 base;
    uint128 quote;
}

/// @dev Everything else a swap reads, packed in one slot (8+8+8+64+64+24+24+24+32 = 256 bits).
///      Fees are pips (< 1e6 < 2^24) and validated before they are narrowed.
struct Config {
    Region region;
    bool paused;
    uint8 flags; // FLAG_FEES_OWED | FLAG_K_PENDING
    uint64 k; // the skew strength in force
    uint64 tau;
    uint24 baseFee;
    uint24 maxFee;
    uint24 protocolShare;
    uint32 oracleMaxAge;
}

/// @dev Keeper rate limit, the queued skew strength (meaningful only while `FLAG_K_PENDING` is set) and the
///      surge fee's floor and ramp width (DESIGN.md §2), which every swap reads (32+48+64+24+64 = 232 bits).
struct KeeperAndSurge {
    uint32 minInterval;
    uint48 lastParamsUpdate; // 0 until the keeper's first update
    uint64 pendingK; // WAD; applied when a swap reaches equilibrium
    uint24 feeFloor; // pips, < 1e6: the least rate away-from-target volume pays (admin)
    uint64 surgeWidth; // WAD, 0 < surgeWidth <= 1e18: the surge ramp's width (keeper, in bounds)
}

/// @dev The pool's own storage, one struct so the logic libraries take a single pointer.
///      Slots: reserves, targets, config and clock are the swap's hot path; protocolFees is read only when
///      fees are owed; the rest is read by the keeper and admin paths only.
struct PoolStorage {
    Pair reserves; // raw, excluding accrued protocol fees
    Pair targets; // scaled (18-decimal); only the long side's is authoritative outside region ONE
    Config config;
    Pair protocolFees; // raw, owed to the treasury
    ParamBounds bounds;
    ParamSteps steps;
    KeeperAndSurge clock;
    SurgeWidthLimits surgeWidthLimits; // read by the keeper and admin paths only
}

/// @dev The pool's immutables, handed to the logic libraries (which cannot read them). Memory only, never
///      stored, so the order is the one that compiles the pool smallest, not a packing.
// solhint-disable-next-line gas-struct-packing
struct PoolImmutables {
    IERC20 base;
    IERC20 quote;
    AggregatorV3Interface feed;
    address factory; // the only account that may make the first deposit
    uint256 baseScale;
    uint256 quoteScale;
    uint8 baseDecimals;
    uint8 quoteDecimals;
    uint8 feedDecimals;
}
