// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {OperatorSet} from "./OperatorSet.sol";
import {IStrategy} from "./IStrategy.sol";
import {IAVSRegistrar} from "./IAVSRegistrar.sol";
import {IPermissionController} from "./IPermissionController.sol";

/// @title IAllocationManager
/// @notice The AVS-facing surface of the restaking core: operator sets, membership, slashable
///         stake and slashing, with EigenLayer's AllocationManager signatures (so one AVS build
///         runs on EigenLayer's core or on Sigil's embedded one). Magnitudes are WAD fractions
///         (1e18 = all of an operator's stake in a strategy); slashable stake is in strategy shares.
///         Every function taking an `avs` (or `operator`) acts on its behalf and is callable by that
///         account or an appointee it named in the PermissionController for this function.
interface IAllocationManager {
    /// @notice Parameters of one new operator set.
    /// @param operatorSetId Id chosen by the AVS, unique per AVS.
    /// @param strategies Strategies whose stake secures the set.
    /// @param slasher The only address allowed to call `slashOperator` for the set.
    struct CreateSetParams {
        uint32 operatorSetId;
        IStrategy[] strategies;
        address slasher;
    }

    /// @notice An operator joining sets of `avs`; `data` is handed to the AVS's registrar.
    struct RegisterParams {
        address avs;
        uint32[] operatorSetIds;
        bytes data;
    }

    /// @notice An operator leaving (or ejected from) sets of `avs`.
    struct DeregisterParams {
        address operator;
        address avs;
        uint32[] operatorSetIds;
    }

    /// @notice One slash. `strategies` strictly ascending by address, `wadsToSlash[i]` in (0, 1e18]
    ///         is the fraction of the operator's allocation to the set in `strategies[i]` to slash.
    struct SlashingParams {
        address operator;
        uint32 operatorSetId;
        IStrategy[] strategies;
        uint256[] wadsToSlash;
        string description;
    }

    /// @notice Blocks a deallocation, or a deregistration, stays slashable.
    function DEALLOCATION_DELAY() external view returns (uint32);

    /// @notice The PermissionController consulted for every call made on behalf of an account.
    function permissionController() external view returns (IPermissionController);

    /// @notice Records `metadataURI` for `avs`, which makes it an AVS (needed to create sets).
    function updateAVSMetadataURI(address avs, string calldata metadataURI) external;

    /// @notice Names the contract called on every (de)registration to the sets of `avs`; reverts
    ///         unless `registrar.supportsAVS(avs)`. Until set, the AVS address itself is called.
    function setAVSRegistrar(address avs, IAVSRegistrar registrar) external;

    /// @notice Creates operator sets for `avs` whose slashed shares are burned.
    function createOperatorSets(address avs, CreateSetParams[] calldata params) external;

    /// @notice Creates operator sets for `avs` whose slashed shares go to
    ///         `redistributionRecipients[i]` (non-zero, fixed for the set's lifetime).
    function createRedistributingOperatorSets(
        address avs,
        CreateSetParams[] calldata params,
        address[] calldata redistributionRecipients
    ) external;

    /// @notice Adds strategies to a set of `avs`.
    function addStrategiesToOperatorSet(address avs, uint32 operatorSetId, IStrategy[] calldata strategies)
        external;

    /// @notice Removes strategies from a set of `avs`; they can no longer be slashed by it.
    function removeStrategiesFromOperatorSet(
        address avs,
        uint32 operatorSetId,
        IStrategy[] calldata strategies
    ) external;

    /// @notice Registers `operator` for sets of `params.avs`; the AVS's registrar is called with
    ///         `params.data` and may refuse by reverting.
    function registerForOperatorSets(address operator, RegisterParams calldata params) external;

    /// @notice Removes `params.operator` from sets of `params.avs` (callable on behalf of the
    ///         operator or of the AVS); the registrar's `deregisterOperator` is always called. The
    ///         operator stays slashable for the deallocation delay.
    function deregisterFromOperatorSets(DeregisterParams calldata params) external;

    /// @notice Slashes `params.operator` in the set (caller must be the set's slasher). For each
    ///         strategy the operator's current allocation to the set, its max magnitude, any
    ///         pending deallocation and its delegated and still-slashable queued shares drop by
    ///         `wadsToSlash[i]` of the allocation; strategies with no allocation are skipped. No
    ///         tokens move: the slashed shares wait in the StrategyManager under `slashId` until
    ///         `clearBurnOrRedistributableShares(ByStrategy)`. Reverts OperatorNotSlashable once the
    ///         operator is past its deregistration delay.
    /// @return slashId Sequential id of the slash (per set, starting at 1).
    /// @return shares Shares slashed from each strategy, in `params.strategies` order.
    function slashOperator(address avs, SlashingParams calldata params)
        external
        returns (uint256 slashId, uint256[] memory shares);

    /// @notice True while `operator` is registered in `set`.
    function isMemberOfOperatorSet(address operator, OperatorSet calldata set) external view returns (bool);

    /// @notice Registered members of `set`.
    function getMembers(OperatorSet calldata set) external view returns (address[] memory);

    /// @notice Strategies of `set`.
    function getStrategiesInOperatorSet(OperatorSet calldata set) external view returns (IStrategy[] memory);

    /// @notice True when `set` was created.
    function isOperatorSet(OperatorSet calldata set) external view returns (bool);

    /// @notice Recipient of slashed tokens of `set` (0 for a set that burns).
    function getRedistributionRecipient(OperatorSet calldata set) external view returns (address);

    /// @notice Minimum slashable shares between now and `futureBlock` (>= now): pending
    ///         deallocations effective by `futureBlock` are subtracted, pending allocations are
    ///         not counted, and an operator whose slashability ends before `futureBlock` gets 0.
    ///         Shares delegated later are not foreseen; shares withdrawn later leave this figure but
    ///         stay slashable for the withdrawal delay (>= DEALLOCATION_DELAY).
    /// @return stake stake[i][j] for operators[i] and strategies[j].
    function getMinimumSlashableStake(
        OperatorSet calldata set,
        address[] calldata operators,
        IStrategy[] calldata strategies,
        uint32 futureBlock
    ) external view returns (uint256[][] memory stake);
}
