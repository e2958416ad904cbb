// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Claim} from "../CoordinatorTypes.sol";

/// @notice The EIP-712 claims a node signs for off-chain jobs (src/node/signed_claim.hpp): type
///         Claim(bytes32 modelRoot, bytes32 inputRoot, bytes32 outputHash, bytes32 outputRoot,
///         bytes32 traceRoot, uint64 steps, uint64 disputeUntil) with outputHash =
///         keccak256(output) and disputeUntil the time (unix seconds) until which the node stands
///         behind the claim (it can be brought on chain and challenged before then), under the
///         domain {name "Sigil", version "1", chainId, verifyingContract = the Coordinator}. The
///         digest and the signer of such a claim, for a contract that takes it on chain.
library SignedClaimLib {
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant CLAIM_TYPEHASH = keccak256(
        "Claim(bytes32 modelRoot,bytes32 inputRoot,bytes32 outputHash,bytes32 outputRoot,bytes32 traceRoot,uint64 steps,uint64 disputeUntil)"
    );
    bytes32 internal constant NAME_HASH = keccak256("Sigil");
    bytes32 internal constant VERSION_HASH = keccak256("1");

    function domainSeparator(uint256 chainId, address coordinator) internal pure returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, chainId, coordinator));
    }

    /// hashStruct(Claim) of `c` for model `modelRoot`, disputable until `disputeUntil`.
    function structHash(bytes32 modelRoot, Claim calldata c, uint64 disputeUntil)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(
            abi.encode(
                CLAIM_TYPEHASH,
                modelRoot,
                c.inputRoot,
                keccak256(c.output),
                c.outputRoot,
                c.traceRoot,
                c.steps,
                disputeUntil
            )
        );
    }

    /// keccak256(0x19 0x01 || domainSeparator || hashStruct(claim)): what the node signs.
    function digest(
        bytes32 modelRoot,
        Claim calldata c,
        uint64 disputeUntil,
        uint256 chainId,
        address coordinator
    ) internal pure returns (bytes32 d) {
        bytes32 ds = domainSeparator(chainId, coordinator);
        bytes32 sh = structHash(modelRoot, c, disputeUntil);
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, hex"1901")
            mstore(add(p, 0x02), ds)
            mstore(add(p, 0x22), sh)
            d := keccak256(p, 0x42)
        }
    }

    /// The signer of a 65-byte r || s || v signature of `c` (v = 27/28); reverts on a malformed or
    /// malleable (high-s) signature (OpenZeppelin ECDSA errors).
    function signer(
        bytes32 modelRoot,
        Claim calldata c,
        uint64 disputeUntil,
        uint256 chainId,
        address coordinator,
        bytes calldata sig
    ) internal pure returns (address) {
        return ECDSA.recover(digest(modelRoot, c, disputeUntil, chainId, coordinator), sig);
    }
}
