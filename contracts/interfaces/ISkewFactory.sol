// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {PoolConfig} from "./ISkewPool.sol";

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

    /// @notice Owner: creates the pool for (cfg.base, cfg.quote, cfg.feed) with CREATE2,
    ///         salt `keccak256(abi.encode(base, quote, feed))`.
    /// @param cfg Tokens, feed, initial parameters, bounds, steps, limits and roles of the pool.
    /// @return pool The new pool's address (equal to `predictPoolAddress(cfg)`).
    function createPool(PoolConfig calldata cfg) external returns (address pool);

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
