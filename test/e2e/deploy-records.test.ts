import { expect } from "chai";
import { getAddress, keccak256, Wallet } from "ethers";
import type { JsonRpcProvider } from "ethers";
import type { DeploymentRecord } from "../../sdk/deployments";
import { deploy, loadDeployConfig } from "../../scripts/lib/deploy";
import { EMPTY_CODE_HASH } from "../../scripts/lib/deployedCode";
import { freePort, startLocalNode } from "../../scripts/lib/localNode";
import type { LocalNode } from "../../scripts/lib/localNode";
import { providerFor } from "../../scripts/lib/network";

/**
 * Deployment records on a real `hardhat node` that is restarted between deploys: the same
 * deployer redeploys every contract to the same addresses on the fresh chain, the situation in
 * which a cached "no code here" answer used to be recorded as the contract's code hash.
 */
describe("deployment records across node restarts", function () {
  let node: LocalNode | undefined;
  let port: number;

  before(async function () {
    port = await freePort();
  });

  afterEach(async function () {
    await node?.stop();
    node = undefined;
  });

  /** Starts a fresh node on the same port and deploys onto it, reusing `previous` where valid. */
  async function deployOnFreshNode(previous?: DeploymentRecord) {
    await node?.stop();
    node = await startLocalNode({ port });
    const provider = providerFor(node.url);
    const record = await deploy({
      signer: await provider.getSigner(0),
      network: "localhost",
      config: loadDeployConfig("localhost"),
      previous,
    });
    return { provider, record };
  }

  /** Every entry's recorded hash is that of non-empty code now at its address. */
  async function expectLiveCode(provider: JsonRpcProvider, record: DeploymentRecord) {
    const entries = [...Object.entries(record.contracts), ...Object.entries(record.pools)];
    expect(entries.length).to.be.greaterThan(8);
    for (const [name, entry] of entries) {
      const code = await provider.send("eth_getCode", [entry.address, "latest"]);
      expect(code, `${name}: code on chain`).to.not.equal("0x");
      expect(entry.codeHash, `${name}: recorded code hash`).to.not.equal(EMPTY_CODE_HASH);
      expect(entry.codeHash, `${name}: recorded code hash`).to.equal(keccak256(code));
    }
  }

  it("three deploys on three restarted nodes record the code each one deployed", async function () {
    let previous: DeploymentRecord | undefined;
    for (let round = 0; round < 3; round++) {
      const { provider, record } = await deployOnFreshNode(previous);
      await expectLiveCode(provider, record);
      if (previous !== undefined) {
        // a fresh chain: nothing could be reused, everything was deployed again, at the same addresses
        for (const [name, entry] of Object.entries(record.contracts)) {
          expect(entry.address, name).to.equal(previous.contracts[name].address);
          expect(entry.block, name).to.be.greaterThan(0);
        }
      }
      provider.destroy();
      previous = record;
    }
  });

  it("never reuses a record whose code hash is that of empty code", async function () {
    const first = await deployOnFreshNode();
    const nobody = Wallet.createRandom().address; // no code: getCode gives "0x", whose hash is EMPTY_CODE_HASH
    const broken: DeploymentRecord = JSON.parse(JSON.stringify(first.record)) as DeploymentRecord;
    broken.contracts.SkewRouter = { ...broken.contracts.SkewRouter, address: nobody, codeHash: EMPTY_CODE_HASH };
    const again = await deploy({
      signer: await first.provider.getSigner(0),
      network: "localhost",
      config: loadDeployConfig("localhost"),
      previous: broken,
    });
    expect(getAddress(again.contracts.SkewRouter.address)).to.not.equal(getAddress(nobody));
    expect(again.contracts.SkewFactory).to.deep.equal(first.record.contracts.SkewFactory); // still valid: reused
    await expectLiveCode(first.provider, again);
    first.provider.destroy();
  });
});
