// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ISkewFactory} from "./interfaces/ISkewFactory.sol";
import {ISkewPool} from "./interfaces/ISkewPool.sol";
import {ISkewPullOracle} from "./interfaces/ISkewOracle.sol";
import {DepositParams, Hop, ISkewRouter, PermitSig, PriceUpdate} from "./interfaces/ISkewRouter.sol";
import {Side, SwapQuote} from "./libraries/SkewTypes.sol";

/// @title SkewRouter
/// @author Skew
/// @notice Exact-in and exact-out swaps along routes of Skew pools, and liquidity helpers, with
///         slippage, deadline and optional EIP-2612 permits. See ISkewRouter.
/// @dev Swaps move tokens caller -> first pool -> ... -> recipient: each pool pays its output
///      straight into the next pool, which measures what arrived (balance-delta style). Deposits
///      pass through the router because pools pull from their caller; the router returns
///      whatever the pool does not take and resets its allowance, so it never keeps tokens.
contract SkewRouter is ISkewRouter, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice The factory whose pools this router trades.
    ISkewFactory public immutable factory;

    /// @param factory_ The Skew factory (its registry decides which pools are known).
    constructor(ISkewFactory factory_) {
        factory = factory_;
    }

    modifier checkDeadline(uint256 deadline) {
        if (block.timestamp > deadline) revert Expired(deadline, block.timestamp);
        _;
    }

    /// @inheritdoc ISkewRouter
    function swapExactIn(
        Hop[] calldata path,
        uint256 amountIn,
        uint256 minAmountOut,
        address recipient,
        uint256 deadline
    ) external nonReentrant checkDeadline(deadline) returns (uint256 amountOut) {
        return _swapExactIn(path, amountIn, minAmountOut, recipient, deadline);
    }

    /// @inheritdoc ISkewRouter
    function swapExactInWithPermit(
        Hop[] calldata path,
        uint256 amountIn,
        uint256 minAmountOut,
        address recipient,
        uint256 deadline,
        PermitSig calldata permit
    ) external nonReentrant checkDeadline(deadline) returns (uint256 amountOut) {
        _permitInput(path, permit);
        return _swapExactIn(path, amountIn, minAmountOut, recipient, deadline);
    }

    /// @inheritdoc ISkewRouter
    function swapExactOut(
        Hop[] calldata path,
        uint256 amountOut,
        uint256 maxAmountIn,
        address recipient,
        uint256 deadline
    ) external nonReentrant checkDeadline(deadline) returns (uint256 amountIn, uint256 amountOutReceived) {
        return _swapExactOut(path, amountOut, maxAmountIn, recipient, deadline);
    }

    /// @inheritdoc ISkewRouter
    function swapExactOutWithPermit(
        Hop[] calldata path,
        uint256 amountOut,
        uint256 maxAmountIn,
        address recipient,
        uint256 deadline,
        PermitSig calldata permit
    ) external nonReentrant checkDeadline(deadline) returns (uint256 amountIn, uint256 amountOutReceived) {
        _permitInput(path, permit);
        return _swapExactOut(path, amountOut, maxAmountIn, recipient, deadline);
    }

    /// @inheritdoc ISkewRouter
    function swapExactInWithPriceUpdate(
        Hop[] calldata path,
        uint256 amountIn,
        uint256 minAmountOut,
        address recipient,
        uint256 deadline,
        PriceUpdate[] calldata updates
    ) external payable nonReentrant checkDeadline(deadline) returns (uint256 amountOut) {
        uint256 fees = _updatePrices(path, updates);
        amountOut = _swapExactIn(path, amountIn, minAmountOut, recipient, deadline);
        _refundEth(fees);
    }

    /// @inheritdoc ISkewRouter
    function swapExactOutWithPriceUpdate(
        Hop[] calldata path,
        uint256 amountOut,
        uint256 maxAmountIn,
        address recipient,
        uint256 deadline,
        PriceUpdate[] calldata updates
    ) external payable nonReentrant checkDeadline(deadline) returns (uint256 amountIn, uint256 amountOutReceived) {
        uint256 fees = _updatePrices(path, updates);
        (amountIn, amountOutReceived) = _swapExactOut(path, amountOut, maxAmountIn, recipient, deadline);
        _refundEth(fees);
    }

    /// @inheritdoc ISkewRouter
    function deposit(
        DepositParams calldata p
    ) external nonReentrant checkDeadline(p.deadline) returns (uint256 shares, uint256 baseIn, uint256 quoteIn) {
        return _deposit(p);
    }

    /// @inheritdoc ISkewRouter
    function depositWithPermit(
        DepositParams calldata p,
        PermitSig calldata basePermit,
        PermitSig calldata quotePermit
    ) external nonReentrant checkDeadline(p.deadline) returns (uint256 shares, uint256 baseIn, uint256 quoteIn) {
        _checkPool(p.pool);
        _permit(ISkewPool(p.pool).base(), basePermit);
        _permit(ISkewPool(p.pool).quote(), quotePermit);
        return _deposit(p);
    }

    /// @inheritdoc ISkewRouter
    function withdrawWithPermit(
        address pool,
        uint256 shares,
        uint256 minBase,
        uint256 minQuote,
        address to,
        uint256 deadline,
        PermitSig calldata permit
    ) external nonReentrant checkDeadline(deadline) returns (uint256 baseOut, uint256 quoteOut) {
        _checkPool(pool);
        if (to == address(0)) revert InvalidRecipient(to);
        _permit(pool, permit);
        IERC20(pool).safeTransferFrom(msg.sender, address(this), shares);
        return ISkewPool(pool).withdraw(shares, minBase, minQuote, to, deadline);
    }

    // ---------------------------------------------------------------------------------------

    function _swapExactIn(
        Hop[] calldata path,
        uint256 amountIn,
        uint256 minAmountOut,
        address recipient,
        uint256 deadline
    ) private returns (uint256 amountOut) {
        if (amountIn == 0) revert ZeroAmount();
        _checkRoute(path, recipient);
        IERC20(_tokenIn(path[0])).safeTransferFrom(msg.sender, path[0].pool, amountIn);
        amountOut = _execute(path, recipient, deadline);
        if (amountOut < minAmountOut) revert InsufficientOutput(amountOut, minAmountOut);
    }

    function _swapExactOut(
        Hop[] calldata path,
        uint256 amountOut,
        uint256 maxAmountIn,
        address recipient,
        uint256 deadline
    ) private returns (uint256 amountIn, uint256 amountOutReceived) {
        if (amountOut == 0) revert ZeroAmount();
        _checkRoute(path, recipient);
        // Inputs backwards from the last hop: each pool's exact-out quote is an input that,
        // swapped exact-in, pays at least what the next hop needs.
        amountIn = amountOut;
        for (uint256 i = path.length; i > 0; --i) {
            SwapQuote memory q = ISkewPool(path[i - 1].pool).quoteExactOut(path[i - 1].side, amountIn);
            amountIn = q.amountIn;
        }
        if (amountIn > maxAmountIn) revert ExcessiveInput(amountIn, maxAmountIn);
        IERC20(_tokenIn(path[0])).safeTransferFrom(msg.sender, path[0].pool, amountIn);
        amountOutReceived = _execute(path, recipient, deadline);
        if (amountOutReceived < amountOut) revert InsufficientOutput(amountOutReceived, amountOut);
    }

    /// @dev Swaps every hop; each pays into the next pool, the last into the recipient.
    function _execute(Hop[] calldata path, address recipient, uint256 deadline) private returns (uint256 out) {
        uint256 last = path.length - 1;
        for (uint256 i; i <= last; ++i) {
            address to = i == last ? recipient : path[i + 1].pool;
            out = ISkewPool(path[i].pool).swap(path[i].side, 0, to, deadline);
        }
    }

    /// @dev Known pools, chained tokens, a real recipient. Two consecutive hops on the same pool are
    ///      refused: the first would pay the pool itself (which pools reject as a recipient), and a
    ///      round trip through one pool only pays its fee twice.
    function _checkRoute(Hop[] calldata path, address recipient) private view {
        if (path.length == 0) revert InvalidPath(0);
        if (recipient == address(0)) revert InvalidRecipient(recipient);
        address prevOut;
        for (uint256 i; i < path.length; ++i) {
            _checkPool(path[i].pool);
            if (i > 0 && (_tokenIn(path[i]) != prevOut || path[i].pool == path[i - 1].pool)) revert InvalidPath(i);
            prevOut = _tokenOut(path[i]);
        }
    }

    /// @dev Pays each update's fee out of `msg.value` and updates its oracle, which must be the feed of a
    ///      known pool of the route. Returns the fees paid.
    function _updatePrices(Hop[] calldata path, PriceUpdate[] calldata updates) private returns (uint256 fees) {
        for (uint256 i; i < updates.length; ++i) {
            ISkewPullOracle oracle = ISkewPullOracle(updates[i].oracle);
            _checkOracleOnPath(path, address(oracle));
            uint256 fee = oracle.getUpdateFee(updates[i].data);
            fees += fee;
            if (fees > msg.value) revert InsufficientUpdateFee(msg.value, fees);
            oracle.updatePrice{value: fee}(updates[i].data);
        }
    }

    /// @dev Reverts unless `oracle` is the feed of one of the route's (known) pools.
    function _checkOracleOnPath(Hop[] calldata path, address oracle) private view {
        for (uint256 j; j < path.length; ++j) {
            _checkPool(path[j].pool);
            if (ISkewPool(path[j].pool).feed() == oracle) return;
        }
        revert OracleNotOnPath(oracle);
    }

    /// @dev Returns what is left of `msg.value` after `spent` to the caller.
    function _refundEth(uint256 spent) private {
        uint256 left = msg.value - spent;
        if (left == 0) return;
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, ) = msg.sender.call{value: left}("");
        if (!ok) revert RefundFailed(msg.sender, left);
    }

    function _deposit(DepositParams calldata p) private returns (uint256 shares, uint256 baseIn, uint256 quoteIn) {
        _checkPool(p.pool);
        IERC20 base = IERC20(ISkewPool(p.pool).base());
        IERC20 quote = IERC20(ISkewPool(p.pool).quote());
        // Measure what reached the router (fee-on-transfer tokens deliver less than sent).
        uint256 baseHeld = _pullAndApprove(base, p.baseMax, p.pool);
        (shares, baseIn, quoteIn) = _depositHeld(p, baseHeld, _pullAndApprove(quote, p.quoteMax, p.pool));
        base.forceApprove(p.pool, 0);
        quote.forceApprove(p.pool, 0);
        _refund(base);
        _refund(quote);
    }

    /// @dev Pulls `amount` of `token` from the caller and approves `pool` for what arrived.
    function _pullAndApprove(IERC20 token, uint256 amount, address pool) private returns (uint256 held) {
        held = _pull(token, amount);
        token.forceApprove(pool, held);
    }

    /// @dev The pool's deposit of what the router holds, with the caller's limits.
    function _depositHeld(
        DepositParams calldata p,
        uint256 baseHeld,
        uint256 quoteHeld
    ) private returns (uint256, uint256, uint256) {
        return ISkewPool(p.pool).deposit(baseHeld, quoteHeld, p.baseMin, p.quoteMin, p.minShares, p.to, p.deadline);
    }

    /// @dev Pulls `amount` from the caller and returns how much arrived.
    function _pull(IERC20 token, uint256 amount) private returns (uint256) {
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        return token.balanceOf(address(this)) - before;
    }

    /// @dev Returns the router's whole balance of `token` to the caller.
    function _refund(IERC20 token) private {
        uint256 left = token.balanceOf(address(this));
        if (left != 0) token.safeTransfer(msg.sender, left);
    }

    /// @dev Applies the caller's permit on the route's input token, after checking that the route is not
    ///      empty and that its first pool is known (so an empty route is `InvalidPath(0)`, not a panic, and
    ///      no unknown contract is asked for its token).
    function _permitInput(Hop[] calldata path, PermitSig calldata permit) private {
        if (path.length == 0) revert InvalidPath(0);
        _checkPool(path[0].pool);
        _permit(_tokenIn(path[0]), permit);
    }

    /// @dev Applies a permit; a failure is ignored (it may have been front-run), and the
    ///      transfer that follows fails on its own if the allowance is missing.
    function _permit(address token, PermitSig calldata p) private {
        try IERC20Permit(token).permit(msg.sender, address(this), p.value, p.deadline, p.v, p.r, p.s) {} catch {}
    }

    function _checkPool(address pool) private view {
        if (!factory.isPool(pool)) revert UnknownPool(pool);
    }

    function _tokenIn(Hop calldata hop) private view returns (address) {
        return hop.side == Side.SellBase ? ISkewPool(hop.pool).base() : ISkewPool(hop.pool).quote();
    }

    function _tokenOut(Hop calldata hop) private view returns (address) {
        return hop.side == Side.SellBase ? ISkewPool(hop.pool).quote() : ISkewPool(hop.pool).base();
    }
}
