// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MockReentrantERC20
/// @author Skew
/// @notice Test-only ERC-20 that, once armed, calls a configured target with configured calldata during
///         its next transfer (before moving the balance) and bubbles up any revert of that call.
contract MockReentrantERC20 is ERC20 {
    /// @notice Contract to call back into (not named `target`, which ethers' contract objects reserve).
    address public callbackTarget;
    /// @notice Calldata of the callback.
    bytes public callbackData;
    /// @notice Whether the next transfer makes the callback.
    bool public armed;

    /// @notice Creates the token (18 decimals).
    /// @param name_ Token name.
    /// @param symbol_ Token symbol.
    constructor(string memory name_, string memory symbol_) ERC20(name_, symbol_) {}

    /// @notice Mints `amount` to `to`.
    /// @param to Recipient.
    /// @param amount Raw amount.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms a one-shot callback for the next transfer.
    /// @param target_ Contract to call.
    /// @param callData_ Calldata to send.
    function arm(address target_, bytes calldata callData_) external {
        callbackTarget = target_;
        callbackData = callData_;
        armed = true;
    }

    /// @dev Makes the armed callback on a transfer between two accounts, then moves the balance.
    function _update(address from, address to, uint256 value) internal override {
        if (armed && from != address(0) && to != address(0)) {
            armed = false;
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory ret) = callbackTarget.call(callbackData);
            if (!ok) {
                // solhint-disable-next-line no-inline-assembly
                assembly ("memory-safe") {
                    revert(add(ret, 32), mload(ret))
                }
            }
        }
        super._update(from, to, value);
    }
}
