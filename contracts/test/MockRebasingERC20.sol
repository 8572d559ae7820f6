// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title MockRebasingERC20
/// @author Skew
/// @notice Test-only rebasing ERC-20 (stETH / AMPL style): holders own shares, a balance is
///         `shares * index / 1e18`, and `rebase` moves the index, so every holder's balance shrinks or grows
///         at once without a transfer. `burnFrom` takes tokens from one holder (a token that burns from
///         holders). Transfers move the shares an amount is worth, rounded up (the sender pays the dust).
contract MockRebasingERC20 is IERC20, IERC20Metadata {
    /// @notice The sender's balance is below the amount.
    /// @param balance The sender's balance.
    /// @param amount The amount.
    error RebasingInsufficientBalance(uint256 balance, uint256 amount);
    /// @notice The spender's allowance is below the amount.
    /// @param allowance The allowance.
    /// @param amount The amount.
    error RebasingInsufficientAllowance(uint256 allowance, uint256 amount);
    /// @notice The new index is zero.
    error RebasingZeroIndex();

    /// @notice Index after `rebase`, WAD.
    /// @param index The new index.
    event Rebased(uint256 index);

    uint256 private constant WAD = 1e18;

    string private _name;
    string private _symbol;
    uint8 private immutable DECIMALS;
    /// @notice Tokens per share, WAD.
    uint256 public index = WAD;
    /// @notice Shares of each holder.
    mapping(address holder => uint256) public sharesOf;
    /// @notice All shares.
    uint256 public totalShares;
    mapping(address owner => mapping(address spender => uint256)) private _allowances;

    /// @notice Creates the token.
    /// @param name_ Token name.
    /// @param symbol_ Token symbol.
    /// @param decimals_ Token decimals.
    constructor(string memory name_, string memory symbol_, uint8 decimals_) {
        _name = name_;
        _symbol = symbol_;
        DECIMALS = decimals_;
    }

    /// @notice Mints `amount` to `to` (anyone may call: test-only).
    /// @param to Recipient.
    /// @param amount Raw amount.
    function mint(address to, uint256 amount) external {
        uint256 shares = Math.mulDiv(amount, WAD, index);
        sharesOf[to] += shares;
        totalShares += shares;
        emit Transfer(address(0), to, amount);
    }

    /// @notice Multiplies every balance by `numerator / denominator` (test-only, anyone may call).
    /// @param numerator Numerator of the factor.
    /// @param denominator Denominator of the factor.
    function rebase(uint256 numerator, uint256 denominator) external {
        uint256 next = Math.mulDiv(index, numerator, denominator);
        if (next == 0) revert RebasingZeroIndex();
        index = next;
        emit Rebased(next);
    }

    /// @notice Burns `amount` from `holder` without its consent (a token that burns from holders; test-only).
    /// @param holder Whose balance shrinks.
    /// @param amount Raw amount.
    function burnFrom(address holder, uint256 amount) external {
        _move(holder, address(0), amount);
    }

    /// @inheritdoc IERC20
    function transfer(address to, uint256 amount) external returns (bool) {
        _move(msg.sender, to, amount);
        return true;
    }

    /// @inheritdoc IERC20
    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 allowed = _allowances[from][msg.sender];
        if (allowed != type(uint256).max) {
            if (allowed < amount) revert RebasingInsufficientAllowance(allowed, amount);
            _allowances[from][msg.sender] = allowed - amount;
        }
        _move(from, to, amount);
        return true;
    }

    /// @inheritdoc IERC20
    function approve(address spender, uint256 amount) external returns (bool) {
        _allowances[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    /// @inheritdoc IERC20
    function allowance(address owner, address spender) external view returns (uint256) {
        return _allowances[owner][spender];
    }

    /// @inheritdoc IERC20
    function balanceOf(address holder) public view returns (uint256) {
        return Math.mulDiv(sharesOf[holder], index, WAD);
    }

    /// @inheritdoc IERC20
    function totalSupply() external view returns (uint256) {
        return Math.mulDiv(totalShares, index, WAD);
    }

    /// @inheritdoc IERC20Metadata
    function name() external view returns (string memory) {
        return _name;
    }

    /// @inheritdoc IERC20Metadata
    function symbol() external view returns (string memory) {
        return _symbol;
    }

    /// @inheritdoc IERC20Metadata
    function decimals() external view returns (uint8) {
        return DECIMALS;
    }

    /// @dev Moves the shares `amount` is worth (rounded up, capped at the sender's shares) to `to` (or burns them).
    function _move(address from, address to, uint256 amount) private {
        uint256 balance = balanceOf(from);
        if (balance < amount) revert RebasingInsufficientBalance(balance, amount);
        uint256 shares = Math.min(Math.mulDiv(amount, WAD, index, Math.Rounding.Ceil), sharesOf[from]);
        sharesOf[from] -= shares;
        if (to == address(0)) totalShares -= shares;
        else sharesOf[to] += shares;
        emit Transfer(from, to, amount);
    }
}
