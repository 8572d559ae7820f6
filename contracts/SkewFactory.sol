// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Create2} from "@openzeppelin/contracts/utils/Create2.sol";

import {AggregatorV3Interface} from "./interfaces/AggregatorV3Interface.sol";
import {ISkewFactory} from "./interfaces/ISkewFactory.sol";
import {ISkewPool, PoolConfig} from "./interfaces/ISkewPool.sol";
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
contract SkewFactory is ISkewFactory, Ownable2Step {
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
