// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {AvsBase} from "./AvsBase.sol";
import {RecordingConsumer} from "./mocks/Consumers.sol";

/// @notice AvsBase with one funded RecordingConsumer `c` (its hook behaviour set per test) and
///         the one-byte input the callback and correction tests request with.
abstract contract RecordingConsumerBase is AvsBase {
    bytes internal constant INPUT = hex"01";
    RecordingConsumer internal c;

    function setUp() public virtual override {
        super.setUp();
        c = new RecordingConsumer(coord);
        c.approve(address(pay));
        pay.mint(address(c), 100 ether);
    }
}
