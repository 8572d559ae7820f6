import { expect } from "chai";
import { artifacts } from "hardhat";

/** EIP-170: the largest runtime code a contract may have. */
const EIP170_LIMIT = 24_576;
/** EIP-3860: the largest creation code a transaction may carry. */
const EIP3860_LIMIT = 49_152;

/**
 * The contracts fit on chain. Its own folder so that `npm run coverage`, whose instrumented
 * code is larger by design, leaves it out (see the coverage script in package.json).
 */
describe("contract sizes", function () {
  it("keeps the factory, the pool, its libraries and the router under the EIP-170 limit", async function () {
    for (const name of ["SkewFactory", "SkewPool", "SwapLogic", "LiquidityLogic", "AdminLogic", "SkewRouter"]) {
      const { deployedBytecode } = await artifacts.readArtifact(name);
      expect((deployedBytecode.length - 2) / 2, name).to.be.lte(EIP170_LIMIT);
    }
  });

  it("keeps the factory's creation code (which stores the pool's) under the EIP-3860 limit", async function () {
    const { bytecode } = await artifacts.readArtifact("SkewFactory");
    expect((bytecode.length - 2) / 2).to.be.lte(EIP3860_LIMIT);
  });
});
