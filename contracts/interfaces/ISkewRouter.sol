// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Side} from "../libraries/SkewTypes.sol";

/// @notice One step of a route: a Skew pool and the direction to trade it in.
struct Hop {
    address pool;
    Side side;
}

/// @notice An EIP-2612 permit signed by the caller for the router.
struct PermitSig {
    uint256 value;
    uint256 deadline;
    uint8 v;
    bytes32 r;
    bytes32 s;
}

/// @notice A router deposit: the pool, the ratio band the caller signs for, and where the shares go.
/// @param pool The Skew pool.
/// @param baseMax Most base to spend, raw (a quote's amount: see `ISkewPool.deposit`).
/// @param quoteMax Most quote to spend, raw.
/// @param baseMin Least base the pool must take, raw (the quote's amount minus the slippage).
/// @param quoteMin Least quote the pool must take, raw.
/// @param minShares Fewest shares to accept.
/// @param to Who receives the shares.
/// @param deadline Last timestamp at which the deposit may execute.
struct DepositParams {
    address pool;
    uint256 baseMax;
    uint256 quoteMax;
    uint256 baseMin;
    uint256 quoteMin;
    uint256 minShares;
    address to;
    uint256 deadline;
}

/// @notice Signed price update data for one pull oracle of a route (e.g. a `PythOracle`).
/// @param oracle The pull oracle: the `feed()` of one of the route's pools.
/// @param data The update data it verifies (e.g. Pyth's Hermes payload).
struct PriceUpdate {
    address oracle;
    bytes[] data;
}

/// @title ISkewRouter
/// @author Skew
/// @notice Swaps through one or more Skew pools with slippage and deadline protection, and adds
///         or removes liquidity, each optionally with an EIP-2612 permit. The router pulls input
///         straight from the caller into the first pool, sends each hop's output straight into the
///         next pool, and never holds tokens after a call.
interface ISkewRouter {
    /// @notice The call came after its deadline.
    error Expired(uint256 deadline, uint256 timestamp);
    /// @notice An empty route (hop 0), or hop `hop` does not take the previous hop's output token or
    ///         trades the same pool as the previous hop.
    error InvalidPath(uint256 hop);
    /// @notice The pool was not created by the router's factory.
    error UnknownPool(address pool);
    /// @notice A zero amount where a positive one is needed.
    error ZeroAmount();
    /// @notice The route pays less than the caller accepts.
    error InsufficientOutput(uint256 amountOut, uint256 minAmountOut);
    /// @notice The route needs more input than the caller accepts.
    error ExcessiveInput(uint256 amountIn, uint256 maxAmountIn);
    /// @notice The recipient is the zero address.
    error InvalidRecipient(address recipient);
    /// @notice A price update names an oracle that is not the feed of any pool of the route.
    error OracleNotOnPath(address oracle);
    /// @notice Less ETH was sent than the price updates' fees add up to.
    error InsufficientUpdateFee(uint256 sent, uint256 fee);
    /// @notice Returning the ETH left after the update fees to the caller failed.
    error RefundFailed(address to, uint256 amount);

    /// @notice Sells exactly `amountIn` of the first hop's input token along `path`.
    /// @param path The hops, first to last.
    /// @param amountIn Raw input pulled from the caller (approve the router first).
    /// @param minAmountOut Smallest acceptable final output, raw.
    /// @param recipient Who receives the final output.
    /// @param deadline Last timestamp at which the swap may execute.
    /// @return amountOut Raw final output.
    function swapExactIn(
        Hop[] calldata path,
        uint256 amountIn,
        uint256 minAmountOut,
        address recipient,
        uint256 deadline
    ) external returns (uint256 amountOut);

    /// @notice Buys at least `amountOut` of the last hop's output token along `path`, computing
    ///         the input in the same transaction from the pools' exact-out quotes.
    /// @param path The hops, first to last.
    /// @param amountOut Raw final output wanted.
    /// @param maxAmountIn Largest acceptable input, raw.
    /// @param recipient Who receives the final output.
    /// @param deadline Last timestamp at which the swap may execute.
    /// @return amountIn Raw input pulled from the caller.
    /// @return amountOutReceived Raw final output (at least `amountOut`).
    function swapExactOut(
        Hop[] calldata path,
        uint256 amountOut,
        uint256 maxAmountIn,
        address recipient,
        uint256 deadline
    ) external returns (uint256 amountIn, uint256 amountOutReceived);

    /// @notice `swapExactIn` after applying the caller's EIP-2612 permit for the input token.
    /// @param path The hops, first to last.
    /// @param amountIn Raw input pulled from the caller.
    /// @param minAmountOut Smallest acceptable final output, raw.
    /// @param recipient Who receives the final output.
    /// @param deadline Last timestamp at which the swap may execute.
    /// @param permit The caller's permit for the router on the input token.
    /// @return amountOut Raw final output.
    function swapExactInWithPermit(
        Hop[] calldata path,
        uint256 amountIn,
        uint256 minAmountOut,
        address recipient,
        uint256 deadline,
        PermitSig calldata permit
    ) external returns (uint256 amountOut);

    /// @notice `swapExactOut` after applying the caller's EIP-2612 permit for the input token.
    /// @param path The hops, first to last.
    /// @param amountOut Raw final output wanted.
    /// @param maxAmountIn Largest acceptable input, raw.
    /// @param recipient Who receives the final output.
    /// @param deadline Last timestamp at which the swap may execute.
    /// @param permit The caller's permit for the router on the input token.
    /// @return amountIn Raw input pulled from the caller.
    /// @return amountOutReceived Raw final output.
    function swapExactOutWithPermit(
        Hop[] calldata path,
        uint256 amountOut,
        uint256 maxAmountIn,
        address recipient,
        uint256 deadline,
        PermitSig calldata permit
    ) external returns (uint256 amountIn, uint256 amountOutReceived);

    /// @notice Adds liquidity to `p.pool` from the caller's tokens, taking between the minima and the maxima of
    ///         each token (else the pool's `DepositBelowMinimum`); what the pool does not take is returned.
    /// @param p The pool, limits, recipient and deadline.
    /// @return shares Shares minted.
    /// @return baseIn Raw base the pool took.
    /// @return quoteIn Raw quote the pool took.
    function deposit(DepositParams calldata p) external returns (uint256 shares, uint256 baseIn, uint256 quoteIn);

    /// @notice `deposit` after applying the caller's EIP-2612 permits for both tokens.
    /// @param p The pool, limits, recipient and deadline.
    /// @param basePermit The caller's permit for the router on the base token.
    /// @param quotePermit The caller's permit for the router on the quote token.
    /// @return shares Shares minted.
    /// @return baseIn Raw base the pool took.
    /// @return quoteIn Raw quote the pool took.
    function depositWithPermit(
        DepositParams calldata p,
        PermitSig calldata basePermit,
        PermitSig calldata quotePermit
    ) external returns (uint256 shares, uint256 baseIn, uint256 quoteIn);

    /// @notice Burns the caller's shares of `pool` (pulled with the caller's LP-share permit) for
    ///         both tokens, sent to `to`.
    /// @param pool The Skew pool.
    /// @param shares Shares to burn.
    /// @param minBase Smallest acceptable base output, raw.
    /// @param minQuote Smallest acceptable quote output, raw.
    /// @param to Who receives the tokens.
    /// @param deadline Last timestamp at which the withdrawal may execute.
    /// @param permit The caller's permit for the router on the pool's share token.
    /// @return baseOut Raw base sent.
    /// @return quoteOut Raw quote sent.
    function withdrawWithPermit(
        address pool,
        uint256 shares,
        uint256 minBase,
        uint256 minQuote,
        address to,
        uint256 deadline,
        PermitSig calldata permit
    ) external returns (uint256 baseOut, uint256 quoteOut);

    /// @notice `swapExactIn` after updating the route's pull oracles: each update's fee is paid from
    ///         `msg.value` (read from the oracle), the oracle verifies and stores the newest price, and
    ///         the ETH left over is returned to the caller after the swap.
    /// @param path The hops, first to last.
    /// @param amountIn Raw input pulled from the caller.
    /// @param minAmountOut Smallest acceptable final output, raw.
    /// @param recipient Who receives the final output.
    /// @param deadline Last timestamp at which the swap may execute.
    /// @param updates Update data per pull oracle of the route (each oracle the `feed()` of a hop's pool).
    /// @return amountOut Raw final output.
    function swapExactInWithPriceUpdate(
        Hop[] calldata path,
        uint256 amountIn,
        uint256 minAmountOut,
        address recipient,
        uint256 deadline,
        PriceUpdate[] calldata updates
    ) external payable returns (uint256 amountOut);

    /// @notice `swapExactOut` after updating the route's pull oracles (see `swapExactInWithPriceUpdate`):
    ///         the input is computed at the updated prices.
    /// @param path The hops, first to last.
    /// @param amountOut Raw final output wanted.
    /// @param maxAmountIn Largest acceptable input, raw.
    /// @param recipient Who receives the final output.
    /// @param deadline Last timestamp at which the swap may execute.
    /// @param updates Update data per pull oracle of the route.
    /// @return amountIn Raw input pulled from the caller.
    /// @return amountOutReceived Raw final output.
    function swapExactOutWithPriceUpdate(
        Hop[] calldata path,
        uint256 amountOut,
        uint256 maxAmountIn,
        address recipient,
        uint256 deadline,
        PriceUpdate[] calldata updates
    ) external payable returns (uint256 amountIn, uint256 amountOutReceived);
}
