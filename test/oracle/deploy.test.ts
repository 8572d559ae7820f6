import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deploy, loadDeployConfig, poolMaxAge } from "../../scripts/lib/deploy";
import type { DeployConfig, FeedConfig, OracleDeployConfig, PoolDeployConfig } from "../../scripts/lib/deploy";
import type { DeploymentRecord } from "../../sdk/deployments";
import { getPoolState } from "../../sdk/state";
import { quoteExactIn } from "../../sdk/quote";

const ORACLE: OracleDeployConfig = {
  maxMovePips: 10_000,
  coolDown: 900,
  maxAgeMargin: 600,
  minAnswer: "0.00000001",
  maxAnswer: "1000000000",
};
const pool = (oracleMaxAge?: number) => ({ name: "P", oracleMaxAge }) as PoolDeployConfig;
const feed = (heartbeat?: number): FeedConfig => ({ heartbeat });

describe("deploy: a Skew oracle per feed, max age from the heartbeat", function () {
  describe("poolMaxAge", function () {
    it("defaults to the feed's heartbeat plus the margin", function () {
      expect(poolMaxAge(pool(), feed(3600), ORACLE)).to.equal(4200);
    });

    it("accepts a configured max age up to heartbeat + margin and refuses one above unless forced", function () {
      expect(poolMaxAge(pool(4200), feed(3600), ORACLE)).to.equal(4200);
      expect(poolMaxAge(pool(60), feed(3600), ORACLE)).to.equal(60);
      expect(() => poolMaxAge(pool(4201), feed(3600), ORACLE)).to.throw(/exceeds its feed's heartbeat 3600 s/);
      expect(() => poolMaxAge(pool(86_400), feed(3600), ORACLE)).to.throw(/--force-max-age/);
      expect(poolMaxAge(pool(86_400), feed(3600), ORACLE, true)).to.equal(86_400);
    });

    it("without a heartbeat, the pool must give its max age (and it is taken as is)", function () {
      expect(() => poolMaxAge(pool(), feed(), ORACLE)).to.throw(/give oracleMaxAge, or a heartbeat/);
      expect(poolMaxAge(pool(86_400), feed(), undefined)).to.equal(86_400);
    });

    it("the shipped localhost config has no max age above heartbeat + margin (the issue's 86,400 s)", function () {
      const config = loadDeployConfig("localhost");
      // Push feeds only: a pull pool (config.pullFeeds) gives its own small max age.
      for (const p of config.pools.filter((c) => config.feeds[c.feed] !== undefined)) {
        const f = config.feeds[p.feed];
        expect(f.heartbeat, p.name).to.be.a("number");
        expect(poolMaxAge(p, f, config.oracle)).to.be.at.most(f.heartbeat! + config.oracle!.maxAgeMargin);
      }
      expect(config.oracle?.maxMovePips).to.equal(10_000);
    });
  });

  async function deployed(): Promise<{ record: DeploymentRecord; config: DeployConfig }> {
    const [signer] = await ethers.getSigners();
    const config = loadDeployConfig("localhost");
    const record = await deploy({ signer, network: "hardhat", config });
    return { record, config };
  }

  it("deploys one ChainlinkOracle per feed, creates the pools on it and records oracle and source", async function () {
    const { record, config } = await loadFixture(deployed);
    for (const [name, p] of Object.entries(record.pools)) {
      const cfg = config.pools.find((c) => c.name === name)!;
      if (config.feeds[cfg.feed] === undefined) continue; // the pull pool: test/oracle/pythOracle.test.ts
      const oracleEntry = record.contracts[`${cfg.feed} oracle`];
      const source = record.contracts[`${cfg.feed} feed`];
      expect(oracleEntry.contract).to.equal("ChainlinkOracle");
      expect(p.feed).to.equal(oracleEntry.address);
      expect(p.source).to.equal(source.address);
      const oracle = await ethers.getContractAt("ChainlinkOracle", oracleEntry.address);
      expect(await oracle.SOURCE()).to.equal(source.address);
      const g = await oracle.guardConfig();
      expect([g.maxMovePips, g.coolDown]).to.deep.equal([10_000n, 900n]);
      const s = await getPoolState(p.address, ethers.provider);
      expect(s.feed).to.equal(oracleEntry.address);
      expect(s.oracle.maxAge).to.equal(4200n);
      expect(s.oracle.status?.usable, name).to.equal(true);
      expect(quoteExactIn(s, "sellBase", 10n ** BigInt(s.baseDecimals)).amountOut).to.be.gt(0n);
    }
  });

  it("re-running reuses the oracles; a changed oracle setting deploys a new one", async function () {
    const { record, config } = await loadFixture(deployed);
    const [signer] = await ethers.getSigners();
    const again = await deploy({ signer, network: "hardhat", config, previous: record });
    expect(again.contracts["ETH/USD oracle"].address).to.equal(record.contracts["ETH/USD oracle"].address);
    const changed = { ...config, oracle: { ...config.oracle!, coolDown: 600 } };
    const third = await deploy({ signer, network: "hardhat", config: changed, previous: again });
    expect(third.contracts["ETH/USD oracle"].address).to.not.equal(record.contracts["ETH/USD oracle"].address);
  });
});
