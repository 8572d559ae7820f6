/**
 * Command-line argument parsers for the demo, the market driver and the app launcher: each
 * refuses a bad value with a clear message (commander prints it and exits with code 1).
 */
import { InvalidArgumentError } from "commander";

/** A whole number in [min, max]. */
export function intArg(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value: string) => {
    if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected a whole number, got "${value}".`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got ${n}.`);
    return n;
  };
}

/** A finite number in [min, max]. */
export function numArg(min: number, max = Number.MAX_VALUE): (value: string) => number {
  return (value: string) => {
    const n = Number(value.trim());
    if (value.trim() === "" || !Number.isFinite(n))
      throw new InvalidArgumentError(`expected a number, got "${value}".`);
    if (n < min || n > max) throw new InvalidArgumentError(`expected a number from ${min} to ${max}, got ${n}.`);
    return n;
  };
}

/** One of a fixed set of words. */
export function choiceArg<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value: string) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`expected one of ${choices.join(", ")}, got "${value}".`);
    }
    return value as T;
  };
}
