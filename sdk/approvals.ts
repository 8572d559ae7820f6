/**
 * How a client lets the router move a token: nothing when the allowance already covers the
 * amount; otherwise, by the {@link ApprovalMode}, an EIP-2612 permit signature (no transaction),
 * an approval of the exact amount or of an unlimited amount, or an {@link AllowanceError}.
 */
import { Contract, getAddress, MaxUint256 } from "ethers";
import type { Provider } from "ethers";
import { AllowanceError, PermitUnsupportedError } from "./errors";
import { buildApprove } from "./tx";
import type { TxRequest } from "./tx";

/**
 * - `"auto"` (default): a permit where the token supports EIP-2612, else an exact approval;
 * - `"permit"`: always a permit ({@link PermitUnsupportedError} if the token has none);
 * - `"exact"`: an approval of exactly the amount;
 * - `"unlimited"`: an approval of 2^256-1, so later actions need none;
 * - `"none"`: never approve or sign; an allowance short of the amount is an {@link AllowanceError}.
 */
export type ApprovalMode = "auto" | "permit" | "exact" | "unlimited" | "none";

/** What to do for one token before an action. */
export type ApprovalStep = { kind: "none" } | { kind: "permit" } | { kind: "approve"; tx: TxRequest; amount: bigint };

const PERMIT_PROBE_ABI = [
  "function allowance(address owner, address spender) view returns (uint256)",
  "function nonces(address owner) view returns (uint256)",
  "function DOMAIN_SEPARATOR() view returns (bytes32)",
];

/** Whether `token` implements EIP-2612 (`nonces(owner)` and `DOMAIN_SEPARATOR()` both answer). */
export async function supportsPermit(provider: Provider, token: string, owner: string): Promise<boolean> {
  const erc20 = new Contract(token, PERMIT_PROBE_ABI, provider);
  try {
    await Promise.all([
      erc20.getFunction("nonces").staticCall(owner),
      erc20.getFunction("DOMAIN_SEPARATOR").staticCall(),
    ]);
    return true;
  } catch {
    return false;
  }
}

/** `owner`'s allowance of `token` for `spender`. */
export async function allowanceOf(provider: Provider, token: string, owner: string, spender: string): Promise<bigint> {
  const erc20 = new Contract(token, PERMIT_PROBE_ABI, provider);
  return (await erc20.getFunction("allowance").staticCall(owner, spender)) as bigint;
}

/**
 * Decides how `spender` gets to move `amount` of `token` from `owner`.
 * @param permitSupport Whether the token supports EIP-2612 (asked only when the mode needs it).
 */
export async function planApproval(args: {
  provider: Provider;
  token: string;
  owner: string;
  spender: string;
  amount: bigint;
  mode: ApprovalMode;
  permitSupport: () => Promise<boolean>;
}): Promise<ApprovalStep> {
  const { provider, token, owner, spender, amount, mode } = args;
  if (mode === "permit") {
    if (!(await args.permitSupport())) throw new PermitUnsupportedError(getAddress(token));
    return { kind: "permit" };
  }
  const allowance = await allowanceOf(provider, token, owner, spender);
  if (allowance >= amount) return { kind: "none" };
  if (mode === "none") throw new AllowanceError(getAddress(token), allowance, amount);
  if (mode === "auto" && (await args.permitSupport())) return { kind: "permit" };
  const approved = mode === "unlimited" ? MaxUint256 : amount;
  return { kind: "approve", tx: buildApprove(token, spender, approved), amount: approved };
}
