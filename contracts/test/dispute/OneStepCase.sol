// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {ElementProof} from "../../src/avs/dispute/DisputeTypes.sol";

/// One line of a one-step vector file (src/proof/one_step_vectors.hpp, encode_case): the
/// verifier's inputs and the C++ answers.
struct OneStepCase {
    bytes32 modelRoot;
    bytes32 statePrev;
    ElementProof proof;
    int32 claimed;
    uint8 verifyCode;
    uint8 recomputeCode;
    int32 value;
    uint8 opKind;
}
