/**
 * The keeper's structured logger: pino, one JSON object per line.
 *
 * Every value is made JSON-safe before pino serialises it: bigints (WAD parameters, wei amounts) become
 * decimal strings, so no consumer silently loses precision by parsing them as doubles, and errors
 * become `{ name, message, code, ... }`. Lines carry `time` in ISO-8601 and `level` as a label
 * ("info", "warn", ...) so they read well in `jq` and in log shippers alike.
 */
import pino from "pino";
import type { DestinationStream, Logger } from "pino";

export type { Logger } from "pino";

/** Log levels pino knows, from the most verbose. */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Minimum level written (default "info"). */
  level?: LogLevel;
  /** Where lines go (default: stdout, synchronously). Tests pass an in-memory stream. */
  destination?: DestinationStream;
  /** Fields added to every line (default: `{ service: "skew-keeper" }`). */
  base?: Record<string, unknown>;
}

/** Whether `s` names a pino level. */
export function isLogLevel(s: string): s is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(s);
}

/**
 * A JSON-safe deep copy of `value`: bigints as decimal strings, errors as plain objects (name,
 * message, ethers' `code`/`shortMessage`/`reason`, and their cause), Maps and Sets as objects and
 * arrays. Cycles are cut ("[Circular]") and depth is bounded, so a log call can never throw.
 */
export function toJsonSafe(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") {
    return typeof value === "function" || typeof value === "symbol" ? String(value) : value;
  }
  if (seen.has(value)) return "[Circular]";
  if (depth > 8) return "[Truncated]";
  seen.add(value);
  try {
    if (value instanceof Error) return errorToJson(value, depth, seen);
    if (Array.isArray(value)) return value.map((v) => toJsonSafe(v, depth + 1, seen));
    if (value instanceof Map) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of value) out[String(k)] = toJsonSafe(v, depth + 1, seen);
      return out;
    }
    if (value instanceof Set) return [...value].map((v) => toJsonSafe(v, depth + 1, seen));
    if (value instanceof Date) return value.toISOString();
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJsonSafe(v, depth + 1, seen);
    return out;
  } finally {
    seen.delete(value);
  }
}

/**
 * The loggable part of an error: name, message, ethers' `code`, `shortMessage`, `reason` and decoded
 * revert, the cause, and the stack of errors without a string code (likely bugs).
 */
function errorToJson(err: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = { name: err.name, message: err.message };
  const extra = err as Error & Record<string, unknown>;
  for (const key of ["code", "shortMessage", "reason", "action", "errorName", "errorArgs", "timeout"]) {
    if (extra[key] !== undefined) out[key] = toJsonSafe(extra[key], depth + 1, seen);
  }
  if (err.cause !== undefined) out.cause = toJsonSafe(err.cause, depth + 1, seen);
  // A plain Error (no ethers or Node `code`) is most likely a bug: keep where it came from.
  if (typeof extra.code !== "string" && err.stack !== undefined) out.stack = err.stack;
  return out;
}

/** Creates the keeper's JSON logger (see the module doc). */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: options.base ?? { service: "skew-keeper" },
      timestamp: pino.stdTimeFunctions.isoTime,
      // `formatters.log` below already made errors JSON-safe; pino's default `err` serializer would
      // re-wrap that plain object (adding an empty stack and "type": "Object").
      serializers: { err: (value: unknown) => value },
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => toJsonSafe(object) as Record<string, unknown>,
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** A logger that writes nothing (for library use and quiet tests). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
