// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AggregatorV3Interface} from "./AggregatorV3Interface.sol";

/// @notice Where an oracle's price comes from.
/// @dev Push: a Chainlink-style feed that updates on its own (deviation threshold and heartbeat).
///      Pull: a signed price (Pyth) that the swapping transaction brings and verifies on-chain.
enum OracleKind {
    Push,
    Pull
}

/// @title ISkewOracle
/// @author Skew
/// @notice The one oracle interface a Skew pool prices from, whatever the source. It is a Chainlink
///         `AggregatorV3Interface` (the pool reads `latestRoundData` and applies its own max age), and
///         `latestRoundData` reverts with the oracle's own custom error whenever the price must not be
///         traded on (circuit breaker tripped, answer outside the admin's bounds, L2 sequencer down or in
///         its grace period, price too uncertain). Withdrawals never read it.
interface ISkewOracle is AggregatorV3Interface {
    /// @notice Push (a feed that updates itself) or pull (updated by the swapping transaction).
    /// @return The oracle's kind.
    function kind() external view returns (OracleKind);
}

/// @title ISkewPullOracle
/// @author Skew
/// @notice A pull oracle: the caller brings signed update data, pays the update fee, and the oracle then
///         answers with the newest verified price (never an older one than it has already answered).
interface ISkewPullOracle is ISkewOracle {
    /// @notice The fee, in wei, that `updatePrice(updateData)` must be sent.
    /// @param updateData Signed price updates (e.g. Pyth's Hermes payload).
    /// @return fee The update fee in wei.
    function getUpdateFee(bytes[] calldata updateData) external view returns (uint256 fee);

    /// @notice Verifies and stores `updateData`; a price older than the stored one is ignored.
    /// @param updateData Signed price updates.
    function updatePrice(bytes[] calldata updateData) external payable;
}
