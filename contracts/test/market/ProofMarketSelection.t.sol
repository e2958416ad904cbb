// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {MarketBase} from "./MarketBase.sol";
import {Job, Claim} from "../../src/avs/CoordinatorTypes.sol";

/// @notice The verifier draw is bond-weighted: over a fixed set of 4,000 seeds each verifier's
///         share stays within 4 standard deviations of bond / total bond (with the seated
///         operator's weight removed when it is a verifier too). A uniform or first-come choice
///         fails these bounds by an order of magnitude.
contract ProofMarketSelectionTest is MarketBase {
    uint256 internal constant DRAWS = 4_000;
    address[4] internal vs;

    function setUp() public override {
        super.setUp();
        for (uint256 i = 0; i < 4; ++i) {
            vs[i] = _registerVerifier(string.concat("weighted", vm.toString(i)), uint96((i + 1) * 1 ether));
        }
        vm.roll(block.number + 1);
    }

    function test_selectionIsBondWeighted() public {
        (bytes32 id,,) = _armed(FULL);
        uint256[4] memory expectedTenths = [uint256(1), 2, 3, 4];
        _checkShares(id, expectedTenths, 10);
    }

    /// The deliverer (nodes[0]) registered as a verifier with the largest bond is excluded; the
    /// other four keep their relative weights.
    function test_selectionWithSeatedVerifierExcluded() public {
        _registerVerifierAt(nodes[0], 20 ether);
        vm.roll(block.number + 1);
        (bytes32 id,,) = _armed(FULL);
        uint256[4] memory expectedTenths = [uint256(1), 2, 3, 4];
        _checkShares(id, expectedTenths, 10);
    }

    /// The real draw (RANDAO of the block it is called in) also lands on each verifier in
    /// proportion: 120 draws over fixed RANDAO values, the heaviest (40%) chosen 48 +- 22 times.
    function test_realDrawsFollowWeights() public {
        uint256[4] memory counts;
        for (uint256 r = 0; r < 120; ++r) {
            (bytes32 id,,) = _armed(FULL);
            _drawRandao(id, keccak256(abi.encode("fixed seed", r)));
            pm.draw(id);
            address v = pm.getBounty(id).verifier;
            for (uint256 i = 0; i < 4; ++i) {
                if (vs[i] == v) ++counts[i];
            }
        }
        assertEq(counts[0] + counts[1] + counts[2] + counts[3], 120);
        assertApproxEqAbs(counts[3], 48, 22, "heaviest verifier share");
        assertApproxEqAbs(counts[0], 12, 14, "lightest verifier share");
        assertGt(counts[3], counts[0], "weight order");
    }

    function _checkShares(bytes32 id, uint256[4] memory weight, uint256 total) internal view {
        uint256[4] memory counts;
        uint64 armBlock = uint64(block.number);
        for (uint256 r = 0; r < DRAWS; ++r) {
            address v = pm.pick(id, armBlock, uint256(keccak256(abi.encode("seed", r))));
            bool found;
            for (uint256 i = 0; i < 4; ++i) {
                if (vs[i] == v) {
                    ++counts[i];
                    found = true;
                }
            }
            assertTrue(found, "chose an excluded or unknown verifier");
        }
        for (uint256 i = 0; i < 4; ++i) {
            uint256 mean = (DRAWS * weight[i]) / total;
            // sd = sqrt(n p (1 - p)); bound at 4 sd.
            uint256 sd = _sqrt((DRAWS * weight[i] * (total - weight[i])) / (total * total));
            assertApproxEqAbs(counts[i], mean, 4 * sd, "share off its bond weight");
        }
    }

    function _sqrt(uint256 x) internal pure returns (uint256 y) {
        y = x;
        uint256 z = (x + 1) / 2;
        while (z < y) {
            y = z;
            z = (x / z + z) / 2;
        }
    }
}
