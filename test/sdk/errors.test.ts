import { expect } from "chai";
import { network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { AbiCoder, BrowserProvider, Contract, makeError, MaxUint256 } from "ethers";
import {
  decodeRevertData,
  decodeSkewError,
  DeadlineExpiredError,
  ExactOutUnreachableError,
  ExcessiveInputError,
  IncompleteOracleRoundError,
  InsufficientLiquidityError,
  InsufficientOutputError,
  InsufficientSharesError,
  InvalidOraclePriceError,
  InvalidPathError,
  InvalidRecipientError,
  MathOverflowError,
  NotAPoolError,
  OracleError,
  OracleUpdateInFutureError,
  ParamError,
  ParamOutOfBoundsError,
  ParamStepTooLargeError,
  ParamsUpdateTooSoonError,
  PausedError,
  poolReadError,
  ReentrancyError,
  SkewContractError,
  SkewError,
  skewErrorInterface,
  SkewProviderError,
  SlippageError,
  StaleOracleError,
  toSkewError,
  UnknownPoolError,
  ZeroAmountError,
  ZeroSharesError,
} from "../../sdk/errors";
import { approveAll, E18, expectSkewError, world } from "../helpers/sdkFixture";

type Cls = abstract new (...args: never[]) => SkewError;

const A = "0x00000000000000000000000000000000000000AA";

/** Every revert users act on, its arguments, the class it must decode to, and the fields that class exposes. */
const CASES: [string, unknown[], Cls, Record<string, unknown>][] = [
  ["InsufficientOutput", [5n, 7n], InsufficientOutputError, { amountOut: 5n, minAmountOut: 7n }],
  ["ExcessiveInput", [9n, 8n], ExcessiveInputError, { amountIn: 9n, maxAmountIn: 8n }],
  ["InsufficientShares", [1n, 2n], InsufficientSharesError, { shares: 1n, minShares: 2n }],
  ["Expired", [100n, 101n], DeadlineExpiredError, { deadline: 100n, timestamp: 101n }],
  ["StaleOracle", [10n, 3600n], StaleOracleError, { updatedAt: 10n, maxAge: 3600n }],
  ["IncompleteOracleRound", [3n, 2n], IncompleteOracleRoundError, { roundId: 3n, answeredInRound: 2n }],
  ["InvalidOraclePrice", [-1n], InvalidOraclePriceError, { answer: -1n }],
  ["OracleUpdateInFuture", [50n, 40n], OracleUpdateInFutureError, { updatedAt: 50n, timestamp: 40n }],
  ["EnforcedPause", [], PausedError, {}],
  ["InsufficientLiquidity", [], InsufficientLiquidityError, {}],
  ["ZeroAmount", [], ZeroAmountError, {}],
  ["ExactOutUnreachable", [], ExactOutUnreachableError, {}],
  ["ZeroShares", [], ZeroSharesError, {}],
  ["UnknownPool", [A], UnknownPoolError, { pool: A }],
  ["InvalidPath", [2n], InvalidPathError, { hop: 2 }],
  ["InvalidRecipient", [A], InvalidRecipientError, { recipient: A }],
  ["ReentrancyGuardReentrantCall", [], ReentrancyError, {}],
  ["ParamOutOfBounds", [3n, 5n, 0n, 4n], ParamOutOfBoundsError, { param: "tau", value: 5n, min: 0n, max: 4n }],
  [
    "ParamStepTooLarge",
    [0n, 1n, 9n, 2n],
    ParamStepTooLargeError,
    { param: "k", current: 1n, requested: 9n, maxStep: 2n },
  ],
  ["ParamsUpdateTooSoon", [77n], ParamsUpdateTooSoonError, { nextUpdateAt: 77n }],
];

const encode = (name: string, args: unknown[]) => skewErrorInterface().encodeErrorResult(name, args);

describe("SDK errors", function () {
  describe("decoding revert data", function () {
    for (const [name, args, cls, fields] of CASES) {
      it(`${name} -> ${cls.name}`, function () {
        const data = encode(name, args);
        const err = decodeRevertData(data);
        expect(err).to.be.instanceOf(cls);
        expect(err).to.be.instanceOf(SkewError);
        expect(err).to.be.instanceOf(Error);
        expect(err!.errorName).to.equal(name);
        expect(err!.data).to.equal(data);
        expect(err!.name).to.equal(cls.name);
        expect(err!.message.length).to.be.greaterThan(10);
        for (const [k, v] of Object.entries(fields))
          expect((err as unknown as Record<string, unknown>)[k], k).to.equal(v);
      });
    }

    it("groups: slippage, oracle and parameter errors share base classes", function () {
      expect(decodeRevertData(encode("ExcessiveInput", [1n, 0n]))).to.be.instanceOf(SlippageError);
      expect(decodeRevertData(encode("InsufficientShares", [1n, 2n]))).to.be.instanceOf(SlippageError);
      expect(decodeRevertData(encode("OracleUpdateInFuture", [1n, 0n]))).to.be.instanceOf(OracleError);
      expect(decodeRevertData(encode("ParamsUpdateTooSoon", [1n]))).to.be.instanceOf(ParamError);
    });

    it("other Skew and OpenZeppelin errors become a SkewContractError with name and arguments", function () {
      const err = decodeRevertData(encode("PoolAlreadyExists", [A]));
      expect(err).to.be.instanceOf(SkewContractError);
      expect(err!.errorName).to.equal("PoolAlreadyExists");
      expect((err as SkewContractError).args).to.deep.equal([A]);
      expect(err!.message).to.equal(`contract reverted: PoolAlreadyExists(${A})`);
      const oz = decodeRevertData(encode("ERC20InsufficientBalance", [A, 1n, 2n]));
      expect(oz!.errorName).to.equal("ERC20InsufficientBalance");
    });

    it("not a pool: the lens's StateReadFailed, empty return data and data-less reverts; other failures wrapped", function () {
      const lens = decodeRevertData(encode("StateReadFailed", [1n, A]));
      expect(lens).to.be.instanceOf(NotAPoolError);
      expect(lens).to.be.instanceOf(SkewContractError);
      expect([(lens as NotAPoolError).address, lens!.errorName]).to.deep.equal([A, "StateReadFailed"]);
      expect((lens as NotAPoolError).args).to.deep.equal([1n, A]);
      const empty = makeError("could not decode result data", "BAD_DATA", { value: "0x" });
      const noData = makeError("execution reverted", "CALL_EXCEPTION", {
        action: "call",
        data: null,
        reason: null,
        transaction: { to: A, data: "0x" },
        invocation: null,
        revert: null,
      });
      for (const e of [empty, noData]) {
        const err = poolReadError(e, A);
        expect(err).to.be.instanceOf(NotAPoolError);
        expect([(err as NotAPoolError).address, err.errorName, err.cause]).to.deep.equal([A, "NotAPool", e]);
      }
      expect(poolReadError({ data: encode("EnforcedPause", []) }, A)).to.be.instanceOf(PausedError);
      const down = makeError("connection refused", "NETWORK_ERROR", { event: "x" });
      const wrapped = poolReadError(down, A);
      expect(wrapped).to.be.instanceOf(SkewProviderError);
      expect([(wrapped as SkewProviderError).code, wrapped.cause]).to.deep.equal(["NETWORK_ERROR", down]);
    });

    it("panics, Error(string) and unknown selectors", function () {
      const panic = (code: bigint) => "0x4e487b71" + AbiCoder.defaultAbiCoder().encode(["uint256"], [code]).slice(2);
      const overflow = decodeRevertData(panic(0x11n));
      expect(overflow).to.be.instanceOf(MathOverflowError);
      expect(overflow!.errorName).to.equal("Panic");
      const divZero = decodeRevertData(panic(0x12n));
      expect(divZero).to.be.instanceOf(SkewContractError);
      expect(divZero!.message).to.equal("contract panicked: division by zero (0x12)");
      const reason = "0x08c379a0" + AbiCoder.defaultAbiCoder().encode(["string"], ["boom"]).slice(2);
      expect(decodeRevertData(reason)!.message).to.equal("contract reverted: boom");
      const unknown = decodeRevertData("0xdeadbeef");
      expect(unknown).to.be.instanceOf(SkewContractError);
      expect(unknown!.errorName).to.equal("Unknown");
      expect(decodeRevertData("0x")).to.equal(undefined);
    });

    it("finds the data wherever providers put it, and leaves non-reverts alone", function () {
      const data = encode("ZeroAmount", []);
      for (const shape of [
        { data },
        { error: { data } },
        { info: { error: { data: { data } } } },
        { cause: { data } },
      ]) {
        expect(decodeSkewError(shape)).to.be.instanceOf(ZeroAmountError);
      }
      const network = new Error("connection refused");
      expect(decodeSkewError(network)).to.equal(undefined);
      const wrapped = toSkewError(network);
      expect(wrapped).to.be.instanceOf(SkewProviderError);
      expect(wrapped.cause).to.equal(network);
      expect((wrapped as SkewProviderError).code).to.equal("UNKNOWN_ERROR");
      expect(decodeSkewError("nope")).to.equal(undefined);
      const already = new PausedError();
      expect(decodeSkewError(already)).to.equal(already);
    });
  });

  describe("decoding real reverts", function () {
    async function reverting() {
      const w = await world();
      await approveAll(w);
      await w.ethPool.connect(w.admin).pause();
      return w;
    }

    it("from a typechain call, a Hardhat signer's transaction and a generic JSON-RPC provider", async function () {
      const w = await loadFixture(reverting);
      // eth_call through a typed contract
      await expectSkewError(w.ethPool.quoteExactIn(0, E18), PausedError);
      // a transaction from a Hardhat signer (fails at gas estimation)
      await expectSkewError(
        w.core.router
          .connect(w.alice)
          .swapExactIn([{ pool: w.a.ethPool, side: 0 }], E18, 0n, w.alice.address, MaxUint256),
        PausedError,
      );
      // a plain ethers JSON-RPC provider and signer over the same node
      const provider = new BrowserProvider(network.provider);
      const signer = await provider.getSigner(w.alice.address);
      const router = new Contract(w.router, w.core.router.interface, signer);
      await expectSkewError(
        router.getFunction("swapExactIn")([{ pool: w.a.ethPool, side: 0 }], E18, 0n, w.alice.address, MaxUint256),
        PausedError,
      );
      const pool = new Contract(w.a.ethPool, w.ethPool.interface, provider);
      await expectSkewError(pool.getFunction("quoteExactOut")(1, E18), PausedError);
      // a keeper call out of bounds
      const b = (await w.ethPool.getState()).bounds;
      await w.ethPool.connect(w.admin).setBounds({
        kMin: b.kMin,
        kMax: E18 / 2n,
        tauMin: b.tauMin,
        tauMax: b.tauMax,
        baseFeeMin: b.baseFeeMin,
        baseFeeMax: b.baseFeeMax,
        maxFeeMin: b.maxFeeMin,
        maxFeeMax: b.maxFeeMax,
      });
      const err = await expectSkewError(
        w.ethPool.connect(w.admin).setParams(E18, 500, 10_000, E18 / 10n, E18 / 20n),
        ParamOutOfBoundsError,
      );
      expect([err.param, err.value, err.max]).to.deep.equal(["k", E18, E18 / 2n]);
    });
  });
});
