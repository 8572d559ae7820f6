import { expect } from "chai";
import { DEFAULT_POLICY_CONFIG, parsePolicyConfig, PolicyConfigError } from "../../keeper/config";

describe("keeper policy config", function () {
  it("returns the defaults for no override and for an empty one", function () {
    expect(parsePolicyConfig(undefined)).to.deep.equal(DEFAULT_POLICY_CONFIG);
    expect(parsePolicyConfig({})).to.deep.equal(DEFAULT_POLICY_CONFIG);
  });

  it("merges scalar and nested hysteresis overrides over the defaults", function () {
    const c = parsePolicyConfig({ gamma: 40, feedIntervalSeconds: 3600, hysteresis: { baseFee: { rel: 0.3 } } });
    expect(c.gamma).to.equal(40);
    expect(c.feedIntervalSeconds).to.equal(3600);
    expect(c.hysteresis.baseFee).to.deep.equal({ abs: DEFAULT_POLICY_CONFIG.hysteresis.baseFee.abs, rel: 0.3 });
    expect(c.hysteresis.k).to.deep.equal(DEFAULT_POLICY_CONFIG.hysteresis.k);
    expect(c.kBase).to.equal(DEFAULT_POLICY_CONFIG.kBase);
  });

  it("returns a fresh object and never changes the defaults", function () {
    const c = parsePolicyConfig({ hysteresis: { k: { abs: 0.5 } } });
    c.hysteresis.tau.rel = 42;
    c.kBase = 0.9;
    expect(DEFAULT_POLICY_CONFIG.hysteresis.tau.rel).to.not.equal(42);
    expect(DEFAULT_POLICY_CONFIG.hysteresis.k.abs).to.not.equal(0.5);
    expect(DEFAULT_POLICY_CONFIG.kBase).to.not.equal(0.9);
    expect(Object.isFrozen(DEFAULT_POLICY_CONFIG) && Object.isFrozen(DEFAULT_POLICY_CONFIG.hysteresis.k)).to.equal(
      true,
    );
  });

  it("accepts values at the inclusive ends of their ranges", function () {
    expect(parsePolicyConfig({ kBase: 0, kFlow: 1, minRounds: 2, tauFlow: 1 }).kFlow).to.equal(1);
  });

  const bad: [string, unknown, RegExp][] = [
    ["null", null, /must be an object, got null/],
    ["an array", [1], /must be an object, got an array/],
    ["a string", "gamma=1", /must be an object, got string/],
    ["an unknown key", { gama: 1 }, /unknown key "gama"/],
    ["a string value", { gamma: "1" }, /"gamma" must be a number, got the string "1"/],
    ["a null value", { kBase: null }, /"kBase" must be a number, got null/],
    ["a boolean value", { kFlow: true }, /"kFlow" must be a number, got boolean/],
    ["NaN", { gamma: NaN }, /"gamma" must be finite/],
    ["Infinity", { horizonSeconds: Infinity }, /"horizonSeconds" must be finite/],
    ["k above 1", { kBase: 1.5 }, /"kBase" must be in \[0, 1\], got 1.5/],
    ["a negative coefficient", { gamma: -1 }, /"gamma" must be in \[0, /],
    ["a zero half-life", { volHalfLifeSeconds: 0 }, /"volHalfLifeSeconds" must be in \(0, /],
    ["a fee of 100 %", { baseFeeFloorPips: 1_000_000 }, /"baseFeeFloorPips" must be in \[0, 1000000\)/],
    ["a fractional pip floor", { baseFeeFloorPips: 1.5 }, /"baseFeeFloorPips" must be an integer/],
    ["a single round", { minRounds: 1 }, /"minRounds" must be in \[2, /],
    ["tau of 1", { tauBase: 1 }, /"tauBase" must be in \[0, 1\)/],
    ["tauFloor above tauBase", { tauBase: 0.05, tauFloor: 0.06 }, /tauFloor \(0.06\) must not exceed tauBase \(0.05\)/],
    ["a non-object hysteresis", { hysteresis: 3 }, /hysteresis must be an object, got number/],
    ["an unknown parameter band", { hysteresis: { fee: { abs: 1 } } }, /unknown key "hysteresis.fee"/],
    ["an unknown band kind", { hysteresis: { k: { absolute: 1 } } }, /unknown key "hysteresis.k.absolute"/],
    ["a non-object band", { hysteresis: { tau: 0.1 } }, /hysteresis.tau must be an object, got number/],
    ["a negative band", { hysteresis: { maxFee: { rel: -0.1 } } }, /"hysteresis.maxFee.rel" must be in \[0, /],
    ["a k band above 1", { hysteresis: { k: { abs: 2 } } }, /"hysteresis.k.abs" must be in \[0, 1\]/],
  ];
  for (const [what, json, message] of bad) {
    it(`rejects ${what}`, function () {
      expect(() => parsePolicyConfig(json)).to.throw(PolicyConfigError, message);
    });
  }
});
