// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Test} from "forge-std/Test.sol";
import {Fixture} from "../src/test/Fixture.sol";

contract FixtureTest is Test {
    Fixture internal fixture;

    function setUp() public {
        fixture = new Fixture();
    }

    function test_store_emits_and_counts() public {
        vm.expectEmit(true, true, false, true);
        emit Fixture.Stored(address(this), 7, "seven");
        fixture.store(7, "seven");
        assertEq(fixture.values(7), "seven");
        assertEq(fixture.counter(), 1);
    }

    function test_custom_error() public {
        vm.expectRevert(abi.encodeWithSelector(Fixture.NotAllowed.selector, address(this), 42));
        fixture.failCustom(42);
    }

    function test_error_string() public {
        vm.expectRevert(bytes("nope"));
        fixture.failString("nope");
    }

    function test_panic_division_by_zero() public {
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x12));
        fixture.failPanic(1, 0);
    }

    function testFuzz_batch_returns_length(uint8 n) public {
        Fixture.Item[] memory items = new Fixture.Item[](n % 8);
        for (uint256 i = 0; i < items.length; ++i) {
            items[i] = Fixture.Item(uint8(i), abi.encodePacked(i));
        }
        assertEq(fixture.batch(items), items.length);
    }
}
