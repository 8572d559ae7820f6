// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISkewPool, PoolState} from "../interfaces/ISkewPool.sol";
import {IOracleGuard, OracleStatus} from "../oracle/IOracleGuard.sol";

/// @notice A pool's oracle status, when its feed is a Skew oracle.
/// @param guarded Whether the feed answered `IOracleGuard.status()` (false for a bare Chainlink feed).
/// @param status The status (zeroes when not guarded).
struct OracleView {
    bool guarded;
    OracleStatus status;
}

/// @title SkewStateLens
/// @author Skew
/// @notice A "deployless" batch reader: its creation code, run with `eth_call` and no `to` address, reads
///         `getState()` of every pool given to the constructor, and the `status()` of its feed when that is a
///         Skew oracle, and hands them all back in that one call. Nothing is deployed, and the lens is
///         never meant to be.
/// @dev The result comes back as the creation's return data, `abi.encode(states, oracles)`, returned by
///      assembly. What a constructor returns becomes contract code, which EIP-170 caps at 24,576 bytes: 14
///      pools (a `PoolState` encodes to 1,408 bytes, an `OracleView` to 320). A larger batch comes back as
///      the revert data `PoolStates(states, oracles)` instead, which only gas bounds; the SDK reads both. A
///      pool that cannot be read makes the call revert with `StateReadFailed`; a feed without a readable
///      `status()` gives `guarded = false`.
contract SkewStateLens {
    /// @notice The most bytes a creation may return (EIP-170's code size limit).
    uint256 private constant MAX_RETURN = 24_576;

    /// @notice The result of a batch too large to return: every pool's state, in the order given.
    /// @param states The pools' `getState()`.
    /// @param oracles Their feeds' oracle status.
    error PoolStates(PoolState[] states, OracleView[] oracles);

    /// @notice `pools[index]` has no code or its `getState()` failed.
    /// @param index Position of the pool in the constructor's argument.
    /// @param pool The address that could not be read.
    error StateReadFailed(uint256 index, address pool);

    /// @notice Reads every pool's state and oracle status and returns `abi.encode(states, oracles)`, or
    ///         reverts with `PoolStates(states, oracles)` when that is more than a creation may return.
    /// @param pools The Skew pools to read, in order.
    constructor(address[] memory pools) {
        PoolState[] memory states = new PoolState[](pools.length);
        OracleView[] memory oracles = new OracleView[](pools.length);
        for (uint256 i; i < pools.length; ++i) {
            if (pools[i].code.length == 0) revert StateReadFailed(i, pools[i]);
            try ISkewPool(pools[i]).getState() returns (PoolState memory s) {
                states[i] = s;
            } catch {
                revert StateReadFailed(i, pools[i]);
            }
            oracles[i] = _oracleView(states[i].feed);
        }
        bytes memory encoded = abi.encode(states, oracles);
        if (encoded.length > MAX_RETURN) revert PoolStates(states, oracles);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            return(add(encoded, 32), mload(encoded))
        }
    }

    /// @dev `feed.status()` when it answers a well-formed `OracleStatus` (every enum in range), else not guarded.
    function _oracleView(address feed) private view returns (OracleView memory v) {
        (bool ok, bytes memory data) = feed.staticcall(abi.encodeCall(IOracleGuard.status, ()));
        if (!ok || data.length != 288) return v;
        uint256[9] memory w = abi.decode(data, (uint256[9]));
        if (w[0] > 1 || w[1] > 1 || w[2] > 6 || w[3] > type(uint80).max || w[8] > 3) return v;
        v.guarded = true;
        v.status = abi.decode(data, (OracleStatus));
    }
}
