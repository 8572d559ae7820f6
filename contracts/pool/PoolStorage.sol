// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {ParamBounds, ParamSteps} from "../interfaces/ISkewPool.sol";
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
    bool protocolFeesOwed; // whether `protocolFees` is non-zero: spares a cold read on most swaps
    uint64 k;
    uint64 tau;
    uint24 baseFee;
    uint24 maxFee;
    uint24 protocolShare;
    uint32 oracleMaxAge;
}

/// @dev Keeper rate limit.
struct KeeperClock {
    uint32 minInterval;
    uint48 lastParamsUpdate; // 0 until the keeper's first update
}

/// @dev The pool's own storage, one struct so the logic libraries take a single pointer.
///      Slots: reserves, targets and config are the swap's hot path; protocolFees is read only when
///      fees are owed; the rest is read by the keeper and admin paths only.
struct PoolStorage {
    Pair reserves; // raw, excluding accrued protocol fees
    Pair targets; // scaled (18-decimal); only the long side's is authoritative outside region ONE
    Config config;
    Pair protocolFees; // raw, owed to the treasury
    ParamBounds bounds;
    ParamSteps steps;
    KeeperClock clock;
}

/// @dev The pool's immutables, handed to the logic libraries (which cannot read them).
struct PoolImmutables {
    IERC20 base;
    IERC20 quote;
    AggregatorV3Interface feed;
    uint256 baseScale;
    uint256 quoteScale;
    uint8 baseDecimals;
    uint8 quoteDecimals;
    uint8 feedDecimals;
}
