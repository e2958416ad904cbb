// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IAllocationManager} from "../interfaces/IAllocationManager.sol";
import {IAVSRegistrar} from "../interfaces/IAVSRegistrar.sol";
import {IStrategyManager} from "../interfaces/IStrategyManager.sol";
import {IStrategy} from "../interfaces/IStrategy.sol";
import {OperatorSet} from "../interfaces/OperatorSet.sol";

/// @title SlashLib
/// @notice The Coordinator's calls into the restaking core (EigenLayer's interface) that set it up
///         as an AVS and slash, as an external library: it runs by DELEGATECALL in the
///         Coordinator's context, so the core sees the Coordinator (the AVS, the set's slasher and
///         its redistribution recipient) as the caller. It lives apart only to keep the Coordinator
///         under EIP-170.
library SlashLib {
    /// @dev The core's OperatorNotSlashable() (EigenLayer's AllocationManager error).
    bytes4 internal constant OPERATOR_NOT_SLASHABLE = bytes4(keccak256("OperatorNotSlashable()"));

    /// @notice A clear ran out of the gas it was given: the transaction had too little gas.
    error ClearOutOfGas();

    /// @notice Makes the calling contract an AVS: metadata, `registrar` (which must support it),
    ///         one redistributing set `setId` over `strategies` with the caller as slasher and as
    ///         fixed redistribution recipient, and `registrar` appointed (PermissionController) to
    ///         eject operators through `deregisterFromOperatorSets`.
    function setupAVS(
        IAllocationManager am,
        address registrar,
        uint32 setId,
        string calldata metadataURI,
        IStrategy[] calldata strategies
    ) external {
        am.updateAVSMetadataURI(address(this), metadataURI);
        am.setAVSRegistrar(address(this), IAVSRegistrar(registrar));
        IAllocationManager.CreateSetParams[] memory p = new IAllocationManager.CreateSetParams[](1);
        p[0] = IAllocationManager.CreateSetParams(setId, strategies, address(this));
        address[] memory recipients = new address[](1);
        recipients[0] = address(this);
        am.createRedistributingOperatorSets(address(this), p, recipients);
        am.permissionController()
            .setAppointee(
                address(this), registrar, address(am), IAllocationManager.deregisterFromOperatorSets.selector
            );
    }

    /// @notice Slashes `operator` by `wad` of its allocation in every strategy of the calling
    ///         AVS's set `setId`, then clears each slashed strategy's shares to the caller (the
    ///         set's redistribution recipient). Returns each strategy's underlying token and the
    ///         amount that actually arrived (the caller's balance change, not a reported figure).
    /// @dev Strategies the core skipped (no allocation) yield 0 and are not cleared. An operator
    ///      past its deallocation or deregistration delay (OperatorNotSlashable) yields zeros: the
    ///      claim is still refuted (the game must end). Any other refusal of the slash (a paused
    ///      core, a misconfigured set) reverts, so it cannot end a game. A clear that reverts yields
    ///      0 for its strategy (the slash stands; its shares stay clearable by anyone, but the
    ///      tokens are not credited to anyone when they arrive later); one that ran out of gas
    ///      reverts (ClearOutOfGas), so a sender cannot choose that outcome by its gas limit.
    function slash(IAllocationManager am, IStrategyManager sm, uint32 setId, address operator, uint256 wad)
        external
        returns (IERC20[] memory tokens, uint256[] memory amounts)
    {
        OperatorSet memory set = OperatorSet(address(this), setId);
        IAllocationManager.SlashingParams memory sp;
        sp.operator = operator;
        sp.operatorSetId = setId;
        sp.strategies = _sorted(am.getStrategiesInOperatorSet(set));
        uint256 n = sp.strategies.length;
        sp.wadsToSlash = new uint256[](n);
        tokens = new IERC20[](n);
        amounts = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            sp.wadsToSlash[i] = wad;
            tokens[i] = sp.strategies[i].underlyingToken();
        }
        sp.description = "sigil: refuted claim";
        uint256 slashId;
        uint256[] memory shares;
        try am.slashOperator(address(this), sp) returns (uint256 id, uint256[] memory s) {
            (slashId, shares) = (id, s);
        } catch (bytes memory err) {
            if (bytes4(err) != OPERATOR_NOT_SLASHABLE || err.length != 4) {
                assembly ("memory-safe") {
                    revert(add(err, 32), mload(err))
                }
            }
            return (tokens, amounts);
        }
        for (uint256 i = 0; i < n; ++i) {
            if (shares[i] == 0) continue;
            uint256 before = tokens[i].balanceOf(address(this));
            uint256 g = gasleft();
            try sm.clearBurnOrRedistributableSharesByStrategy(set, slashId, sp.strategies[i]) {
                uint256 afterwards = tokens[i].balanceOf(address(this));
                if (afterwards > before) amounts[i] = afterwards - before;
            } catch {
                // Out of gas (at most 1/64 left) is the sender's doing, not a refusal of the core:
                // passing it off as one would leave the slash's tokens to no one's credit.
                if (gasleft() <= g / 63) revert ClearOutOfGas();
            }
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
