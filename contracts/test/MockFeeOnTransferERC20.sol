// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MockFeeOnTransferERC20
/// @author Skew
/// @notice Test-only ERC-20 that burns a fee (in basis points) from every transfer, so the recipient
///         receives less than the amount sent.
contract MockFeeOnTransferERC20 is ERC20 {
    uint8 private immutable DECIMALS;
    /// @notice Fee burnt from each transfer, basis points.
    uint256 public feeBps;

    /// @notice Creates the token.
    /// @param name_ Token name.
    /// @param symbol_ Token symbol.
    /// @param decimals_ Token decimals.
    /// @param feeBps_ Transfer fee, basis points.
    constructor(string memory name_, string memory symbol_, uint8 decimals_, uint256 feeBps_) ERC20(name_, symbol_) {
        DECIMALS = decimals_;
        feeBps = feeBps_;
    }

    /// @notice Mints `amount` to `to` (no fee).
    /// @param to Recipient.
    /// @param amount Raw amount.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Sets the transfer fee.
    /// @param feeBps_ Basis points.
    function setFeeBps(uint256 feeBps_) external {
        feeBps = feeBps_;
    }

    /// @notice The token's decimals.
    /// @return The decimals set at construction.
    function decimals() public view override returns (uint8) {
        return DECIMALS;
    }

    /// @dev Burns the fee from transfers between two accounts (not from mints or burns).
    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            uint256 fee = (value * feeBps) / 10_000;
            super._update(from, address(0), fee);
            value -= fee;
        }
        super._update(from, to, value);
    }
}
