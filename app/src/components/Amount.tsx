/** A token amount: rounded for reading, the exact raw value in its tooltip and `data-exact`. */
import { fmt, fmtRaw, whole } from "../figures";

export function Amount(props: { raw: bigint; decimals: number; symbol?: string; testId?: string }) {
  const exact = fmtRaw(props.raw, props.decimals);
  const x = whole(props.raw, props.decimals);
  const shown = Math.abs(x) > 0 && Math.abs(x) < 1e-6 ? exact : fmt(x, Math.abs(x) >= 1000 ? 2 : 6);
  return (
    <span className="amount" title={exact} data-exact={exact} data-testid={props.testId}>
      {shown}
      {props.symbol !== undefined && <> {props.symbol}</>}
    </span>
  );
}
