// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Test} from "forge-std/Test.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Claim} from "../../src/avs/CoordinatorTypes.sol";
import {SignedClaimLib} from "../../src/avs/dispute/SignedClaimLib.sol";

/// @notice SignedClaimLib on calldata, as a contract taking a signed claim would call it.
contract SignedClaimHarness {
    function digest(bytes32 modelRoot, Claim calldata c, uint64 until, uint256 chainId, address coordinator)
        external
        pure
        returns (bytes32)
    {
        return SignedClaimLib.digest(modelRoot, c, until, chainId, coordinator);
    }

    function signer(
        bytes32 modelRoot,
        Claim calldata c,
        uint64 until,
        uint256 chainId,
        address coordinator,
        bytes calldata sig
    ) external pure returns (address) {
        return SignedClaimLib.signer(modelRoot, c, until, chainId, coordinator, sig);
    }
}

/// @notice The node's EIP-712 claim digest (src/node/signed_claim.cpp) computed on chain equals
///         two independent implementations: forge's eip712HashTypedData over the JSON document the
///         node builds, and a signature made by cast over that document.
contract SignedClaimTest is Test {
    /// The document node::claim_typed_data_json produces (same types, field order and domain) for
    /// the claim below, chain 31337, Coordinator 0x5FbDB2315678afecb367f032d93F642f64180aa3.
    string internal constant DOC = '{"types":{"EIP712Domain":[{"name":"name","type":"string"},'
        '{"name":"version","type":"string"},{"name":"chainId","type":"uint256"},'
        '{"name":"verifyingContract","type":"address"}],"Claim":[{"name":"modelRoot","type":"bytes32"},'
        '{"name":"inputRoot","type":"bytes32"},{"name":"outputHash","type":"bytes32"},'
        '{"name":"outputRoot","type":"bytes32"},{"name":"traceRoot","type":"bytes32"},'
        '{"name":"steps","type":"uint64"},{"name":"disputeUntil","type":"uint64"}]},"primaryType":"Claim","domain":{"name":"Sigil","version":"1",'
        '"chainId":31337,"verifyingContract":"0x5FbDB2315678afecb367f032d93F642f64180aa3"},"message":{'
        '"modelRoot":"0x1111111111111111111111111111111111111111111111111111111111111111",'
        '"inputRoot":"0x2222222222222222222222222222222222222222222222222222222222222222",'
        '"outputHash":"0x5fe7f977e71dba2ea1a68e21057beebb9be2ac30c6410aa38d4f3fbe41dcffd2",'
        '"outputRoot":"0x3333333333333333333333333333333333333333333333333333333333333333",'
        '"traceRoot":"0x4444444444444444444444444444444444444444444444444444444444444444","steps":12,"disputeUntil":1767225600}}';
    /// cast wallet sign --private-key <anvil key 0> --data --from-file claim.json  (cast 1.7.1,
    /// claim.json = DOC)
    bytes internal constant CAST_SIG =
        hex"70fc4b91d8e60cecd105197e273f24c1a5af0f6d9b958dfd8a97fcd6053a884b7015199da024598b4ee3a57794b17e09bf0cf2319a20fb0f2f29d7f0147f376c1c";
    address internal constant ANVIL_0 = 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266;
    address internal constant COORDINATOR = 0x5FbDB2315678afecb367f032d93F642f64180aa3;
    uint64 internal constant UNTIL = 1767225600;
    bytes32 internal constant MODEL =
        bytes32(uint256(0x1111111111111111111111111111111111111111111111111111111111111111));

    SignedClaimHarness internal h;

    function setUp() public {
        h = new SignedClaimHarness();
    }

    function _claim() internal pure returns (Claim memory c) {
        c.output = hex"01"; // outputHash = keccak256(0x01) = 0x5fe7...ffd2
        c.outputRoot = bytes32(uint256(0x3333333333333333333333333333333333333333333333333333333333333333));
        c.traceRoot = bytes32(uint256(0x4444444444444444444444444444444444444444444444444444444444444444));
        c.steps = 12;
        c.inputRoot = bytes32(uint256(0x2222222222222222222222222222222222222222222222222222222222222222));
    }

    function test_digestMatchesForgeTypedData() public view {
        assertEq(h.digest(MODEL, _claim(), UNTIL, 31337, COORDINATOR), vm.eip712HashTypedData(DOC));
    }

    function test_castSignatureRecoversTheSigner() public view {
        assertEq(h.signer(MODEL, _claim(), UNTIL, 31337, COORDINATOR, CAST_SIG), ANVIL_0);
    }

    /// Every field is bound: changing any one recovers another address from the same signature.
    function test_everyFieldIsSigned() public view {
        Claim memory c = _claim();
        c.output = hex"02";
        assertTrue(h.signer(MODEL, c, UNTIL, 31337, COORDINATOR, CAST_SIG) != ANVIL_0);
        c = _claim();
        c.outputRoot = bytes32(0);
        assertTrue(h.signer(MODEL, c, UNTIL, 31337, COORDINATOR, CAST_SIG) != ANVIL_0);
        c = _claim();
        c.traceRoot = bytes32(0);
        assertTrue(h.signer(MODEL, c, UNTIL, 31337, COORDINATOR, CAST_SIG) != ANVIL_0);
        c = _claim();
        c.steps = 13;
        assertTrue(h.signer(MODEL, c, UNTIL, 31337, COORDINATOR, CAST_SIG) != ANVIL_0);
        c = _claim();
        c.inputRoot = bytes32(0);
        assertTrue(h.signer(MODEL, c, UNTIL, 31337, COORDINATOR, CAST_SIG) != ANVIL_0);
        c = _claim();
        assertTrue(h.signer(bytes32(0), c, UNTIL, 31337, COORDINATOR, CAST_SIG) != ANVIL_0);
        assertTrue(h.signer(MODEL, c, UNTIL, 1, COORDINATOR, CAST_SIG) != ANVIL_0);
        assertTrue(h.signer(MODEL, c, UNTIL, 31337, address(1), CAST_SIG) != ANVIL_0);
        assertTrue(h.signer(MODEL, c, UNTIL + 1, 31337, COORDINATOR, CAST_SIG) != ANVIL_0);
    }

    function test_malformedSignatureRefused() public {
        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureLength.selector, 64));
        h.signer(MODEL, _claim(), UNTIL, 31337, COORDINATOR, new bytes(64));
    }

    function testFuzz_signAndRecover(uint256 key, bytes calldata output, bytes32 traceRoot, uint64 steps)
        public
        view
    {
        key = bound(key, 1, 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140);
        Claim memory c = _claim();
        c.output = output;
        c.traceRoot = traceRoot;
        c.steps = steps;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, h.digest(MODEL, c, UNTIL, block.chainid, COORDINATOR));
        assertEq(
            h.signer(MODEL, c, UNTIL, block.chainid, COORDINATOR, abi.encodePacked(r, s, v)), vm.addr(key)
        );
    }
}
