/**
 * The app shell: loads the configuration, the deployment and every pool's state (one
 * `getPoolStates` call, refreshed every few seconds), holds the wallet, and switches pages by
 * the URL's hash (#pools, #swap, #liquidity, #history).
 */
import { useCallback, useEffect, useState } from "react";
import { getPoolStates } from "@skew/sdk";
import type { PoolSnapshot } from "@skew/sdk";
import { connectWallet, injectedWallet, loadChain } from "./chain";
import type { Chain, Wallet } from "./chain";
import { loadConfig } from "./config";
import { Notice } from "./components/Notice";
import { History } from "./pages/History";
import { Liquidity } from "./pages/Liquidity";
import { Pools } from "./pages/Pools";
import { Swap } from "./pages/Swap";

const PAGES = ["pools", "swap", "liquidity", "history"] as const;
type Page = (typeof PAGES)[number];
const REFRESH_MS = 4000;

function pageFromHash(): Page {
  const h = window.location.hash.replace(/^#\/?/, "").split("?")[0];
  return (PAGES as readonly string[]).includes(h) ? (h as Page) : "pools";
}

/** What every page gets. */
export interface PageProps {
  chain: Chain;
  states: Map<string, PoolSnapshot>;
  wallet: Wallet | null;
  refresh: () => Promise<void>;
}

export function App() {
  const [chain, setChain] = useState<Chain | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [states, setStates] = useState<Map<string, PoolSnapshot>>(new Map());
  const [wallet, setWallet] = useState<Wallet | null>(null);
  const [walletError, setWalletError] = useState<string | null>(null);
  const [page, setPage] = useState<Page>(pageFromHash());
  const [updated, setUpdated] = useState<Date | null>(null);

  useEffect(() => {
    loadConfig()
      .then(loadChain)
      .then(setChain)
      .catch((e: unknown) => setError((e as Error).message));
    const onHash = () => setPage(pageFromHash());
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  const refresh = useCallback(async () => {
    if (chain === null) return;
    try {
      const list = await getPoolStates(
        chain.pools.map((p) => p.address),
        chain.provider,
      );
      setStates(new Map(list.map((s) => [s.address, s])));
      setUpdated(new Date());
      setError(null);
    } catch (e) {
      setError(`cannot read the pools from ${chain.config.rpc}: ${(e as Error).message}`);
    }
  }, [chain]);

  useEffect(() => {
    if (chain === null) return;
    void refresh();
    const t = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(t);
  }, [chain, refresh]);

  // A wallet that switches account or chain drops the connection; connecting again picks up the new one.
  useEffect(() => {
    const w = injectedWallet() as
      | { on?: (e: string, f: () => void) => void; removeListener?: (e: string, f: () => void) => void }
      | undefined;
    if (w?.on === undefined) return;
    const drop = () => setWallet(null);
    w.on("accountsChanged", drop);
    w.on("chainChanged", drop);
    return () => {
      w.removeListener?.("accountsChanged", drop);
      w.removeListener?.("chainChanged", drop);
    };
  }, []);

  const connect = async () => {
    try {
      setWalletError(null);
      setWallet(await connectWallet());
    } catch (e) {
      setWalletError((e as Error).message);
    }
  };

  const ready = chain !== null && states.size > 0;
  const wrongChain = wallet !== null && chain !== null && wallet.chainId !== chain.deployment.chainId;
  return (
    <div className="app">
      <header>
        <div className="brand">
          <span className="logo" aria-hidden="true" /> Skew
        </div>
        <nav>
          {PAGES.map((p) => (
            <a key={p} href={`#${p}`} className={p === page ? "active" : ""} data-testid={`nav-${p}`}>
              {p[0].toUpperCase() + p.slice(1)}
            </a>
          ))}
        </nav>
        <div className="wallet">
          {wallet !== null ? (
            <span className="account" data-testid="account" title={wallet.account}>
              {wallet.account.slice(0, 6)}…{wallet.account.slice(-4)}
            </span>
          ) : (
            <button onClick={() => void connect()} data-testid="connect">
              Connect wallet
            </button>
          )}
        </div>
      </header>
      <main>
        {error !== null && (
          <Notice tone="error" title="Cannot load" testId="load-error">
            {error}
          </Notice>
        )}
        {walletError !== null && (
          <Notice tone="warn" title="Wallet">
            {walletError}
          </Notice>
        )}
        {wrongChain && (
          <Notice tone="warn" title="Wrong network">
            Your wallet is on chain {wallet?.chainId}; this deployment is on chain {chain?.deployment.chainId}.
          </Notice>
        )}
        {!ready && error === null && <p className="muted">Loading pools…</p>}
        {ready && page === "pools" && <Pools chain={chain} states={states} wallet={wallet} refresh={refresh} />}
        {ready && page === "swap" && <Swap chain={chain} states={states} wallet={wallet} refresh={refresh} />}
        {ready && page === "liquidity" && <Liquidity chain={chain} states={states} wallet={wallet} refresh={refresh} />}
        {ready && page === "history" && <History chain={chain} states={states} wallet={wallet} refresh={refresh} />}
      </main>
      <footer className="muted">
        {chain !== null && (
          <>
            {chain.deployment.network} (chain {chain.deployment.chainId}) via {chain.config.rpc}
            {updated !== null && <> · updated {updated.toLocaleTimeString()}</>}
          </>
        )}
      </footer>
    </div>
  );
}
