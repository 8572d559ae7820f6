/**
 * Where the app reads from: a JSON-RPC endpoint and a deployment record (a static JSON file).
 * Defaults come from `./config.json` next to the app when it is served with one; `?rpc=` and
 * `?deployment=` in the page's URL override them.
 */
export interface AppConfig {
  /** JSON-RPC endpoint used for every read (writes go through the wallet). */
  rpc: string;
  /** URL of a deployment record (`deployments/<network>.json`). */
  deployment: string;
}

const DEFAULTS: AppConfig = { rpc: "http://127.0.0.1:8545", deployment: "./deployments/localhost.json" };

/** Loads the configuration: defaults, then `config.json` (optional), then the query string. */
export async function loadConfig(search: string = window.location.search): Promise<AppConfig> {
  let fromFile: Partial<AppConfig> = {};
  try {
    const res = await fetch("./config.json", { cache: "no-store" });
    if (res.ok) fromFile = (await res.json()) as Partial<AppConfig>;
  } catch {
    // No config.json: the defaults apply.
  }
  const q = new URLSearchParams(search);
  return {
    rpc: q.get("rpc") ?? fromFile.rpc ?? DEFAULTS.rpc,
    deployment: q.get("deployment") ?? fromFile.deployment ?? DEFAULTS.deployment,
  };
}
