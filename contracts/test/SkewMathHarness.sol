// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {FullMath} from "../libraries/FullMath.sol";
import {SkewMath} from "../libraries/SkewMath.sol";
import {PoolMath, Side, SwapQuote} from "../libraries/SkewTypes.sol";

/// @title SkewMathHarness
/// @notice Test-only: exposes the internal SkewMath and FullMath functions as external calls.
contract SkewMathHarness {
    /// @notice SkewMath.quoteExactIn.
    function quoteExactIn(PoolMath memory p, Side side, uint256 amountIn) external pure returns (SwapQuote memory) {
        return SkewMath.quoteExactIn(p, side, amountIn);
    }

    /// @notice SkewMath.quoteExactOut.
    function quoteExactOut(PoolMath memory p, Side side, uint256 amountOut) external pure returns (SwapQuote memory) {
        return SkewMath.quoteExactOut(p, side, amountOut);
    }

    /// @notice SkewMath.inputForGross.
    function inputForGross(PoolMath memory p, Side side, uint256 g) external pure returns (uint256) {
        return SkewMath.inputForGross(p, side, g);
    }

    /// @notice SkewMath.grossForNet.
    function grossForNet(PoolMath memory p, Side side, uint256 net) external pure returns (uint256) {
        return SkewMath.grossForNet(p, side, net);
    }

    /// @notice SkewMath.feeOfGross.
    function feeOfGross(PoolMath memory p, Side side, uint256 g) external pure returns (uint256) {
        return SkewMath.feeOfGross(p, side, g);
    }

    /// @notice SkewMath.midPrice.
    function midPrice(PoolMath memory p) external pure returns (uint256) {
        return SkewMath.midPrice(p);
    }

    /// @notice SkewMath.imbalance.
    function imbalance(PoolMath memory p) external pure returns (uint256) {
        return SkewMath.imbalance(p);
    }

    /// @notice SkewMath.shortTarget.
    function shortTarget(uint256 reserve, uint256 surplus, uint256 k, bool up) external pure returns (uint256) {
        return SkewMath.shortTarget(reserve, surplus, k, up);
    }

    /// @notice SkewMath.shortTargetWad.
    function shortTargetWad(uint256 reserve, uint256 surplusWad, uint256 k, bool up) external pure returns (uint256) {
        return SkewMath.shortTargetWad(reserve, surplusWad, k, up);
    }

    /// @notice SkewMath.legWadAt.
    function legWadAt(uint256 tWad, uint256 r1, uint256 r2, uint256 k, bool up) external pure returns (uint256) {
        return SkewMath.legWadAt(tWad, r1, r2, k, up);
    }

    /// @notice SkewMath.legWad.
    function legWad(uint256 t, uint256 r1, uint256 r2, uint256 k, bool up) external pure returns (uint256) {
        return SkewMath.legWad(t, r1, r2, k, up);
    }

    /// @notice SkewMath.solveReserve.
    function solveReserve(uint256 t, uint256 r1, uint256 pay, uint256 k, bool falling) external pure returns (uint256) {
        return SkewMath.solveReserve(t, r1, pay, k, falling);
    }

    /// @notice SkewMath.awayRateWad.
    function awayRateWad(uint256 i0, uint256 i1, PoolMath memory p) external pure returns (uint256) {
        return SkewMath.awayRateWad(i0, i1, p);
    }

    /// @notice FullMath.sqrtOfSum.
    function sqrtOfSum(uint256 a, uint256 b, uint256 c, uint256 d, bool up) external pure returns (uint256) {
        return FullMath.sqrtOfSum(a, b, c, d, up);
    }

    /// @notice FullMath.sqrtSquarePlus.
    function sqrtSquarePlus(uint256 b, uint256 c, bool up) external pure returns (uint256) {
        return FullMath.sqrtSquarePlus(b, c, up);
    }
}
