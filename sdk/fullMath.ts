/**
 * uint256 arithmetic that mirrors the Solidity side operation for operation, so the SDK's
 * quotes equal the contracts' to the wei: the same rounding, and a throw wherever the EVM
 * would revert (overflow, division by zero).
 */

export const MAX_UINT256 = (1n << 256n) - 1n;

/** Thrown where the Solidity code would revert with a panic (overflow or division by zero). */
export class MathOverflowError extends Error {
  constructor(what: string) {
    super(`uint256 ${what}`);
    this.name = "MathOverflowError";
  }
}

/** Checks that a value fits a uint256, as checked Solidity arithmetic does. */
export function u256(x: bigint): bigint {
  if (x < 0n) throw new MathOverflowError("underflow");
  if (x > MAX_UINT256) throw new MathOverflowError("overflow");
  return x;
}

/** `Math.mulDiv(x, y, d, rounding)` from OpenZeppelin: full-precision x * y / d. */
export function mulDiv(x: bigint, y: bigint, d: bigint, up = false): bigint {
  if (d === 0n) throw new MathOverflowError("division by zero");
  const p = x * y;
  let q = p / d;
  if (up && q * d !== p) q += 1n;
  return u256(q);
}

/** `Math.ceilDiv` / plain division with a rounding direction. */
export function div(x: bigint, d: bigint, up = false): bigint {
  if (d === 0n) throw new MathOverflowError("division by zero");
  let q = x / d;
  if (up && q * d !== x) q += 1n;
  return q;
}

/** Integer square root of a uint256, rounded down or up (`Math.sqrt(x, rounding)`). */
export function sqrt(x: bigint, up = false): bigint {
  if (x < 2n) return x;
  // Newton's method from an over-estimate converges to floor(sqrt(x)).
  let r = 1n << BigInt((x.toString(2).length + 1) >> 1);
  for (;;) {
    const next = (r + x / r) >> 1n;
    if (next >= r) break;
    r = next;
  }
  if (up && r * r < x) r += 1n;
  return r;
}

/** sqrt(b^2 + c) for uint256 b and c, as `FullMath.sqrtSquarePlus` does it. */
export function sqrtSquarePlus(b: bigint, c: bigint, up = false): bigint {
  return sqrtOfSum(b, b, c, 1n, up);
}

/**
 * sqrt(a * b + c * d) for uint256 a, b, c, d, as `FullMath.sqrtOfSum` does it: exact below
 * 2^256; above, the value is shifted right by an even number of bits so it fits 256 bits,
 * and the root of the shifted value is shifted back: the floor result never exceeds the true
 * root and the ceil result is never below it (relative error below 2^-127). Throws where the
 * contract panics: a sum of 2^512 or more.
 */
export function sqrtOfSum(a: bigint, b: bigint, c: bigint, d: bigint, up = false): bigint {
  const x = u256(a) * u256(b) + u256(c) * u256(d);
  if (x >> 512n !== 0n) throw new MathOverflowError("overflow");
  if (x <= MAX_UINT256) return sqrt(x, up);
  const hi = x >> 256n;
  let shift = BigInt(hi.toString(2).length);
  if (shift % 2n === 1n) shift += 1n;
  const r = sqrt(x >> shift) + (up ? 1n : 0n);
  if (r >> (256n - shift / 2n) !== 0n) {
    // The rounded-up root reached 2^256: the largest uint256 is a ceiling if its square covers x,
    // otherwise no uint256 is (Solidity reverts).
    if (MAX_UINT256 * MAX_UINT256 >= x) return MAX_UINT256;
    throw new MathOverflowError("overflow");
  }
  return r << (shift / 2n);
}
