// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {PoolConfig} from "./ISkewPool.sol";

/// @notice The first deposit of a new pool, made by the factory in the creating transaction.
/// @param baseAmount Raw base the creator pays (pulled from the caller; approve the factory first).
/// @param quoteAmount Raw quote the creator pays.
/// @param minShares Fewest LP shares to accept.
/// @param to Who receives the LP shares.
/// @param maxPriceDeviation Largest accepted deviation, pips (1e6 = 100 %), of the seed's price
///        `quoteAmount / baseAmount` (whole tokens) from the oracle's price: the seed is worth the same in
///        both tokens within it, so the pool's equilibrium is where the creator means it to be.
struct SeedParams {
    uint256 baseAmount;
    uint256 quoteAmount;
    uint256 minShares;
    address to;
    uint32 maxPriceDeviation;
}

/// @title ISkewFactory
/// @author Skew
/// @notice Creates Skew pools at deterministic (CREATE2) addresses, one per (base, quote, feed), and
///         keeps the registry of them.
/// @dev Besides the errors below, `createPool` reverts with `ISkewPool.UnsupportedTokenDecimals`,
///      `ISkewPool.UnsupportedFeedDecimals`, Ownable's errors, and any error of the pool's constructor
///      (invalid bounds or parameters, zero admin, ...).
interface ISkewFactory {
    /// @notice A pool was created.
    /// @param base The base token.
    /// @param quote The quote token.
    /// @param feed The reference price feed.
    /// @param pool The new pool.
    /// @param index The pool's index in `allPools`.
    event PoolCreated(address indexed base, address indexed quote, address indexed feed, address pool, uint256 index);

    /// @notice A token or the feed is the zero address.
    error ZeroAddress();
    /// @notice Base and quote are the same token.
    /// @param token The token.
    error IdenticalTokens(address token);
    /// @notice A token or the feed has no code.
    /// @param account The address.
    error NotAContract(address account);
    /// @notice A token's `decimals()` reverts or returns malformed data.
    /// @param token The token.
    error InvalidToken(address token);
    /// @notice The feed's `decimals()` reverts or returns malformed data.
    /// @param feed The feed.
    error InvalidFeed(address feed);
    /// @notice A pool for this (base, quote, feed) exists already.
    /// @param pool The existing pool.
    error PoolAlreadyExists(address pool);
    /// @notice The seed's price is further from the oracle's than the creator allows.
    /// @param seedPrice The seed's price, WAD (whole quote tokens per whole base token).
    /// @param oraclePrice The oracle's price, WAD.
    /// @param maxDeviation The creator's tolerance, pips.
    error SeedPriceOutOfRange(uint256 seedPrice, uint256 oraclePrice, uint256 maxDeviation);
    /// @notice A seed amount is zero, or the tolerance is 100 % or more.
    error InvalidSeed();
    /// @notice `seedPool` was given an address that is not an empty pool of this factory.
    /// @param pool The address.
    error NotAnEmptyPool(address pool);

    /// @notice Owner: creates the pool for (cfg.base, cfg.quote, cfg.feed) with CREATE2,
    ///         salt `keccak256(abi.encode(base, quote, feed))`, without liquidity: only this factory can make
    ///         its first deposit (`seedPool`); `createPoolAndSeed` does both at once.
    /// @param cfg Tokens, feed, initial parameters, bounds, steps, limits and roles of the pool.
    /// @return pool The new pool's address (equal to `predictPoolAddress(cfg)`).
    function createPool(PoolConfig calldata cfg) external returns (address pool);

    /// @notice Owner: creates the pool (as `createPool`) and makes its first deposit in the same transaction,
    ///         so nobody can seed it first at another ratio. The seed's price must lie within
    ///         `seed.maxPriceDeviation` of the oracle's (read with the pool's own checks). The factory pulls
    ///         the amounts from the caller and deposits what arrived; the LP shares go to `seed.to`.
    /// @param cfg Tokens, feed, initial parameters, bounds, steps, limits and roles of the pool.
    /// @param seed The first deposit and its tolerance.
    /// @return pool The new pool's address.
    /// @return shares LP shares minted to `seed.to`.
    function createPoolAndSeed(
        PoolConfig calldata cfg,
        SeedParams calldata seed
    ) external returns (address pool, uint256 shares);

    /// @notice Owner: makes the first deposit of an empty pool of this factory (created by `createPool`), with
    ///         the same checks as `createPoolAndSeed`.
    /// @param pool The pool, which must have no LP shares yet.
    /// @param seed The first deposit and its tolerance.
    /// @return shares LP shares minted to `seed.to`.
    function seedPool(address pool, SeedParams calldata seed) external returns (uint256 shares);

    /// @notice The address `createPool(cfg)` deploys to (the configuration is part of the init code).
    /// @param cfg The pool's configuration.
    /// @return The predicted address.
    function predictPoolAddress(PoolConfig calldata cfg) external view returns (address);

    /// @notice The pool for (base, quote, feed), or zero.
    /// @param base The base token.
    /// @param quote The quote token.
    /// @param feed The feed.
    /// @return The pool's address, or the zero address.
    function getPool(address base, address quote, address feed) external view returns (address);

    /// @notice Whether `pool` was created by this factory.
    /// @param pool The address to check.
    /// @return True for this factory's pools.
    function isPool(address pool) external view returns (bool);

    /// @notice The `index`-th pool created.
    /// @param index Position in creation order.
    /// @return The pool's address.
    function allPools(uint256 index) external view returns (address);

    /// @notice How many pools this factory created.
    /// @return The number of pools.
    function allPoolsLength() external view returns (uint256);
}
