// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title CodeStore
/// @author Skew
/// @notice Stores bytes as the code of a data-only contract and reads them back (the SSTORE2 technique):
///         a way to keep a large creation code outside a factory's own runtime code, which the 24 KB code
///         size limit (EIP-170) would otherwise reject.
/// @dev The stored code is the data prefixed with a STOP byte, so calling the data contract does nothing.
library CodeStore {
    /// @notice Creating the data contract failed (data too large for EIP-170, or out of gas).
    error CodeStoreWriteFailed();

    /// @notice Deploys `data[start : start + length]` as the code of a new data contract.
    /// @param data The bytes to take a slice of.
    /// @param start Offset of the slice.
    /// @param length Length of the slice.
    /// @return pointer The data contract.
    function write(bytes memory data, uint256 start, uint256 length) internal returns (address pointer) {
        // Init code: 600B 59 81 38 03 80 92 59 39 F3 returns its own code from byte 11 on, i.e.
        // PUSH1 11, MSIZE, DUP2, CODESIZE, SUB, DUP1, SWAP3, MSIZE, CODECOPY, RETURN; byte 11 is the STOP.
        bytes memory initCode = bytes.concat(hex"600B5981380380925939F3", hex"00", new bytes(length));
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mcopy(add(initCode, 44), add(add(data, 32), start), length)
            pointer := create(0, add(initCode, 32), mload(initCode))
        }
        if (pointer == address(0)) revert CodeStoreWriteFailed();
    }

    /// @notice Reads back the bytes stored by `write`.
    /// @param pointer The data contract.
    /// @return data The stored bytes.
    function read(address pointer) internal view returns (bytes memory data) {
        uint256 size = pointer.code.length - 1;
        data = new bytes(size);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            extcodecopy(pointer, add(data, 32), 1, size)
        }
    }
}
