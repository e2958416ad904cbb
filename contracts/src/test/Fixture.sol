// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

/// @title Fixture
/// @notice A contract the C++ Ethereum stack is tested against: events with static, dynamic and
///         indexed-dynamic parameters, a custom error, `Error(string)` and `Panic(uint256)` reverts.
contract Fixture {
    struct Item {
        uint8 kind;
        bytes data;
    }

    event Stored(address indexed by, uint256 indexed key, string value);
    event Tagged(string indexed tag, bytes payload, uint256[] numbers);
    event Batch(uint256 count, Item[] items);

    error NotAllowed(address caller, uint256 code);

    mapping(uint256 => string) public values;
    uint256 public counter;

    function store(uint256 key, string calldata value) external {
        values[key] = value;
        ++counter;
        emit Stored(msg.sender, key, value);
    }

    function tag(string calldata tagName, bytes calldata payload, uint256[] calldata numbers) external {
        ++counter;
        emit Tagged(tagName, payload, numbers);
    }

    function batch(Item[] calldata items) external returns (uint256) {
        ++counter;
        emit Batch(items.length, items);
        return items.length;
    }

    function echo(Item[] calldata items, string calldata s) external pure returns (Item[] memory, string memory) {
        return (items, s);
    }

    function failCustom(uint256 code) external view {
        revert NotAllowed(msg.sender, code);
    }

    function failString(string calldata reason) external pure {
        revert(reason);
    }

    function failPanic(uint256 a, uint256 b) external pure returns (uint256) {
        return a / b; // Panic(0x12) when b == 0
    }

    receive() external payable {}
}
