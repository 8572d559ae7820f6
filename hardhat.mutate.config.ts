import type { HardhatUserConfig } from "hardhat/config";
import fc from "fast-check";
import base from "./hardhat.config";

/**
 * Hardhat config for `scripts/mutate.ts` (the mutation check), used inside its temporary copy of the
 * tree. The same pinned compiler and optimizer as the real build, but no via-IR overrides (much faster to
 * compile) and unlimited contract size (the pool is above EIP-170 without via-IR). MUTATE_SOURCES picks
 * the folder to compile: the math group compiles only the libraries and the math harness; the liquidity
 * group compiles `contracts`. Artifacts and cache go to their own folders so the real build is untouched.
 */
// A mutant is killed by the first property that fails; shrinking its counterexample only spends the
// mutant's time budget (it turned kills into timeouts), so properties stop at their first failure here.
fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });

const sources = process.env.MUTATE_SOURCES ?? "contracts";
const tag = sources.replace(/[^A-Za-z0-9]+/g, "-");

const config: HardhatUserConfig = {
  ...base,
  solidity: {
    compilers:
      base.solidity && typeof base.solidity === "object" && "compilers" in base.solidity ? base.solidity.compilers : [],
  },
  paths: { sources, artifacts: `artifacts-mutate-${tag}`, cache: `cache-mutate-${tag}` },
  networks: { ...base.networks, hardhat: { ...base.networks?.hardhat, allowUnlimitedContractSize: true } },
  typechain: { outDir: "typechain-types", target: "ethers-v6", dontOverrideCompile: true },
};

export default config;
