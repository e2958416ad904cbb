// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {OperatorSet} from "./OperatorSet.sol";
import {IStrategy} from "./IStrategy.sol";
import {IAVSRegistrar} from "./IAVSRegistrar.sol";

/// @title IAllocationManager
/// @notice The AVS-facing surface of the restaking core: operator sets, membership, slashable
///         stake and slashing. Magnitudes are WAD fractions (1e18 = all of an operator's stake in
///         a strategy). Slashable stake is expressed in strategy shares.
interface IAllocationManager {
    /// @notice Parameters of one new operator set.
    /// @param operatorSetId Id chosen by the AVS, unique per AVS.
    /// @param strategies Strategies whose stake secures the set.
    /// @param slasher The only address allowed to call `slashOperator` for the set (0 = the AVS).
    /// @param redistributionRecipient Receives slashed tokens; 0 burns them.
    struct CreateSetParams {
        uint32 operatorSetId;
        IStrategy[] strategies;
        address slasher;
        address redistributionRecipient;
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

    /// @notice Blocks a deallocation, or a deregistration, stays slashable; AVSs that need stake
    ///         to stay slashable for a job's lifetime query `getMinimumSlashableStake` up to
    ///         `block.number + DEALLOCATION_DELAY` or less.
    function DEALLOCATION_DELAY() external view returns (uint32);

    /// @notice Records `metadataURI` for the caller, which makes the caller an AVS.
    function updateAVSMetadataURI(string calldata metadataURI) external;

    /// @notice Names the contract called on every (de)registration to the caller's sets.
    ///         Until set, the AVS address itself is called.
    function setAVSRegistrar(IAVSRegistrar registrar) external;

    /// @notice Creates operator sets for the caller (which must have published metadata).
    function createOperatorSets(CreateSetParams[] calldata params) external;

    /// @notice Adds strategies to one of the caller's sets.
    function addStrategiesToOperatorSet(uint32 operatorSetId, IStrategy[] calldata strategies) external;

    /// @notice Removes strategies from one of the caller's sets; they can no longer be slashed by it.
    function removeStrategiesFromOperatorSet(uint32 operatorSetId, IStrategy[] calldata strategies) external;

    /// @notice Names the slasher of one of the caller's sets (takes effect at once).
    function setSlasher(uint32 operatorSetId, address slasher) external;

    /// @notice Names the recipient of slashed tokens for one of the caller's sets; 0 means burn.
    ///         The proof market uses this to pay challengers and refund consumers from slashes.
    function setRedistributionRecipient(uint32 operatorSetId, address recipient) external;

    /// @notice Removes `operator` from `operatorSetIds` of the caller (the AVS or its registrar
    ///         may eject). The operator stays slashable for the deallocation delay.
    function deregisterFromOperatorSets(address operator, address avs, uint32[] calldata operatorSetIds)
        external;

    /// @notice Slashes `params.operator` in the set (caller must be the set's slasher). For each
    ///         strategy the operator's current allocation to the set, its max magnitude, any
    ///         pending deallocation to the set and its delegated and still-slashable queued shares
    ///         drop by `wadsToSlash[i]` of the allocation (magnitudes rounded up). Slashed tokens
    ///         are sent to the set's redistribution recipient, or burned.
    /// @return slashId Sequential id of the slash (per set, starting at 1).
    /// @return tokenAmounts Tokens removed from each strategy, in `params.strategies` order.
    function slashOperator(address avs, SlashingParams calldata params)
        external
        returns (uint256 slashId, uint256[] memory tokenAmounts);

    /// @notice True while `operator` is registered in `set`.
    function isMemberOfOperatorSet(address operator, OperatorSet calldata set) external view returns (bool);

    /// @notice True while registered, and for the deallocation delay after deregistration.
    function isOperatorSlashable(address operator, OperatorSet calldata set) external view returns (bool);

    /// @notice Registered members of `set`.
    function getMembers(OperatorSet calldata set) external view returns (address[] memory);

    /// @notice Strategies of `set`.
    function getStrategiesInOperatorSet(OperatorSet calldata set) external view returns (IStrategy[] memory);

    /// @notice True when `set` was created.
    function isOperatorSet(OperatorSet calldata set) external view returns (bool);

    /// @notice Recipient of slashed tokens of `set` (0 = burn).
    function getRedistributionRecipient(OperatorSet calldata set) external view returns (address);

    /// @notice The slasher of `set`.
    function getSlasher(OperatorSet calldata set) external view returns (address);

    /// @notice Shares of each strategy that `set` can slash from `operator` now: the operator's
    ///         delegated shares times allocated magnitude over max magnitude (rounded down);
    ///         0 when the operator is not slashable by the set.
    function getSlashableStake(OperatorSet calldata set, address operator, IStrategy[] calldata strategies)
        external
        view
        returns (uint256[] memory);

    /// @notice Minimum slashable shares between now and `futureBlock` (>= now): pending
    ///         deallocations effective by `futureBlock` are subtracted, pending allocations are
    ///         not counted, and an operator whose slashability ends before `futureBlock` gets 0.
    ///         Shares delegated later or withdrawn later are not foreseen.
    /// @return stake stake[i][j] for operators[i] and strategies[j].
    function getMinimumSlashableStake(
        OperatorSet calldata set,
        address[] calldata operators,
        IStrategy[] calldata strategies,
        uint32 futureBlock
    ) external view returns (uint256[][] memory stake);
}
