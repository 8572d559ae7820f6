// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Create2} from "@openzeppelin/contracts/utils/Create2.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {AggregatorV3Interface} from "./interfaces/AggregatorV3Interface.sol";
import {ISkewFactory, SeedParams} from "./interfaces/ISkewFactory.sol";
import {ISkewPool, PoolConfig, PoolState} from "./interfaces/ISkewPool.sol";
import {Price} from "./libraries/SkewTypes.sol";
import {OracleAdapter} from "./oracle/OracleAdapter.sol";
import {SkewPool} from "./SkewPool.sol";
import {CodeStore} from "./utils/CodeStore.sol";

/// @title SkewFactory
/// @author Skew
/// @notice Creates Skew pools at deterministic addresses and keeps their registry.
/// @dev Creation is restricted to the owner (two-step ownership): pools carry privileged roles, so a
///      permissionless factory would let anyone squat the canonical (base, quote, feed) entry with a
///      pool they administer. The pool's creation code is larger than a contract may be, so it is not
///      part of this contract's code: the constructor stores it in two data contracts (`CodeStore`) and
///      `createPool` reassembles it. The pool's logic libraries are linked into that code.
///      A pool accepts its first deposit only from this factory: `createPoolAndSeed` makes it in the
///      creating transaction, checked against the oracle, so no one can fix a pool's equilibrium with a
///      first deposit at another ratio.
contract SkewFactory is ISkewFactory, Ownable2Step {
    using SafeERC20 for IERC20;

    /// @dev 100 % in pips.
    uint256 private constant PIPS = 1e6;
    /// @dev 1.0 in WAD.
    uint256 private constant WAD = 1e18;
    /// @inheritdoc ISkewFactory
    mapping(address base => mapping(address quote => mapping(address feed => address pool))) public getPool;
    /// @inheritdoc ISkewFactory
    mapping(address pool => bool created) public isPool;
    /// @inheritdoc ISkewFactory
    address[] public allPools;

    /// @dev Data contracts holding the first and second half of `type(SkewPool).creationCode`.
    address private immutable POOL_CODE_A;
    address private immutable POOL_CODE_B;

    /// @notice Deploys the factory and stores the pool's creation code.
    /// @param initialOwner Who may create pools.
    constructor(address initialOwner) Ownable(initialOwner) {
        bytes memory code = type(SkewPool).creationCode;
        uint256 half = code.length / 2;
        POOL_CODE_A = CodeStore.write(code, 0, half);
        POOL_CODE_B = CodeStore.write(code, half, code.length - half);
    }

    /// @inheritdoc ISkewFactory
    function createPool(PoolConfig calldata cfg) external onlyOwner returns (address pool) {
        return _create(cfg);
    }

    /// @inheritdoc ISkewFactory
    function createPoolAndSeed(
        PoolConfig calldata cfg,
        SeedParams calldata seed
    ) external onlyOwner returns (address pool, uint256 shares) {
        pool = _create(cfg);
        shares = _seed(ISkewPool(pool), seed);
    }

    /// @inheritdoc ISkewFactory
    function seedPool(address pool, SeedParams calldata seed) external onlyOwner returns (uint256 shares) {
        if (!isPool[pool] || IERC20(pool).totalSupply() != 0) revert NotAnEmptyPool(pool);
        return _seed(ISkewPool(pool), seed);
    }

    /// @dev Checks the seed against the oracle, pulls it from the caller and makes the pool's first deposit.
    function _seed(ISkewPool pool, SeedParams calldata seed) private returns (uint256 shares) {
        if (seed.baseAmount == 0 || seed.quoteAmount == 0 || seed.maxPriceDeviation >= PIPS) revert InvalidSeed();
        PoolState memory st = pool.getState();
        if (!st.oracleOk) OracleAdapter.readPrice(AggregatorV3Interface(st.feed), st.feedDecimals, st.oracleMaxAge);
        _checkSeedPrice(st.price, st.baseScale, st.quoteScale, seed);
        uint256 baseIn = _pullAndApprove(IERC20(st.base), seed.baseAmount, address(pool));
        uint256 quoteIn = _pullAndApprove(IERC20(st.quote), seed.quoteAmount, address(pool));
        // solhint-disable-next-line not-rely-on-time
        (shares, , ) = pool.deposit(baseIn, quoteIn, 0, 0, seed.minShares, seed.to, block.timestamp);
    }

    /// @dev Creates and registers the pool (see `createPool`).
    function _create(PoolConfig calldata cfg) private returns (address pool) {
        _validate(cfg);
        address existing = getPool[cfg.base][cfg.quote][cfg.feed];
        if (existing != address(0)) revert PoolAlreadyExists(existing);

        pool = Create2.deploy(0, _salt(cfg), _initCode(cfg));
        getPool[cfg.base][cfg.quote][cfg.feed] = pool;
        isPool[pool] = true;
        allPools.push(pool);
        emit PoolCreated(cfg.base, cfg.quote, cfg.feed, pool, allPools.length - 1);
    }

    /// @inheritdoc ISkewFactory
    function predictPoolAddress(PoolConfig calldata cfg) external view returns (address) {
        return Create2.computeAddress(_salt(cfg), keccak256(_initCode(cfg)));
    }

    /// @inheritdoc ISkewFactory
    function allPoolsLength() external view returns (uint256) {
        return allPools.length;
    }

    /// @dev Reverts with `SeedPriceOutOfRange` unless |seed price - oracle price| <= maxPriceDeviation *
    ///      oracle price, the prices compared exactly (cross-multiplied) in scaled units.
    function _checkSeedPrice(
        Price memory price,
        uint256 baseScale,
        uint256 quoteScale,
        SeedParams calldata seed
    ) private pure {
        uint256 scaledBase = seed.baseAmount * baseScale;
        uint256 scaledQuote = seed.quoteAmount * quoteScale;
        // The seed's base valued at the oracle vs its quote, both times den: base * num vs quote * den.
        uint256 baseValue = scaledBase * price.num;
        uint256 quoteValue = scaledQuote * price.den;
        uint256 gap = baseValue > quoteValue ? baseValue - quoteValue : quoteValue - baseValue;
        if (Math.mulDiv(gap, PIPS, baseValue) > seed.maxPriceDeviation) {
            revert SeedPriceOutOfRange(
                Math.mulDiv(scaledQuote, WAD, scaledBase),
                Math.mulDiv(price.num, WAD, price.den),
                seed.maxPriceDeviation
            );
        }
    }

    /// @dev Pulls `amount` of `token` from the caller, approves `pool` for what arrived and returns it.
    function _pullAndApprove(IERC20 token, uint256 amount, address pool) private returns (uint256 arrived) {
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        arrived = token.balanceOf(address(this)) - before;
        token.forceApprove(pool, arrived);
    }

    /// @dev Rejects zero, identical or code-less tokens and feed, and decimals the pool cannot handle.
    function _validate(PoolConfig calldata cfg) private view {
        if (cfg.base == address(0) || cfg.quote == address(0) || cfg.feed == address(0)) revert ZeroAddress();
        if (cfg.base == cfg.quote) revert IdenticalTokens(cfg.base);
        (bool ok, uint256 decimals) = _decimals(cfg.base);
        if (!ok) revert InvalidToken(cfg.base);
        if (decimals > 18) revert ISkewPool.UnsupportedTokenDecimals(cfg.base, decimals);
        (ok, decimals) = _decimals(cfg.quote);
        if (!ok) revert InvalidToken(cfg.quote);
        if (decimals > 18) revert ISkewPool.UnsupportedTokenDecimals(cfg.quote, decimals);
        (ok, decimals) = _decimals(cfg.feed);
        if (!ok) revert InvalidFeed(cfg.feed);
        if (decimals > 36) revert ISkewPool.UnsupportedFeedDecimals(cfg.feed, decimals);
    }

    /// @dev `decimals()` of a token or feed, read without reverting: reverts with `NotAContract` for an
    ///      address without code, and returns ok = false when the call fails or returns malformed data.
    function _decimals(address account) private view returns (bool ok, uint256 decimals) {
        if (account.code.length == 0) revert NotAContract(account);
        (bool success, bytes memory data) = account.staticcall(abi.encodeCall(AggregatorV3Interface.decimals, ()));
        if (!success || data.length != 32) return (false, 0);
        decimals = abi.decode(data, (uint256));
        ok = decimals <= type(uint8).max;
    }

    /// @dev The pool's creation code followed by its constructor argument.
    function _initCode(PoolConfig calldata cfg) private view returns (bytes memory) {
        return bytes.concat(CodeStore.read(POOL_CODE_A), CodeStore.read(POOL_CODE_B), abi.encode(cfg));
    }

    /// @dev CREATE2 salt of a (base, quote, feed).
    function _salt(PoolConfig calldata cfg) private pure returns (bytes32) {
        return keccak256(abi.encode(cfg.base, cfg.quote, cfg.feed));
    }
}
