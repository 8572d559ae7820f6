/**
 * A real browser for the app tests: Debian's `chromium` (installed with apt when missing; no
 * browser is ever downloaded) driven by playwright-core, with an EIP-1193 wallet injected into
 * every page that forwards requests to a Hardhat node and answers for one of its unlocked accounts.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import type { BrowserContext } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** The launch flags: headless, no sandbox (root), nothing that calls home. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Installs Debian's chromium when it is not there yet (`apt-get update` once, then install). */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  console.log("      installing Debian's chromium (apt-get)…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update"], { stdio: "ignore", env });
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], { stdio: "ignore", env });
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is missing`);
  return CHROMIUM;
}

/** A browser with a fresh profile; `close()` also deletes the profile. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), "skew-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: ensureChromium(),
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

interface RpcAnswer {
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/**
 * Injects `window.ethereum` into every page of `context`: account requests answer `account`,
 * everything else (transactions, typed-data signatures, reads) goes to the node at `nodeUrl`,
 * which signs for its unlocked accounts. Errors keep their JSON-RPC code, message and data.
 */
export async function injectWallet(context: BrowserContext, nodeUrl: string, account: string): Promise<void> {
  await context.exposeFunction("__skewWalletRpc", async (method: string, params: unknown[]): Promise<RpcAnswer> => {
    if (method === "eth_requestAccounts" || method === "eth_accounts") return { result: [account] };
    const res = await fetch(nodeUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: params ?? [] }),
    });
    return (await res.json()) as RpcAnswer;
  });
  await context.addInitScript(() => {
    type Call = (method: string, params: unknown[]) => Promise<RpcAnswer>;
    const call = (window as unknown as { __skewWalletRpc: Call }).__skewWalletRpc;
    const ethereum = {
      isSkewTestWallet: true,
      async request(args: { method: string; params?: unknown[] }): Promise<unknown> {
        const answer = await call(args.method, args.params ?? []);
        if (answer.error !== undefined) {
          const err = new Error(answer.error.message) as Error & { code: number; data?: unknown };
          err.code = answer.error.code;
          err.data = answer.error.data;
          throw err;
        }
        return answer.result;
      },
      on() {},
      removeListener() {},
    };
    (window as unknown as { ethereum: unknown }).ethereum = ethereum;
  });
}
