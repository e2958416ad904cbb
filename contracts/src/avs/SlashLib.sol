// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IAllocationManager} from "../interfaces/IAllocationManager.sol";
import {IStrategy} from "../interfaces/IStrategy.sol";
import {OperatorSet} from "../interfaces/OperatorSet.sol";

/// @title SlashLib
/// @notice The Coordinator's call into the restaking core's slashing, as an external library: it
///         runs by DELEGATECALL in the Coordinator's context, so the AllocationManager sees the
///         Coordinator (the set's AVS) as the caller and the slashed tokens go to it (the set's
///         redistribution recipient). It lives apart only to keep the Coordinator under EIP-170.
///         An operator the core no longer lets slash (OperatorNotSlashable) yields zero amounts.
library SlashLib {
    /// @dev The restaking core's OperatorNotSlashable() (EigenLayer's AllocationManager error).
    bytes4 internal constant OPERATOR_NOT_SLASHABLE = bytes4(keccak256("OperatorNotSlashable()"));

    /// @notice Slashes `operator` by `wad` of its allocation in every strategy of the calling
    ///         AVS's set `setId`; returns each strategy's underlying token and the amount taken.
    function slash(IAllocationManager am, uint32 setId, address operator, uint256 wad)
        external
        returns (IERC20[] memory tokens, uint256[] memory amounts)
    {
        IAllocationManager.SlashingParams memory sp;
        sp.operator = operator;
        sp.operatorSetId = setId;
        sp.strategies = _sorted(am.getStrategiesInOperatorSet(OperatorSet(address(this), setId)));
        sp.wadsToSlash = new uint256[](sp.strategies.length);
        tokens = new IERC20[](sp.strategies.length);
        for (uint256 i = 0; i < sp.strategies.length; ++i) {
            sp.wadsToSlash[i] = wad;
            tokens[i] = sp.strategies[i].underlyingToken();
        }
        sp.description = "sigil: refuted claim";
        try am.slashOperator(address(this), sp) returns (uint256, uint256[] memory taken) {
            amounts = taken;
        } catch (bytes memory err) {
            // An operator past its deallocation or deregistration delay can no longer be slashed:
            // the claim is still refuted (the game must end), the slash takes nothing. Any other
            // refusal (a paused core, a misconfigured set) reverts, so it cannot end a game.
            if (bytes4(err) != OPERATOR_NOT_SLASHABLE || err.length != 4) {
                assembly ("memory-safe") {
                    revert(add(err, 32), mload(err))
                }
            }
            amounts = new uint256[](tokens.length);
        }
    }

    /// The AllocationManager takes strategies in ascending address order.
    function _sorted(IStrategy[] memory s) private pure returns (IStrategy[] memory) {
        for (uint256 i = 1; i < s.length; ++i) {
            IStrategy x = s[i];
            uint256 j = i;
            for (; j > 0 && address(s[j - 1]) > address(x); --j) {
                s[j] = s[j - 1];
            }
            s[j] = x;
        }
        return s;
    }
}
