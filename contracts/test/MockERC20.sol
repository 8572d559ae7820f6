// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MockERC20
/// @author Skew
/// @notice Test-only ERC-20 with configurable decimals and an open mint.
contract MockERC20 is ERC20 {
    uint8 private immutable DECIMALS;

    /// @notice Creates the token.
    /// @param name_ Token name.
    /// @param symbol_ Token symbol.
    /// @param decimals_ Token decimals.
    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_) {
        DECIMALS = decimals_;
    }

    /// @notice Mints `amount` to `to` (anyone may call: test-only).
    /// @param to Recipient.
    /// @param amount Raw amount.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice The token's decimals.
    /// @return The decimals set at construction.
    function decimals() public view override returns (uint8) {
        return DECIMALS;
    }
}
