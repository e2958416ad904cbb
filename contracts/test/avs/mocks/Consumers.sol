// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Coordinator} from "../../../src/avs/Coordinator.sol";
import {RequestParams, Job, Claim, Status} from "../../../src/avs/CoordinatorTypes.sol";
import {SigilConsumer} from "../../../src/consumer/SigilConsumer.sol";
import {ProofMarket} from "../../../src/avs/dispute/ProofMarket.sol";

/// @notice Records every result; can be switched to revert, burn all gas, return a huge buffer,
///         or re-enter the Coordinator from its callback.
contract RecordingConsumer is SigilConsumer {
    enum Mode {
        Record,
        Revert,
        BurnGas,
        ReturnBomb,
        Reenter
    }

    Mode public mode;
    uint256 public calls;
    bytes32 public lastId;
    bytes public lastOutput;
    bytes public reentryCall;
    bool public reentryOk;
    /// @notice How the correction hook behaves (independent of `mode`).
    Mode public correctionMode;
    uint256 public corrections;
    bytes32 public lastCorrectedClaim;
    /// @notice gasleft() at the start of the last correction hook.
    uint256 public correctionGas;

    constructor(Coordinator c) SigilConsumer(c) {}

    function setMode(Mode m) external {
        mode = m;
    }

    function setCorrectionMode(Mode m) external {
        correctionMode = m;
    }

    function setReentry(bytes calldata data) external {
        reentryCall = data;
    }

    function approve(address token) external {
        (bool ok,) = token.call(
            abi.encodeWithSignature("approve(address,uint256)", address(coordinator), type(uint256).max)
        );
        require(ok);
    }

    function request(RequestParams calldata p, bytes calldata input) external returns (bytes32) {
        return _requestInference(p, input, "");
    }

    function requestAtRisk(RequestParams calldata p, bytes calldata input, uint256 value)
        external
        returns (bytes32)
    {
        return _requestInferenceAtRisk(p, input, "", value);
    }

    function requestWithBounty(
        RequestParams calldata p,
        bytes calldata input,
        ProofMarket market,
        uint64 pWad,
        uint96 fee,
        uint32 verifyWindow
    ) external returns (bytes32) {
        return _requestInferenceWithBounty(p, input, "", market, pWad, fee, verifyWindow);
    }

    function subscribe(RequestParams calldata p, bytes calldata input, uint32 period, uint16 n)
        external
        returns (uint256)
    {
        return _subscribe(p, input, "", period, n);
    }

    function _onResult(bytes32 id, bytes calldata output, Claim calldata) internal override {
        if (mode == Mode.Revert) revert("consumer says no");
        if (mode == Mode.BurnGas) {
            while (true) {}
        }
        if (mode == Mode.ReturnBomb) {
            assembly {
                return(0, 100000)
            }
        }
        if (mode == Mode.Reenter) {
            (reentryOk,) = address(coordinator).call(reentryCall);
        }
        ++calls;
        lastId = id;
        lastOutput = output;
    }

    function _onCorrection(bytes32 id, bytes32 claimHash, Status status) internal override {
        uint256 g = gasleft();
        Mode m = correctionMode;
        if (m == Mode.Revert) revert("consumer refuses the correction");
        if (m == Mode.BurnGas) {
            while (true) {}
        }
        if (m == Mode.ReturnBomb) {
            assembly {
                return(0, 100000)
            }
        }
        if (m == Mode.Reenter) {
            (reentryOk,) = address(coordinator).call(reentryCall);
        }
        super._onCorrection(id, claimHash, status);
        ++corrections;
        lastCorrectedClaim = claimHash;
        correctionGas = g;
    }
}

/// @notice The leanest useful consumer: one request call, one stored label byte per request.
contract LabelConsumer is SigilConsumer {
    mapping(bytes32 => uint8) public labelPlusOne;

    constructor(Coordinator c, address token) SigilConsumer(c) {
        (bool ok,) =
            token.call(abi.encodeWithSignature("approve(address,uint256)", address(c), type(uint256).max));
        require(ok);
    }

    function request(RequestParams calldata p, bytes calldata input) external returns (bytes32) {
        return _requestInference(p, input, "");
    }

    function _onResult(bytes32 id, bytes calldata output, Claim calldata) internal override {
        labelPlusOne[id] = uint8(output[0]) + 1;
    }
}
