/**
 * Typed SDK errors in words a trader or LP understands, with what to do about them.
 */
import {
  DeadlineExpiredError,
  ExactOutUnreachableError,
  IncompleteOracleRoundError,
  InsufficientLiquidityError,
  InsufficientSharesError,
  InvalidOraclePriceError,
  OracleUpdateInFutureError,
  PausedError,
  SlippageError,
  StaleOracleError,
  ZeroAmountError,
  ZeroSharesError,
  decodeSkewError,
  SkewError,
} from "@skew/sdk";

/** A message for the user: a short title and a sentence. */
export interface Explained {
  kind: "stale" | "paused" | "slippage" | "deadline" | "oracle" | "liquidity" | "amount" | "rejected" | "other";
  title: string;
  detail: string;
}

/** Explains any error thrown by a quote, a transaction or the wallet. */
export function explain(e: unknown): Explained {
  const err = e instanceof SkewError ? e : (decodeSkewError(e) ?? e);
  if (err instanceof StaleOracleError)
    return {
      kind: "stale",
      title: "The price feed is stale",
      detail:
        "The oracle has not updated within the pool's maximum age, so swaps are stopped to protect you and the LPs. Withdrawals still work. Try again once the feed updates.",
    };
  if (
    err instanceof IncompleteOracleRoundError ||
    err instanceof InvalidOraclePriceError ||
    err instanceof OracleUpdateInFutureError
  )
    return {
      kind: "oracle",
      title: "The price feed is unusable",
      detail:
        "The oracle's latest round is incomplete, non-positive or dated in the future, so swaps are stopped. Withdrawals still work.",
    };
  if (err instanceof PausedError)
    return {
      kind: "paused",
      title: "The pool is paused",
      detail: "The guardian has paused swaps and deposits. Withdrawals always work.",
    };
  if (err instanceof InsufficientSharesError)
    return {
      kind: "slippage",
      title: "The pool moved before your deposit",
      detail:
        "You would have received fewer shares than your slippage tolerance allows. Nothing was spent; refresh the quote or raise the tolerance.",
    };
  if (err instanceof SlippageError)
    return {
      kind: "slippage",
      title: "The price moved past your tolerance",
      detail:
        "Another trade or a feed update changed the price before yours was mined. Nothing was spent; refresh the quote or raise the slippage tolerance.",
    };
  if (err instanceof DeadlineExpiredError)
    return {
      kind: "deadline",
      title: "The transaction expired",
      detail: "It was mined after its deadline, so it did nothing. Send it again.",
    };
  if (err instanceof InsufficientLiquidityError || err instanceof ExactOutUnreachableError)
    return {
      kind: "liquidity",
      title: "Not enough liquidity",
      detail: "The pool cannot fill this amount. Try a smaller one.",
    };
  if (err instanceof ZeroAmountError || err instanceof ZeroSharesError)
    return { kind: "amount", title: "Amount too small", detail: "Enter a larger amount." };
  const message = err instanceof Error ? err.message : String(err);
  if (/user rejected|ACTION_REJECTED|4001/i.test(message))
    return { kind: "rejected", title: "Rejected in the wallet", detail: "Nothing was sent." };
  return { kind: "other", title: "Something went wrong", detail: message.slice(0, 300) };
}
