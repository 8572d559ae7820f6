// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISkewPool, PoolState} from "../interfaces/ISkewPool.sol";

/// @title SkewStateLens
/// @author Skew
/// @notice A "deployless" batch reader: its creation code, run with `eth_call` and no `to` address, reads
///         `getState()` of every pool given to the constructor and hands all the states back in that one
///         call. Nothing is deployed, and the lens is never meant to be.
/// @dev The states come back as the creation's return data, `abi.encode(states)`, returned by assembly.
///      What a constructor returns becomes contract code, which EIP-170 caps at 24,576 bytes: 17 states
///      (a `PoolState` encodes to 1,408 bytes). A larger batch comes back as the revert data
///      `PoolStates(states)` instead, which only gas bounds; the SDK reads both. A pool that cannot be
///      read makes the call revert with `StateReadFailed`.
contract SkewStateLens {
    /// @notice The most bytes a creation may return (EIP-170's code size limit).
    uint256 private constant MAX_RETURN = 24_576;

    /// @notice The result of a batch too large to return: every pool's state, in the order given.
    /// @param states The pools' `getState()`.
    error PoolStates(PoolState[] states);

    /// @notice `pools[index]` has no code or its `getState()` failed.
    /// @param index Position of the pool in the constructor's argument.
    /// @param pool The address that could not be read.
    error StateReadFailed(uint256 index, address pool);

    /// @notice Reads every pool's state and returns `abi.encode(states)`, or reverts with `PoolStates(states)`
    ///         when that is more than a creation may return.
    /// @param pools The Skew pools to read, in order.
    constructor(address[] memory pools) {
        PoolState[] memory states = new PoolState[](pools.length);
        for (uint256 i; i < pools.length; ++i) {
            if (pools[i].code.length == 0) revert StateReadFailed(i, pools[i]);
            try ISkewPool(pools[i]).getState() returns (PoolState memory s) {
                states[i] = s;
            } catch {
                revert StateReadFailed(i, pools[i]);
            }
        }
        bytes memory encoded = abi.encode(states);
        if (encoded.length > MAX_RETURN) revert PoolStates(states);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            return(add(encoded, 32), mload(encoded))
        }
    }
}
