import { expect } from "chai";
import fc from "fast-check";
import { Network, Transaction, Wallet } from "ethers";
import type { Provider } from "ethers";
import { bumpFee, NonceManager } from "../../keeper/nonce";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
const KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const POOLS = ["0x00000000000000000000000000000000000000a1", "0x00000000000000000000000000000000000000a2"];
const GWEI = 10n ** 9n;

/**
 * A node in memory: a mempool by nonce (a replacement needs +10 % on both fees, as geth and Hardhat
 * require), mining in nonce order, dropping, and broadcasts that fail on demand.
 */
class FakeNode {
  mined = 0;
  readonly pool = new Map<number, Transaction>();
  readonly receipts = new Map<string, { hash: string; status: number; blockNumber: number }>();
  failNextBroadcast = false;

  async getNetwork(): Promise<Network> {
    return Network.from(31337);
  }

  async getTransactionCount(_address: string, tag: string): Promise<number> {
    if (tag === "latest") return this.mined;
    let n = this.mined;
    while (this.pool.has(n)) n++;
    return n;
  }

  async getTransactionReceipt(hash: string): Promise<unknown> {
    return this.receipts.get(hash) ?? null;
  }

  async broadcastTransaction(raw: string): Promise<unknown> {
    if (this.failNextBroadcast) {
      this.failNextBroadcast = false;
      throw Object.assign(new Error("connection reset"), { code: "NETWORK_ERROR" });
    }
    const tx = Transaction.from(raw);
    if (tx.nonce < this.mined) throw Object.assign(new Error("nonce too low"), { code: "NONCE_EXPIRED" });
    const old = this.pool.get(tx.nonce);
    if (old?.hash === tx.hash) throw new Error("already known");
    if (
      old !== undefined &&
      ((tx.maxFeePerGas ?? 0n) * 10n < (old.maxFeePerGas ?? 0n) * 11n ||
        (tx.maxPriorityFeePerGas ?? 0n) * 10n < (old.maxPriorityFeePerGas ?? 0n) * 11n)
    ) {
      throw new Error("replacement transaction underpriced");
    }
    this.pool.set(tx.nonce, tx);
    return { hash: tx.hash };
  }

  async send(): Promise<unknown> {
    return null; // no pending block
  }

  /** Mines the next nonce if it is in the mempool. */
  mine(): void {
    const tx = this.pool.get(this.mined);
    if (tx === undefined || tx.hash === null) return;
    this.pool.delete(this.mined);
    this.receipts.set(tx.hash, { hash: tx.hash, status: 1, blockNumber: this.mined });
    this.mined++;
  }

  /** Forgets a pending transaction (as `hardhat_dropTransaction` does). */
  drop(nonce: number): void {
    this.pool.delete(nonce);
  }
}

type Op =
  | { op: "send"; pool: number }
  | { op: "mine" }
  | { op: "drop"; nonce: number }
  | { op: "wait" }
  | { op: "failNext" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("send" as const), pool: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ op: fc.constant("mine" as const) }),
  fc.record({ op: fc.constant("drop" as const), nonce: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ op: fc.constant("wait" as const) }),
  fc.record({ op: fc.constant("failNext" as const) }),
);

/** The nonce manager against an in-memory node. */
describe("keeper fleet: nonce manager", function () {
  it("bumps a fee by at least the percentage, rounding up, and always by at least 1 wei", function () {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.double({ min: 10, max: 200, noNaN: true }), (x, p) => {
        const y = bumpFee(x, p);
        const permille = BigInt(Math.round(p * 10));
        expect(y * 1000n).to.be.at.least(x * (1000n + permille));
        expect(y).to.be.greaterThan(x);
      }),
      { numRuns: RUNS },
    );
  });

  it("never gives one nonce to two different calls, replaces only the same call, and stays under the cap", async function () {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), async (ops) => {
        const node = new FakeNode();
        let now = 0;
        const cap = 100n * GWEI;
        const nonces = new NonceManager(new Wallet(KEY, node as unknown as Provider), node as unknown as Provider, {
          bumpAfterMs: 1_000,
          maxFeePerGasCap: cap,
          now: () => now,
        });
        const signed: Transaction[] = [];
        const origBroadcast = node.broadcastTransaction.bind(node);
        node.broadcastTransaction = async (raw: string) => {
          signed.push(Transaction.from(raw));
          return origBroadcast(raw);
        };
        await nonces.sync();
        const sentNonces: number[] = [];
        let counter = 0;
        for (const o of ops) {
          if (o.op === "send") {
            if (nonces.pendingFor(POOLS[o.pool]) !== undefined) continue; // the runner's rule
            const data = `0x${(++counter).toString(16).padStart(8, "0")}`;
            const { tx } = await nonces.send(
              POOLS[o.pool],
              { to: POOLS[o.pool], data, gasLimit: 100_000n },
              { maxFeePerGas: 30n * GWEI, maxPriorityFeePerGas: GWEI },
            );
            sentNonces.push(tx.nonce);
          } else if (o.op === "mine") node.mine();
          else if (o.op === "drop") node.drop(o.nonce);
          else if (o.op === "failNext") node.failNextBroadcast = true;
          else {
            now += 1_000;
            await nonces.bump({ maxFeePerGas: 30n * GWEI, maxPriorityFeePerGas: GWEI });
          }
          await nonces.sync();
        }
        // Every new send took a fresh nonce, in order.
        for (let i = 1; i < sentNonces.length; i++) expect(sentNonces[i]).to.equal(sentNonces[i - 1] + 1);
        // Whatever was signed for one nonce is one call; fees never above the cap.
        const callOf = new Map<number, string>();
        for (const t of signed) {
          const call = `${t.to}:${t.data}`;
          expect(callOf.get(t.nonce) ?? call, `nonce ${t.nonce}`).to.equal(call);
          callOf.set(t.nonce, call);
          expect(t.maxFeePerGas ?? 0n).to.be.at.most(cap);
        }
        // Mined nonces are settled; what is pending is exactly what is tracked.
        for (const t of nonces.pending()) expect(t.nonce).to.be.at.least(node.mined);
      }),
      { numRuns: Math.min(RUNS, 100) },
    );
  });
});
