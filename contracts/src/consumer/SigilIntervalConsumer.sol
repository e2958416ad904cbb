// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Coordinator} from "../avs/Coordinator.sol";
import {SigilConsumer} from "./SigilConsumer.sol";
import {SigilIntervalClient} from "./SigilIntervalClient.sol";

/// @title SigilIntervalConsumer
/// @notice SigilConsumer with the interval schedules of SigilIntervalClient: a request every
///         period, each on an input computed when it is made by the `_intervalInput` hook.
abstract contract SigilIntervalConsumer is SigilConsumer, SigilIntervalClient {
    constructor(Coordinator coordinator_) SigilConsumer(coordinator_) {}
}
