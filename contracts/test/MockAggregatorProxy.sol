// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";

/// @title MockAggregatorProxy
/// @author Skew
/// @notice Test-only proxy in Chainlink's shape: forwards to the current aggregator and encodes the phase
///         in the high bits of round ids (`roundId = phaseId << 64 | aggregatorRoundId`). Each
///         `setAggregator` starts a new phase.
contract MockAggregatorProxy is AggregatorV3Interface {
    uint256 private constant PHASE_OFFSET = 64;

    /// @dev The current phase and its aggregator, in one slot (as Chainlink's proxy packs them).
    struct Phase {
        uint16 id;
        AggregatorV3Interface aggregator;
    }

    Phase private _current;
    /// @notice The aggregator of each phase.
    mapping(uint16 phase => AggregatorV3Interface aggregator) public phaseAggregators;

    /// @notice Creates the proxy in phase 1.
    /// @param aggregator_ The first aggregator.
    constructor(AggregatorV3Interface aggregator_) {
        setAggregator(aggregator_);
    }

    /// @notice Points the proxy at a new aggregator, starting a new phase.
    /// @param aggregator_ The new aggregator.
    function setAggregator(AggregatorV3Interface aggregator_) public {
        uint16 id = _current.id + 1;
        _current = Phase(id, aggregator_);
        phaseAggregators[id] = aggregator_;
    }

    /// @notice The current phase.
    /// @return The phase id.
    function phaseId() external view returns (uint16) {
        return _current.id;
    }

    /// @notice The current aggregator.
    /// @return The aggregator of the current phase.
    function aggregator() public view returns (AggregatorV3Interface) {
        return _current.aggregator;
    }

    /// @inheritdoc AggregatorV3Interface
    function decimals() external view returns (uint8) {
        return aggregator().decimals();
    }

    /// @inheritdoc AggregatorV3Interface
    function description() external view returns (string memory) {
        return aggregator().description();
    }

    /// @inheritdoc AggregatorV3Interface
    function version() external view returns (uint256) {
        return aggregator().version();
    }

    /// @inheritdoc AggregatorV3Interface
    function getRoundData(uint80 roundId) external view returns (uint80, int256, uint256, uint256, uint80) {
        uint16 phase = uint16(roundId >> PHASE_OFFSET);
        uint64 aggregatorRoundId = uint64(roundId);
        (uint80 id, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound) = phaseAggregators[
            phase
        ].getRoundData(aggregatorRoundId);
        return (_addPhase(phase, id), answer, startedAt, updatedAt, _addPhase(phase, answeredInRound));
    }

    /// @inheritdoc AggregatorV3Interface
    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        Phase memory current = _current;
        (uint80 id, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound) = current
            .aggregator
            .latestRoundData();
        return (_addPhase(current.id, id), answer, startedAt, updatedAt, _addPhase(current.id, answeredInRound));
    }

    /// @dev Chainlink's phase encoding of a round id.
    function _addPhase(uint16 phase, uint80 originalId) private pure returns (uint80) {
        return uint80((uint256(phase) << PHASE_OFFSET) | originalId);
    }
}
