// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Compiles Pyth's official MockPyth (from @pythnetwork/pyth-sdk-solidity) for the tests and the local chain:
// it stores whatever `createPriceFeedUpdateData` encodes, with a fixed fee per update, and no signatures.
// solhint-disable-next-line no-unused-import
import {MockPyth} from "@pythnetwork/pyth-sdk-solidity/MockPyth.sol";

/// @title EthRejecter
/// @author Skew
/// @notice Test-only caller that refuses ETH: proves a failed refund reverts the whole call (nothing moves).
contract EthRejecter {
    /// @notice Forwards `data` with `msg.value` to `target` and bubbles up its revert.
    /// @param target The contract to call.
    /// @param data The calldata.
    function forward(address target, bytes calldata data) external payable {
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = target.call{value: msg.value}(data);
        if (!ok) {
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
    }
}
