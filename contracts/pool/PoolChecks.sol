// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISkewPool} from "../interfaces/ISkewPool.sol";
import {PoolImmutables} from "./PoolStorage.sol";

/// @title PoolChecks
/// @author Skew
/// @notice Argument checks shared by the pool's entry points.
library PoolChecks {
    /// @notice Reverts with `Expired` once `deadline` has passed.
    /// @param deadline Last timestamp at which the call may execute.
    function checkDeadline(uint256 deadline) internal view {
        if (block.timestamp > deadline) revert ISkewPool.Expired(deadline, block.timestamp);
    }

    /// @notice Reverts with `InvalidRecipient` for the zero address, the pool and its tokens:
    ///         tokens sent there are lost or would corrupt the pool's balance accounting.
    /// @param to The recipient.
    /// @param im The pool's immutables.
    function checkRecipient(address to, PoolImmutables memory im) internal view {
        if (to == address(0) || to == address(this) || to == address(im.base) || to == address(im.quote)) {
            revert ISkewPool.InvalidRecipient(to);
        }
    }
}
