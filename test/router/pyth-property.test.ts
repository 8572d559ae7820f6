/**
 * Property: for any sequence of signed prices (moves up to ±12 % against a 5 % breaker, gaps up to 20 min
 * against a 15 min cool-down, a confidence interval now and then past the 1 % bound) and swaps, the SDK's
 * quote with the update either fails with the error the router's swap reverts with, or equals the swap's
 * output to the wei.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { decodeSkewError, SkewError } from "../../sdk/errors";
import { MockPythPriceSource } from "../../sdk/priceSourceMockPyth";
import { fetchOracleUpdates, getPullOracles, quoteExactInWithUpdate } from "../../sdk/pullOracle";
import { getPoolStates } from "../../sdk/state";
import { buildSwapFromQuote, buildSwapExactIn } from "../../sdk/tx";
import { E18, E6, E8, ETH_ID, EXPO, loadPythWorld } from "../helpers/pythWorld";

const RUNS = Math.max(1, Math.floor(Number(process.env.PROPERTY_RUNS ?? 1000) / 20));

const step = fc.record({
  gap: fc.integer({ min: 1, max: 1200 }),
  movePips: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: -30_000, max: 30_000 }) },
    { weight: 1, arbitrary: fc.integer({ min: -120_000, max: 120_000 }) },
  ),
  wideConf: fc.integer({ min: 0, max: 9 }).map((x) => x === 0),
  sellBase: fc.boolean(),
  size: fc.integer({ min: 1, max: 50 }),
});

describe("SDK pull quotes vs the router (property)", function () {
  it(`quote with the update == swap with the update, or the same error (${RUNS} runs)`, async function () {
    let matched = 0;
    let failedAlike = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        const w = await loadPythWorld();
        await w.oracle.setMaxMove(50_000n);
        let price = 3000n * E8;
        for (const s of steps) {
          price = (price * BigInt(1_000_000 + s.movePips)) / 1_000_000n;
          await time.increase(s.gap);
          const source = new MockPythPriceSource({ provider: ethers.provider }).setPrice(ETH_ID, {
            price,
            conf: s.wideConf ? price / 50n : price / 1000n,
            expo: EXPO,
          });
          const states = await getPoolStates([w.a.pullPool], ethers.provider);
          const oracles = await getPullOracles(states, ethers.provider);
          const updates = await fetchOracleUpdates(oracles.values(), source, ethers.provider);
          const ts = states[0].blockTimestamp + 1n;
          const side = s.sellBase ? ("sellBase" as const) : ("sellQuote" as const);
          const amount = s.sellBase ? BigInt(s.size) * E18 : BigInt(s.size) * 3000n * E6;
          const who = s.sellBase ? w.alice : w.carol;
          let quoteError: SkewError | undefined;
          let tx;
          try {
            const q = quoteExactInWithUpdate(states[0], oracles, updates, side, amount, { timestamp: ts });
            const built = buildSwapFromQuote({
              router: w.router,
              quote: q,
              slippageBps: 0,
              recipient: who.address,
              deadline: ts + 60n,
            });
            tx = { built: built.tx, out: q.amountOut };
          } catch (e) {
            quoteError = decodeSkewError(e);
            if (quoteError === undefined) throw e;
          }
          const request =
            tx?.built ??
            buildSwapExactIn({
              router: w.router,
              path: [{ pool: w.a.pullPool, side }],
              amountIn: amount,
              minAmountOut: 0n,
              recipient: who.address,
              deadline: ts + 60n,
              priceUpdates: updates.map((u) => ({ oracle: u.oracle, data: u.update.data, fee: u.fee })),
            });
          const tokenOut = s.sellBase ? w.usdc : w.weth;
          const before = await tokenOut.balanceOf(who.address);
          await time.setNextBlockTimestamp(ts);
          let chainError: SkewError | undefined;
          try {
            await (await who.sendTransaction(request)).wait();
          } catch (e) {
            chainError = decodeSkewError(e);
            if (chainError === undefined) throw e;
          }
          if (quoteError !== undefined || chainError !== undefined) {
            expect(chainError?.errorName, `chain vs quote (${quoteError?.message})`).to.equal(quoteError?.errorName);
            failedAlike++;
            continue;
          }
          expect((await tokenOut.balanceOf(who.address)) - before).to.equal(tx!.out);
          matched++;
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.PROPERTY_SEED ?? 16) },
    );
    console.log(`      swaps equal to their quote: ${matched}; refused alike by quote and chain: ${failedAlike}`);
    expect(matched).to.be.greaterThan(0);
  });
});
