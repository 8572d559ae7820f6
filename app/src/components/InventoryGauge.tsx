/**
 * The signed inventory gauge: a bar from the centre (on target), left when the pool is short
 * base, right when it is long, with the surge threshold `tau` marked on both sides.
 */
import { fmt } from "../figures";

export function InventoryGauge(props: { signed: number; tau: number; base: string }) {
  const { signed, tau, base } = props;
  const scale = Math.max(tau * 1.5, Math.abs(signed) * 1.1, 0.01);
  const pct = (x: number) => Math.min(50, (Math.abs(x) / scale) * 50);
  const width = pct(signed);
  const past = Math.abs(signed) > tau;
  const label =
    signed === 0
      ? `on target`
      : `${signed > 0 ? "long" : "short"} ${base} ${fmt(Math.abs(signed) * 100, 2)} % of target value`;
  return (
    <div
      className="gauge"
      title="Signed inventory: how far the pool sits from its target, as a share of its target value"
      data-testid="inventory"
    >
      <div className="gauge-track">
        <div className="gauge-tau" style={{ left: `${50 - pct(tau)}%` }} />
        <div className="gauge-tau" style={{ left: `${50 + pct(tau)}%` }} />
        <div className="gauge-zero" />
        <div
          className={`gauge-bar ${signed >= 0 ? "long" : "short"} ${past ? "past" : ""}`}
          style={signed >= 0 ? { left: "50%", width: `${width}%` } : { left: `${50 - width}%`, width: `${width}%` }}
        />
      </div>
      <div className="gauge-legend">
        <span>short {base}</span>
        <span className={past ? "warn" : ""} data-testid="inventory-label">
          {label}
        </span>
        <span>long {base}</span>
      </div>
    </div>
  );
}
