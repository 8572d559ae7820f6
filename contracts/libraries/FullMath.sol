// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Panic} from "@openzeppelin/contracts/utils/Panic.sol";

/// @title FullMath
/// @notice Rounding-directed helpers on top of OpenZeppelin's Math: a square root of the
///         512-bit value b^2 + c, and mulDiv/div with a boolean rounding flag.
/// @dev Mirrored operation for operation by `sdk/fullMath.ts`.
library FullMath {
    /// @notice x * y / d in full precision, rounded up when `up`.
    /// @dev Same results and reverts as OpenZeppelin's `Math.mulDiv(x, y, d, rounding)`, which it calls
    ///      when x * y needs 512 bits; when the product fits 256 bits (nearly always in the pool's math)
    ///      it divides directly: `lo / d` panics on d == 0 like `Math.mulDiv`, and the rounding-up
    ///      increment cannot overflow (lo / d == 2^256 - 1 needs d == 1, which leaves no remainder).
    function mulDiv(uint256 x, uint256 y, uint256 d, bool up) internal pure returns (uint256 r) {
        uint256 lo;
        uint256 hi;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let mm := mulmod(x, y, not(0))
            lo := mul(x, y)
            hi := sub(sub(mm, lo), lt(mm, lo))
        }
        if (hi == 0) {
            r = lo / d; // checked: Panic(0x12) when d == 0
            if (up) {
                // solhint-disable-next-line no-inline-assembly
                assembly ("memory-safe") {
                    r := add(r, gt(mulmod(x, y, d), 0))
                }
            }
            return r;
        }
        return Math.mulDiv(x, y, d, up ? Math.Rounding.Ceil : Math.Rounding.Floor);
    }

    /// @notice x / d, rounded up when `up`.
    function div(uint256 x, uint256 d, bool up) internal pure returns (uint256) {
        return up ? Math.ceilDiv(x, d) : x / d;
    }

    /// @notice Integer square root, rounded up when `up`.
    function sqrt(uint256 x, bool up) internal pure returns (uint256) {
        return Math.sqrt(x, up ? Math.Rounding.Ceil : Math.Rounding.Floor);
    }

    /// @notice sqrt(b^2 + c) where b^2 + c may exceed 2^256.
    function sqrtSquarePlus(uint256 b, uint256 c, bool up) internal pure returns (uint256) {
        return sqrtOfSum(b, b, c, 1, up);
    }

    /// @notice sqrt(a * b + c * d), the products and their sum taken in 512 bits.
    /// @dev Exact (correctly rounded) below 2^256. Above, the 512-bit value is shifted right by
    ///      an even number of bits so it fits 256 bits and the root of that is shifted back:
    ///      the floor result never exceeds the true root and the ceil result is never below it
    ///      (relative error under 2^-127). Panics when the sum reaches 2^512.
    function sqrtOfSum(uint256 a, uint256 b, uint256 c, uint256 d, bool up) internal pure returns (uint256) {
        (uint256 hi, uint256 lo) = Math.mul512(a, b);
        (uint256 hi2, uint256 lo2) = Math.mul512(c, d);
        uint256 carry;
        unchecked {
            uint256 sum = lo + lo2;
            if (sum < lo) carry = 1;
            lo = sum;
        }
        hi = hi + hi2 + carry; // checked: the sum must stay below 2^512
        if (hi == 0) return sqrt(lo, up);
        uint256 shift = Math.log2(hi) + 1;
        if (shift % 2 == 1) ++shift;
        uint256 half = shift / 2;
        uint256 r = Math.sqrt((hi << (256 - shift)) | (lo >> shift));
        if (up) ++r;
        if (r >> (256 - half) != 0) {
            // The rounded-up root reached 2^256 (b near 2^256): the largest uint256 is a valid
            // ceiling if its square is not below b^2 + c; otherwise none is, so revert like
            // checked arithmetic.
            (uint256 mhi, uint256 mlo) = Math.mul512(type(uint256).max, type(uint256).max);
            if (mhi > hi || (mhi == hi && mlo >= lo)) return type(uint256).max;
            Panic.panic(Panic.UNDER_OVERFLOW);
        }
        return r << half;
    }
}
