/** A labelled drop-down of named things (pools, tokens), keyed by address. */
export function Choice(props: {
  label: string;
  value: string;
  options: readonly { address: string; name: string }[];
  onChange: (address: string) => void;
  testId: string;
  inline?: boolean;
}) {
  return (
    <label className={props.inline === true ? "inline" : undefined}>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId}>
        {props.options.map((o) => (
          <option key={o.address} value={o.address}>
            {o.name}
          </option>
        ))}
      </select>
    </label>
  );
}
